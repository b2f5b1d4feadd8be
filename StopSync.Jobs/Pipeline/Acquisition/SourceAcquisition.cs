using System.Globalization;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace StopSync.Jobs.Pipeline.Acquisition;

/// <summary>
/// Brings the ATLAS, GTFS and OSM files into the cache directory, in parallel. ATLAS and GTFS are probed first and
/// downloaded only when their validators changed (webapp-spec §2.6); OSM is queried on every run. A source that fails
/// fails the run: its previously cached file stays in place and its entry in <c>sources.json</c> is left as it was,
/// while the sources that succeeded are recorded, so the next run can reuse them.
/// </summary>
public sealed class SourceAcquisition(
    SourceDownloader downloader,
    OverpassClient overpass,
    SourceCacheStore store,
    IOptions<SourceOptions> options,
    TimeProvider time,
    ILogger<SourceAcquisition> logger)
{
    /// <param name="progress">Called from the three sources' tasks, which may run at the same time.</param>
    public async Task<AcquiredSources> AcquireAsync(IProgress<AcquisitionProgress>? progress, CancellationToken ct)
    {
        var settings = options.Value;
        var cache = Path.GetFullPath(settings.CacheDirectory);
        Directory.CreateDirectory(cache);
        var manifest = await store.LoadAsync(cache, ct);

        var atlas = AcquireFileAsync(SourceKind.Atlas, settings.Atlas, cache, manifest, progress, ct);
        var gtfs = AcquireFileAsync(SourceKind.Gtfs, settings.Gtfs, cache, manifest, progress, ct);
        var osm = AcquireOsmAsync(settings.Osm, cache, progress, ct);
        Task<AcquiredSource>[] all = [atlas, gtfs, osm];
        try
        {
            await Task.WhenAll(all);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            var failures = all.Where(t => t.IsFaulted).SelectMany(t => t.Exception!.InnerExceptions).ToList();
            if (failures.Count == 1)
            {
                ExceptionDispatchInfo.Capture(failures[0]).Throw();
            }

            var message = $"{failures.Count} sources failed: {string.Join(" | ", failures.Select(f => f.Message))}";
            if (failures.All(f => f is SourceFormatException))
            {
                throw new SourceFormatException(message, new AggregateException(failures));
            }

            throw new SourceAcquisitionException(message, new AggregateException(failures));
        }

        return new AcquiredSources(await atlas, await gtfs, await osm);
    }

    /// <summary>
    /// The files of the last acquisition (match-import mode): configured local files, else the cached copies, with no
    /// probe and no download. A source never cached fails with a message asking for a full run first.
    /// </summary>
    public AcquiredSources UseCached()
    {
        var settings = options.Value;
        var cache = Path.GetFullPath(settings.CacheDirectory);
        AcquiredSource One(SourceKind source, string? localPath)
        {
            var started = time.GetTimestamp();
            if (!string.IsNullOrWhiteSpace(localPath))
            {
                return UseLocal(source, localPath, started, null);
            }

            var target = Path.Combine(cache, CacheFileName(source));
            if (!File.Exists(target))
            {
                throw new SourceFormatException($"There is no cached {Label(source)} file at '{target}': run a full update first.");
            }

            return new AcquiredSource(source, target, AcquisitionOutcome.Reused, null, new FileInfo(target).Length, time.GetElapsedTime(started));
        }

        return new AcquiredSources(One(SourceKind.Atlas, settings.Atlas.Path), One(SourceKind.Gtfs, settings.Gtfs.Path), One(SourceKind.Osm, settings.Osm.Path));
    }

    internal static string CacheFileName(SourceKind source) => source switch
    {
        SourceKind.Atlas => "atlas-traffic-points.csv",
        SourceKind.Gtfs => "gtfs.zip",
        _ => "osm-stops.xml",
    };

    internal static string Label(SourceKind source) => source.ToString().ToUpperInvariant();

    private async Task<AcquiredSource> AcquireFileAsync(
        SourceKind source,
        FileSourceOptions settings,
        string cache,
        SourceCacheManifest manifest,
        IProgress<AcquisitionProgress>? progress,
        CancellationToken ct)
    {
        var started = time.GetTimestamp();
        if (!string.IsNullOrWhiteSpace(settings.Path))
        {
            return UseLocal(source, settings.Path, started, progress);
        }

        var url = ResolveUrl(source, settings.Url);
        var target = Path.Combine(cache, CacheFileName(source));
        progress?.Report(new AcquisitionProgress(source, AcquisitionPhase.Probing, 0, null));
        var previous = manifest.Find(source);
        var current = await downloader.ProbeAsync(Label(source), url, ct);

        var decision = options.Value.ForceRefresh ? new FreshnessDecision(false, "refresh forced")
            : !File.Exists(target) ? new FreshnessDecision(false, "no cached file")
            : SourceFreshness.Compare(previous?.Snapshot, current);
        if (decision.Unchanged)
        {
            var size = new FileInfo(target).Length;
            // The newest probe is kept: it matched on the deciding validator and may carry more of them.
            await store.UpdateAsync(cache, source, previous! with { Snapshot = current, Bytes = size }, ct);
            logger.LogInformation("{Source} is unchanged ({Reason}); reusing {Path}", Label(source), decision.Reason, target);
            progress?.Report(new AcquisitionProgress(source, AcquisitionPhase.Finished, size, size, AcquisitionOutcome.Reused));
            return new AcquiredSource(source, target, AcquisitionOutcome.Reused, current, size, time.GetElapsedTime(started));
        }

        logger.LogInformation("Downloading {Source} from {Url}: {Reason}", Label(source), url, decision.Reason);
        var result = await downloader.DownloadAsync(url, target, Relay(source, progress), ct);
        await store.UpdateAsync(cache, source, new SourceCacheEntry(CacheFileName(source), result.Bytes, time.GetUtcNow(), current), ct);
        progress?.Report(
            new AcquisitionProgress(source, AcquisitionPhase.Finished, result.Bytes, result.Bytes, AcquisitionOutcome.Downloaded));
        return new AcquiredSource(source, target, AcquisitionOutcome.Downloaded, current, result.Bytes, time.GetElapsedTime(started));
    }

    private async Task<AcquiredSource> AcquireOsmAsync(
        OverpassSourceOptions settings,
        string cache,
        IProgress<AcquisitionProgress>? progress,
        CancellationToken ct)
    {
        var started = time.GetTimestamp();
        if (!string.IsNullOrWhiteSpace(settings.Path))
        {
            return UseLocal(SourceKind.Osm, settings.Path, started, progress);
        }

        var endpoint = new Uri(settings.OverpassUrl);
        var query = string.IsNullOrWhiteSpace(settings.Query) ? OverpassQuery.Default : settings.Query;
        var target = Path.Combine(cache, CacheFileName(SourceKind.Osm));
        logger.LogInformation("Querying Overpass at {Endpoint}", endpoint);
        progress?.Report(new AcquisitionProgress(SourceKind.Osm, AcquisitionPhase.Downloading, 0, null));
        var bytes = await overpass.QueryToFileAsync(endpoint, query, target, Relay(SourceKind.Osm, progress), ct);
        var entry = new SourceCacheEntry(CacheFileName(SourceKind.Osm), bytes, time.GetUtcNow(), Snapshot: null);
        await store.UpdateAsync(cache, SourceKind.Osm, entry, ct);
        progress?.Report(new AcquisitionProgress(SourceKind.Osm, AcquisitionPhase.Finished, bytes, bytes, AcquisitionOutcome.Downloaded));
        return new AcquiredSource(SourceKind.Osm, target, AcquisitionOutcome.Downloaded, null, bytes, time.GetElapsedTime(started));
    }

    private AcquiredSource UseLocal(SourceKind source, string path, long started, IProgress<AcquisitionProgress>? progress)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            // A configured file that is not there is bad input, like an unreadable one, not a failed download.
            throw new SourceFormatException(
                $"The {Label(source)} source file '{full}' does not exist (set by {SourceOptions.SectionName}:{source}:Path).");
        }

        var size = new FileInfo(full).Length;
        logger.LogInformation("Using the local {Source} file {Path} ({Bytes} bytes)", Label(source), full, size);
        progress?.Report(new AcquisitionProgress(source, AcquisitionPhase.Finished, size, size, AcquisitionOutcome.Local));
        return new AcquiredSource(source, full, AcquisitionOutcome.Local, null, size, time.GetElapsedTime(started));
    }

    private Uri ResolveUrl(SourceKind source, string? configured)
    {
        var year = time.GetLocalNow().Year.ToString("D4", CultureInfo.InvariantCulture);
        var text = configured?.Replace(SourceOptions.YearPlaceholder, year, StringComparison.Ordinal);
        return SourceOptionsValidator.TryParseSourceUrl(text, out var url)
            ? url
            : throw new SourceAcquisitionException(
                $"{SourceOptions.SectionName}:{source}:Url '{configured}' is not an absolute https URL.");
    }

    private static InlineProgress<DownloadProgress>? Relay(SourceKind source, IProgress<AcquisitionProgress>? progress) =>
        progress is null
            ? null
            : new InlineProgress<DownloadProgress>(p =>
                progress.Report(new AcquisitionProgress(source, AcquisitionPhase.Downloading, p.BytesDone, p.TotalBytes)));
}
