using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace StopSync.Jobs.Sources.Acquisition;

/// <param name="Snapshot">The probe that vouches for the cached file; null for OSM.</param>
public sealed record SourceCacheEntry(string File, long Bytes, DateTimeOffset AcquiredAt, SourceSnapshot? Snapshot);

public sealed record SourceCacheManifest(int Version, IReadOnlyDictionary<string, SourceCacheEntry> Sources)
{
    public const int CurrentVersion = 1;

    public static SourceCacheManifest Empty { get; } = new(CurrentVersion, new Dictionary<string, SourceCacheEntry>());

    public SourceCacheEntry? Find(SourceKind source) => Sources.GetValueOrDefault(Key(source));

    internal static string Key(SourceKind source) => source.ToString().ToLowerInvariant();
}

/// <summary>Written through a temporary file and a rename, so a crash leaves the old manifest or the new one.</summary>
public sealed class SourceCacheStore(ILogger<SourceCacheStore> logger) : IDisposable
{
    public const string FileName = "sources.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    // An update reads, changes and rewrites the manifest; two at once in this process would lose one's entries.
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<SourceCacheManifest> LoadAsync(string cacheDirectory, CancellationToken ct)
    {
        var path = Path.Combine(cacheDirectory, FileName);
        if (!File.Exists(path))
        {
            return SourceCacheManifest.Empty;
        }

        try
        {
            await using var stream = File.OpenRead(path);
            var manifest = await JsonSerializer.DeserializeAsync<SourceCacheManifest>(stream, Json, ct);
            if (manifest?.Sources is not null && manifest.Version == SourceCacheManifest.CurrentVersion)
            {
                return manifest;
            }

            logger.LogWarning("Ignoring {Path}: unknown format version; every source will be downloaded", path);
        }
        catch (JsonException e)
        {
            // A damaged manifest only costs a download; failing the run for it would be worse.
            logger.LogWarning(e, "Ignoring unreadable {Path}; every source will be downloaded", path);
        }

        return SourceCacheManifest.Empty;
    }

    /// <summary>Replaces the entries of the given sources in one write; the other sources' entries stay as they are.</summary>
    public async Task UpdateAsync(
        string cacheDirectory,
        IReadOnlyCollection<(SourceKind Source, SourceCacheEntry Entry)> entries,
        CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var current = await LoadAsync(cacheDirectory, ct);
            var sources = new SortedDictionary<string, SourceCacheEntry>(current.Sources.ToDictionary(), StringComparer.Ordinal);
            foreach (var (source, entry) in entries)
            {
                sources[SourceCacheManifest.Key(source)] = entry;
            }

            var manifest = new SourceCacheManifest(SourceCacheManifest.CurrentVersion, sources);
            await WriteAtomicallyAsync(Path.Combine(cacheDirectory, FileName), manifest, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private static async Task WriteAtomicallyAsync(string path, SourceCacheManifest manifest, CancellationToken ct)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                await JsonSerializer.SerializeAsync(stream, manifest, Json, ct);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
