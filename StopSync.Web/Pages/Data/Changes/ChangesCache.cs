using Microsoft.Extensions.Caching.Memory;

namespace StopSync.Web.Pages.Data.Changes;

/// <summary>
/// Answers of the changes page, API and feeds, kept in process per live run: a publication's changes never change
/// after its swap, and the history loses rows (retention) only at the next swap, which changes the live run and so
/// every key. The live run id itself is read on every request, so a new publication shows at once.
/// </summary>
public sealed class ChangesCache : IDisposable
{
    /// <summary>Filters are chosen by visitors, so the number of entries is bounded: beyond it the cache compacts.</summary>
    public const int MaxEntries = 1000;

    /// <summary>Entries of an earlier live run are never read again; they leave when they expire or are compacted.</summary>
    private static readonly TimeSpan EntryLifetime = TimeSpan.FromMinutes(30);

    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = MaxEntries });

    /// <summary>Without a live run (before the first publication) nothing is kept: the first publication must show at once.</summary>
    public async Task<T> GetOrAddAsync<T>(Guid? liveRun, string key, Func<CancellationToken, Task<T>> compute, CancellationToken ct)
    {
        if (liveRun is not { } run)
        {
            return await compute(ct);
        }

        var entryKey = $"{run:N}:{key}";
        if (cache.TryGetValue(entryKey, out T? value) && value is not null)
        {
            return value;
        }

        value = await compute(ct);
        cache.Set(entryKey, value, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = EntryLifetime, Size = 1 });
        return value;
    }

    public void Dispose() => cache.Dispose();
}
