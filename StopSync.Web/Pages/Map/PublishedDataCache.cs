using Microsoft.Extensions.Caching.Memory;

namespace StopSync.Web.Pages.Map;

/// <summary>
/// Answers that depend only on the published dataset (global counts, operator lists), kept in process per published
/// run: the data changes only when a run is published, and the run id is read again at most every few seconds.
/// </summary>
public sealed class PublishedDataCache(TimeProvider time) : IDisposable
{
    /// <summary>Filters are chosen by visitors, so the number of entries is bounded: beyond it the cache compacts.</summary>
    public const int MaxEntries = 2000;

    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = MaxEntries });

    /// <summary>How long a published run id is trusted before it is read again: the lag after a publication.</summary>
    public static readonly TimeSpan RunIdLifetime = TimeSpan.FromSeconds(5);

    /// <summary>Entries of a run outlive its publication only until they are evicted; they are never read again.</summary>
    private static readonly TimeSpan EntryLifetime = TimeSpan.FromMinutes(30);

    private const string RunIdKey = "map:run-id";

    public async Task<T> GetOrAddAsync<T>(string key, ReviewMapQueries queries, Func<CancellationToken, Task<T>> compute, CancellationToken ct)
    {
        var runId = await RunIdAsync(queries, ct);
        var entryKey = $"map:{runId}:{key}";
        if (cache.TryGetValue(entryKey, out T? value) && value is not null)
        {
            return value;
        }

        value = await compute(ct);
        cache.Set(entryKey, value, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = EntryLifetime, Size = 1 });
        return value;
    }

    public void Dispose() => cache.Dispose();

    private async Task<Guid> RunIdAsync(ReviewMapQueries queries, CancellationToken ct)
    {
        if (cache.TryGetValue(RunIdKey, out Guid runId))
        {
            return runId;
        }

        runId = await queries.PublishedRunIdAsync(ct) ?? Guid.Empty;
        cache.Set(RunIdKey, runId, new MemoryCacheEntryOptions { AbsoluteExpiration = time.GetUtcNow() + RunIdLifetime, Size = 1 });
        return runId;
    }
}
