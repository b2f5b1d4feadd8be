using System.Globalization;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace StopSync.Jobs.Sources.Acquisition;

/// <summary>A new file is vouched for only once the readers accepted it (docs/06-sources.md#downloads-and-freshness).</summary>
public sealed class SourceAcquisition(
    SourceDownloader downloader,
    OverpassClient overpass,
    SourceCacheStore store,
    IOptions<SourceOptions> options,
    TimeProvider time,
    ILogger<SourceAcquisition> logger)
{
    /// <param name="progress">Called from the sources' tasks, which may run at the same time.</param>
    public async Task<AcquisitionPlan> CheckAsync(IProgress<AcquisitionProgress>? progress, CancellationToken ct)
    {
        var settings = options.Value;
        var cache = Path.GetFullPath(settings.CacheDirectory);
        Directory.CreateDirectory(cache);
        var manifest = await store.LoadAsync(cache, ct);

        var plans = await WhenAllSourcesAsync(
            [
                PlanFileAsync(SourceKind.Atlas, settings.Atlas, cache, manifest, progress, ct),
                PlanFileAsync(SourceKind.Gtfs, settings.Gtfs, cache, manifest, progress, ct),
                PlanOsm(settings.Osm, cache),
            ],
            ct);
        return new AcquisitionPlan(plans[0], plans[1], plans[2]);
    }

    /// <summary>Records nothing yet: each source carries its entry in <see cref="AcquiredSource.Pending"/>.</summary>
    public async Task<AcquiredSources> FetchAsync(AcquisitionPlan plan, IProgress<AcquisitionProgress>? progress, CancellationToken ct)
    {
        var sources = await WhenAllSourcesAsync([.. plan.All.Select(p => FetchOneAsync(p, progress, ct))], ct);
        return new AcquiredSources(sources[0], sources[1], sources[2]);
    }

    /// <summary>Call it only once the files were read successfully.</summary>
    public async Task CommitAsync(AcquiredSources sources, CancellationToken ct)
    {
        var entries = new[] { sources.Atlas, sources.Gtfs, sources.Osm }
            .Where(s => s.Pending is not null)
            .Select(s => (s.Source, Entry: s.Pending!))
            .ToList();
        if (entries.Count == 0)
        {
            return;
        }

        await store.UpdateAsync(Path.GetFullPath(options.Value.CacheDirectory), entries, ct);
        logger.LogInformation("Recorded {Sources} in {Manifest}",
            string.Join(", ", entries.Select(e => Label(e.Source))), SourceCacheStore.FileName);
    }

    /// <summary>Match-import mode: no probe and no download; a source never cached asks for a full run first.</summary>
    public AcquiredSources UseCached()
    {
        var settings = options.Value;
        var cache = Path.GetFullPath(settings.CacheDirectory);
        AcquiredSource One(SourceKind source, string? localPath)
        {
            var started = time.GetTimestamp();
            if (!string.IsNullOrWhiteSpace(localPath))
            {
                var local = LocalFile(source, localPath);
                var size = LocalSize(source, local);
                return new AcquiredSource(source, local, AcquisitionOutcome.Local, null, size, time.GetElapsedTime(started));
            }

            var target = Path.Combine(cache, SourceFileNames.Of(source));
            if (!File.Exists(target))
            {
                throw new SourceFormatException($"There is no cached {Label(source)} file at '{target}': run a full update first.");
            }

            return new AcquiredSource(source, target, AcquisitionOutcome.Reused, null, new FileInfo(target).Length, time.GetElapsedTime(started));
        }

        return new AcquiredSources(One(SourceKind.Atlas, settings.Atlas.Path), One(SourceKind.Gtfs, settings.Gtfs.Path), One(SourceKind.Osm, settings.Osm.Path));
    }

    internal static string Label(SourceKind source) => source.ToString().ToUpperInvariant();

    /// <summary>Waits for all three sources, so none is cut off half-way, then fails with every source's failure.</summary>
    private static async Task<T[]> WhenAllSourcesAsync<T>(Task<T>[] all, CancellationToken ct)
    {
        try
        {
            return await Task.WhenAll(all);
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
    }

    private async Task<SourcePlan> PlanFileAsync(
        SourceKind source,
        FileSourceOptions settings,
        string cache,
        SourceCacheManifest manifest,
        IProgress<AcquisitionProgress>? progress,
        CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(settings.Path))
        {
            return PlanLocal(source, settings.Path);
        }

        var url = ResolveUrl(source, settings.Url);
        var target = Path.Combine(cache, SourceFileNames.Of(source));
        progress?.Report(new AcquisitionProgress(source, AcquisitionPhase.Probing, 0, null));
        var previous = manifest.Find(source);
        var current = await downloader.ProbeAsync(Label(source), url, ct);

        var decision = options.Value.ForceRefresh ? new FreshnessDecision(false, "refresh forced")
            : !File.Exists(target) ? new FreshnessDecision(false, "no cached file")
            : SourceFreshness.Compare(previous?.Snapshot, current);
        if (decision.Unchanged && new FileInfo(target).Length != previous!.Bytes)
        {
            // A download the run could not read replaced the cached file but not its entry; should the publisher go back
            // to the recorded file's validators, the size still tells the unread file from the recorded one.
            decision = new FreshnessDecision(
                false, $"{decision.Reason}, but the cached file is not the recorded one ({previous.Bytes} bytes)");
        }

        var action = decision.Unchanged ? SourceAction.Reuse : SourceAction.Download;
        logger.LogInformation("{Source}: {Action} ({Reason})", Label(source), action, decision.Reason);
        return new SourcePlan(source, action, target, url, current, previous, decision.Reason);
    }

    /// <summary>Not async, as there is nothing to probe; a failure still comes back as a faulted task, reported with the others.</summary>
    private static Task<SourcePlan> PlanOsm(OverpassSourceOptions settings, string cache)
    {
        try
        {
            return Task.FromResult(string.IsNullOrWhiteSpace(settings.Path)
                ? new SourcePlan(SourceKind.Osm, SourceAction.Download, Path.Combine(cache, SourceFileNames.Of(SourceKind.Osm)),
                    new Uri(settings.OverpassUrl), null, null, "Overpass has no validators; it is queried on every run")
                : PlanLocal(SourceKind.Osm, settings.Path));
        }
        catch (SourceFormatException e)
        {
            return Task.FromException<SourcePlan>(e);
        }
    }

    private static SourcePlan PlanLocal(SourceKind source, string path) =>
        new(source, SourceAction.Local, LocalFile(source, path), null, null, null, "a local file is configured");

    private async Task<AcquiredSource> FetchOneAsync(SourcePlan plan, IProgress<AcquisitionProgress>? progress, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var source = plan.Source;
        AcquiredSource Finish(AcquisitionOutcome outcome, long bytes, SourceCacheEntry? pending)
        {
            progress?.Report(new AcquisitionProgress(source, AcquisitionPhase.Finished, bytes, bytes, outcome));
            return new AcquiredSource(source, plan.FilePath, outcome, plan.Snapshot, bytes, time.GetElapsedTime(started), pending);
        }

        if (plan.Action == SourceAction.Local)
        {
            return Finish(AcquisitionOutcome.Local, LocalSize(source, plan.FilePath), null);
        }

        if (plan.Action == SourceAction.Reuse)
        {
            var size = new FileInfo(plan.FilePath).Length;
            logger.LogInformation("Reusing {Path} for {Source}", plan.FilePath, Label(source));
            // The newest probe is kept: it matched on the deciding validator and may carry more of them.
            return Finish(AcquisitionOutcome.Reused, size, plan.Cached! with { Snapshot = plan.Snapshot, Bytes = size });
        }

        var url = plan.Url!;
        long bytes;
        if (source == SourceKind.Osm)
        {
            var query = string.IsNullOrWhiteSpace(options.Value.Osm.Query) ? OverpassQuery.Default : options.Value.Osm.Query;
            logger.LogInformation("Querying Overpass at {Endpoint}", url);
            progress?.Report(new AcquisitionProgress(source, AcquisitionPhase.Downloading, 0, null));
            bytes = await overpass.QueryToFileAsync(url, query, plan.FilePath, Relay(source, progress), ct);
        }
        else
        {
            logger.LogInformation("Downloading {Source} from {Url}: {Reason}", Label(source), url, plan.Reason);
            bytes = (await downloader.DownloadAsync(url, plan.FilePath, Relay(source, progress), ct)).Bytes;
        }

        var entry = new SourceCacheEntry(SourceFileNames.Of(source), bytes, time.GetUtcNow(), plan.Snapshot);
        return Finish(AcquisitionOutcome.Downloaded, bytes, entry);
    }

    private long LocalSize(SourceKind source, string path)
    {
        var size = new FileInfo(path).Length;
        logger.LogInformation("Using the local {Source} file {Path} ({Bytes} bytes)", Label(source), path, size);
        return size;
    }

    private static string LocalFile(SourceKind source, string path)
    {
        var full = Path.GetFullPath(path);
        // A configured file that is not there is bad input, like an unreadable one, not a failed download.
        return File.Exists(full)
            ? full
            : throw new SourceFormatException(
                $"The {Label(source)} source file '{full}' does not exist (set by {SourceOptions.SectionName}:{source}:Path).");
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
