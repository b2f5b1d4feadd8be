using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using StopSync.Data;
using StopSync.Data.Entities;
using StopSync.Data.Status;
using StopSync.Jobs.Bundles;
using StopSync.Jobs.Matching;
using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Publication;
using StopSync.Jobs.Sources;
using StopSync.Jobs.Sources.Acquisition;
using StopSync.Jobs.Sources.Atlas;
using StopSync.Jobs.Sources.Geography;
using StopSync.Jobs.Sources.Gtfs;
using StopSync.Jobs.Sources.Osm;

namespace StopSync.Jobs.Runs;

/// <summary>
/// One pipeline run: acquire the sources, read them, match, write the result bundle, publish it (import mode publishes
/// an existing bundle). Only one run at a time: a trigger that finds the
/// run lock held is recorded as skipped. Progress goes live to the Redis status document; the run, its phase timings
/// and its outcome are recorded in <c>pipeline_runs</c>. A failure leaves the previously published dataset live.
/// </summary>
public sealed class PipelineRunner(
    IDbContextFactory<StopSyncDbContext> contexts,
    SourceAcquisition acquisition,
    AtlasCsvReader atlasReader,
    OverpassXmlReader osmReader,
    GtfsReader gtfsReader,
    SwissBorder border,
    DatasetPublisher publisher,
    ResultBundleStore bundles,
    PipelineStatusStore status,
    PipelineRunLock runLock,
    TimeProvider clock,
    ILogger<PipelineRunner> logger)
{
    public const string SkippedMessage = "Trigger skipped: another pipeline run is active";
    private const int EtaHistoryRuns = 5;

    public Task<PipelineRun> RunAsync(string trigger, CancellationToken ct) => RunAsync(trigger, PipelineMode.Full, ct);

    public Task<PipelineRun> RunAsync(string trigger, PipelineMode mode, CancellationToken ct) => RunAsync(trigger, mode, null, ct);

    /// <param name="importBundle">Import mode only: the bundle directory to publish; null takes the newest in the bundle store.</param>
    public async Task<PipelineRun> RunAsync(string trigger, PipelineMode mode, string? importBundle, CancellationToken ct)
    {
        var run = new PipelineRun
        {
            Id = Guid.NewGuid(),
            Trigger = trigger,
            Mode = ModeName(mode),
            Status = PipelineRunStatus.Running,
            StartedAt = clock.GetUtcNow(),
            Message = mode == PipelineMode.Import ? "Publishing an existing result bundle" : "Checking sources",
        };
        await using var held = await runLock.TryAcquireAsync();
        if (held is null)
        {
            run.Status = PipelineRunStatus.Skipped;
            run.Message = SkippedMessage;
            run.FinishedAt = run.StartedAt;
            await status.RecordSkippedAsync(trigger, SkippedMessage);
            await SaveAsync(run, ct);
            logger.LogWarning("Pipeline trigger {Trigger} skipped: another run is active", trigger);
            return run;
        }

        await SaveAsync(run, ct);
        var progress = await StartProgressAsync(run, mode, ct);
        logger.LogInformation("Pipeline run {RunId} started ({Trigger}, {Mode})", run.Id, trigger, run.Mode);

        try
        {
            var published = await ExecuteAsync(run, mode, importBundle, progress, ct);
            run.Status = PipelineRunStatus.Succeeded;
            run.Message = $"Published {published.StopRows} stop rows and {published.Problems} problems ({run.Mode})";
            try
            {
                await progress.SucceedAsync($"Dataset published: {run.Mode} run, {clock.GetUtcNow():yyyy-MM-dd HH:mm} UTC");
            }
            catch (RedisException ex)
            {
                // The dataset is live and the run history will say so; only the live status missed its last write.
                logger.LogWarning(ex, "Run {RunId} published, but its final status could not be written", run.Id);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            run.Status = PipelineRunStatus.Failed;
            run.Message = "Pipeline run failed; the previous dataset stays published";
            run.Error = ex.Message;
            if (ex is SourceFormatException or ResultBundleException)
            {
                // Bad input, fully described by its message: no stack trace for the operator to wade through.
                logger.LogError("Pipeline run {RunId} failed: {Error}", run.Id, ex.Message);
            }
            else
            {
                logger.LogError(ex, "Pipeline run {RunId} failed", run.Id);
            }

            await progress.FailAsync(ex.Message);
            throw;
        }
        catch (OperationCanceledException)
        {
            // Host shutdown or Ctrl-C: recorded as failed, so no run stays "running" for ever.
            run.Status = PipelineRunStatus.Failed;
            run.Message = "Pipeline run was cancelled; the previous dataset stays published";
            run.Error = "cancelled";
            logger.LogWarning("Pipeline run {RunId} was cancelled", run.Id);
            await progress.FailAsync("The run was cancelled (the jobs host is stopping)");
            throw;
        }
        finally
        {
            run.FinishedAt = clock.GetUtcNow();
            run.Stats = MergePhaseSeconds(run.Stats, progress.Durations);
            await SaveAsync(run, CancellationToken.None);
        }

        return run;
    }

    private async Task<PublicationCounts> ExecuteAsync(PipelineRun run, PipelineMode mode, string? importBundle, RunProgress progress, CancellationToken ct)
    {
        string bundlePath;
        object? runStats = null;
        string? written = null;
        PublicationCounts published;
        try
        {
            if (mode == PipelineMode.Import)
            {
                bundlePath = await SelectBundleAsync(importBundle, progress);
            }
            else
            {
                (bundlePath, runStats) = await MatchAsync(run, mode, progress, ct);
                written = bundlePath;
            }

            published = await PublishBundleAsync(run, bundlePath, progress, bundle => runStats ?? new
            {
                run_id = run.Id,
                mode = run.Mode,
                bundle = new { path = bundlePath, run_id = bundle.Manifest.RunId, generated_at = bundle.Manifest.GeneratedAt, engine_version = bundle.Manifest.EngineVersion },
                summary = bundle.Manifest.Metadata.Summary,
            }, ct);
        }
        catch when (written is not null)
        {
            // Failed before or during the swap: this bundle never went live, so it must never be imported later.
            bundles.Delete(written);
            throw;
        }

        // The new dataset is live from here on: bookkeeping that fails now is logged, never reported as a failed run.
        try
        {
            bundles.MarkPublished(bundlePath, run.Id, clock.GetUtcNow());
            bundles.Prune(bundlePath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(ex, "Run {RunId} published, but its bundle receipt or the pruning of old bundles failed", run.Id);
        }

        return published;
    }

    /// <summary>Sources, inputs and matching, then the result bundle; returns the bundle's directory and the run statistics.</summary>
    private async Task<(string Bundle, object Stats)> MatchAsync(PipelineRun run, PipelineMode mode, RunProgress progress, CancellationToken ct)
    {
        var timings = new Dictionary<string, double>();
        AcquiredSources sources;
        if (mode == PipelineMode.MatchImport)
        {
            await progress.OutcomeAsync(PipelinePhases.SourceCheck, PhaseStatus.Skipped, "match-import: sources are not probed");
            await progress.StartAsync(PipelinePhases.SourceFiles, "Using the cached source files");
            sources = acquisition.UseCached();
            await progress.CompleteAsync(PipelinePhases.SourceFiles, SourceCounts(sources), PhaseStatus.Reused, "Cached source files reused");
        }
        else
        {
            await progress.StartAsync(PipelinePhases.SourceCheck, "Checking source freshness");
            var log = new SourceProgressLog(logger);
            var plan = await acquisition.CheckAsync(log, ct);
            var downloads = plan.Count(SourceAction.Download);
            await progress.CompleteAsync(PipelinePhases.SourceCheck, new Dictionary<string, long>
            {
                ["to_download"] = downloads,
                ["to_reuse"] = plan.Count(SourceAction.Reuse),
                ["local_files"] = plan.Count(SourceAction.Local),
            });
            await progress.StartAsync(PipelinePhases.SourceFiles,
                downloads == 0 ? "Using the cached source files" : $"Downloading the source files ({downloads} to download)");
            sources = await acquisition.FetchAsync(plan, new SourceProgressLog(logger, progress), ct);
            var allReused = new[] { sources.Atlas, sources.Gtfs, sources.Osm }.All(s => s.Outcome != AcquisitionOutcome.Downloaded);
            await progress.CompleteAsync(PipelinePhases.SourceFiles, SourceCounts(sources),
                allReused ? PhaseStatus.Reused : PhaseStatus.Complete,
                string.Join(", ", new[] { sources.Atlas, sources.Gtfs, sources.Osm }.Select(s => $"{s.Source}: {s.Outcome}".ToLowerInvariant())));
        }

        timings["sources"] = progress.Durations.Values.Sum();
        var today = SwissCalendar.Today(clock);
        await progress.StartAsync(PipelinePhases.MatchingInputs, "Reading ATLAS, OSM and GTFS");
        var atlas = await progress.StageAsync(PipelinePhases.MatchingInputs, "atlas", "Reading the ATLAS traffic points",
            () => Timed(timings, "atlas_read", () => atlasReader.Read(sources.Atlas.FilePath, today)),
            a => new Dictionary<string, long> { ["platforms"] = a.Platforms.Count });
        var osm = await progress.StageAsync(PipelinePhases.MatchingInputs, "osm", "Reading the OSM stops and routes",
            () => Timed(timings, "osm_read", () => osmReader.Read(sources.Osm.FilePath)),
            o => new Dictionary<string, long> { ["elements"] = o.Elements.Count, ["route_relations"] = o.Relations.Count });
        var gtfs = await progress.StageAsync(PipelinePhases.MatchingInputs, "gtfs", "Reading the GTFS timetable",
            () => Timed(timings, "gtfs_read", () => gtfsReader.Read(sources.Gtfs.FilePath, atlas.Platforms, border.Contains, ct)),
            g => new Dictionary<string, long> { ["sloids_with_routes"] = g.RouteEvidenceBySloid.Count });
        await progress.CompleteAsync(PipelinePhases.MatchingInputs, new Dictionary<string, long>
        {
            ["atlas_platforms"] = atlas.Platforms.Count,
            ["osm_elements"] = osm.Elements.Count,
            ["sloids_with_routes"] = gtfs.RouteEvidenceBySloid.Count,
        });
        // Only files the readers accepted are vouched for in sources.json; a new file that failed is downloaded again.
        await acquisition.CommitAsync(sources, ct);

        await progress.StartAsync(PipelinePhases.StopMatching, "Matching ATLAS platforms with OSM elements");
        var result = Timed(timings, "matching", () => MatchingEngine.Run(MatchingInputLoader.Create(atlas, osm, gtfs)));
        await progress.CompleteAsync(PipelinePhases.StopMatching, new Dictionary<string, long>
        {
            ["matches"] = result.Matches.Count,
            ["unmatched_atlas"] = result.UnmatchedAtlas.Count,
            ["unmatched_osm"] = result.UnmatchedOsm.Count,
            ["problems"] = result.Problems.Count,
        });
        // GTFS route evidence feeds the stop matching; line/itinerary matching (matching-spec §3.5) is not built yet.
        await progress.OutcomeAsync(PipelinePhases.RouteMatching, PhaseStatus.Skipped, "Line and itinerary matching is not part of this release");

        var inputs = new[] { sources.Atlas, sources.Gtfs, sources.Osm }.Select(s => new
        {
            source = s.Source.ToString().ToLowerInvariant(),
            outcome = s.Outcome.ToString().ToLowerInvariant(),
            bytes = s.Bytes,
            etag = s.Snapshot?.ETag,
            last_modified = s.Snapshot?.LastModified,
        }).ToList();
        var stats = new
        {
            run_id = run.Id,
            mode = run.Mode,
            sources = inputs,
            atlas_filtering = atlas.Counts,
            atlas_platforms = atlas.Platforms.Count,
            atlas_duplicate_groups = atlas.DuplicateGroups.Count,
            osm = osm.Counts,
            osm_elements = osm.Elements.Count,
            gtfs = gtfs.Counts,
            sloids_with_routes = gtfs.RouteEvidenceBySloid.Count,
            matching = result.Summary,
            timings_seconds = timings,
        };

        await progress.StartAsync(PipelinePhases.Bundle, "Writing the result bundle");
        var path = bundles.PathFor(run.Id);
        var manifest = Timed(timings, "bundle", () => ResultBundleWriter.Write(path, new BundleContent(
            run.Id, clock.GetUtcNow(), PublicationInput.From(result), result.Diagnostics, inputs, stats,
            [new("atlas_filtering", atlas.Counts), new("gtfs_source", gtfs.Counts), new("quality_metrics", result.Summary)])));
        await progress.CompleteAsync(PipelinePhases.Bundle, manifest.Files.ToDictionary(f => f.Key, f => f.Value.Rows), detail: path);
        return (path, stats);
    }

    /// <summary>Import mode: the given bundle, else the newest one; the phases before <c>database</c> are not run.</summary>
    private async Task<string> SelectBundleAsync(string? requested, RunProgress progress)
    {
        const string Reason = "import: publishing an existing result bundle";
        foreach (var phase in (string[])[PipelinePhases.SourceCheck, PipelinePhases.SourceFiles, PipelinePhases.MatchingInputs,
            PipelinePhases.StopMatching, PipelinePhases.RouteMatching])
        {
            await progress.OutcomeAsync(phase, PhaseStatus.Skipped, Reason);
        }

        var path = requested is not null ? ResultBundleStore.Normalize(requested)
            : bundles.Latest() ?? throw new ResultBundleException(
                $"There is no published result bundle in '{bundles.Root}' (Pipeline:Bundles:Directory): run a full update first, or name one with --bundle.");
        await progress.OutcomeAsync(PipelinePhases.Bundle, PhaseStatus.Reused, path);
        return path;
    }

    /// <summary>
    /// Validates the bundle (before any database work), stages it, swaps it in. The run statistics are recorded once the
    /// bundle is known to be sound; the steps after the swap only report progress and never fail the run.
    /// </summary>
    private async Task<PublicationCounts> PublishBundleAsync(
        PipelineRun run, string path, RunProgress progress, Func<ResultBundle, object> stats, CancellationToken ct)
    {
        await progress.StartAsync(PipelinePhases.Database, "Validating the result bundle");
        var bundle = await progress.StageAsync(PipelinePhases.Database, "validate", "Validating the result bundle",
            () => ResultBundleReader.Read(path),
            b => new Dictionary<string, long> { ["matches"] = b.Result.Matches.Count, ["problems"] = b.Result.Problems.Count });
        run.Stats = JsonSerializer.Serialize(stats(bundle), StatsJson.Options);
        var sw = Stopwatch.StartNew();
        var published = await publisher.PublishStagedAsync(run.Id, bundle.Manifest,
            (connection, token) => DatasetPublisher.LoadAsync(connection, bundle.Result, token,
                (processed, total) => progress.ReportStageAsync(PipelinePhases.Database, "load", processed, total)),
            stage => OnPublicationStage(progress, stage), ct);
        try
        {
            await progress.CompleteStageAsync(PipelinePhases.Publish, "swap");
            await progress.CompleteAsync(PipelinePhases.Publish, new Dictionary<string, long>
            {
                ["stop_rows"] = published.StopRows,
                ["problems"] = published.Problems,
                ["atlas_stops"] = published.AtlasStops,
                ["osm_nodes"] = published.OsmNodes,
            });
        }
        catch (RedisException ex)
        {
            logger.LogWarning(ex, "Run {RunId} published, but its progress could not be written", run.Id);
        }

        logger.LogInformation("Pipeline run {RunId} published {StopRows} stop rows ({Matches} matches, {Problems} problems) from {Bundle} in {Seconds:F1} s",
            run.Id, published.StopRows, bundle.Result.Matches.Count, published.Problems, path, sw.Elapsed.TotalSeconds);
        return published;
    }

    /// <summary>
    /// The publisher's steps as sub-stages: <c>load</c> and <c>index</c> belong to <c>database</c>, the swap is <c>publish</c>.
    /// The callback is synchronous; the small Redis writes are awaited here on purpose.
    /// </summary>
    private static void OnPublicationStage(RunProgress progress, string stage)
    {
        switch (stage)
        {
            case "load":
                progress.StartStageAsync(PipelinePhases.Database, "load", "Loading the staged tables (binary COPY)").GetAwaiter().GetResult();
                break;
            case "index":
                progress.CompleteStageAsync(PipelinePhases.Database, "load").GetAwaiter().GetResult();
                progress.StartStageAsync(PipelinePhases.Database, "index", "Building keys and indexes, ANALYZE").GetAwaiter().GetResult();
                break;
            case "swap":
                progress.CompleteStageAsync(PipelinePhases.Database, "index").GetAwaiter().GetResult();
                progress.CompleteAsync(PipelinePhases.Database).GetAwaiter().GetResult();
                progress.StartAsync(PipelinePhases.Publish, "Publishing the new dataset").GetAwaiter().GetResult();
                progress.StartStageAsync(PipelinePhases.Publish, "swap", "Swapping the new tables in").GetAwaiter().GetResult();
                break;
        }
    }

    private async Task<RunProgress> StartProgressAsync(PipelineRun run, PipelineMode mode, CancellationToken ct)
    {
        var previous = await status.ReadRunDocumentAsync();
        var document = new PipelineStatusDocument
        {
            Status = PipelineStates.Running,
            Phase = mode == PipelineMode.Import ? PipelinePhases.Database : PipelinePhases.SourceCheck,
            Message = "Preparing update...",
            RunId = run.Id,
            Trigger = run.Trigger,
            Mode = run.Mode,
            StartedAt = run.StartedAt,
            Phases = PipelinePhases.Plan(),
            LastSuccessAt = previous?.LastSuccessAt,
            EtaSeconds = await EstimateSecondsAsync(mode, ct),
        };
        await status.WriteRunDocumentAsync(document);
        return new RunProgress(status, document, clock);
    }

    /// <summary>
    /// ETA: the mean of each phase's duration over the last successful runs of the same mode (an import's skipped phases
    /// would pull a full run's estimate down), summed over the phases this mode runs.
    /// </summary>
    private async Task<double?> EstimateSecondsAsync(PipelineMode mode, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var modeName = ModeName(mode);
        var recent = await db.PipelineRuns.AsNoTracking()
            .Where(r => r.Status == PipelineRunStatus.Succeeded && r.Mode == modeName)
            .OrderByDescending(r => r.StartedAt)
            .Take(EtaHistoryRuns)
            .Select(r => r.Stats)
            .ToListAsync(ct);
        var samples = recent.Select(ReadPhaseSeconds).Where(p => p.Count > 0).ToList();
        if (samples.Count == 0)
        {
            return null;
        }

        var phases = PipelinePhases.All.Select(p => p.Id).Where(p => mode switch
        {
            PipelineMode.MatchImport => p is not (PipelinePhases.SourceCheck or PipelinePhases.SourceFiles),
            PipelineMode.Import => p is PipelinePhases.Database or PipelinePhases.Publish,
            _ => true,
        });
        return Math.Round(phases.Sum(p => samples.Select(s => s.GetValueOrDefault(p)).Average()), 1);
    }

    internal static Dictionary<string, double> ReadPhaseSeconds(string stats)
    {
        try
        {
            using var json = JsonDocument.Parse(stats);
            return json.RootElement.TryGetProperty("phase_seconds", out var phases) && phases.ValueKind == JsonValueKind.Object
                ? phases.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number).ToDictionary(p => p.Name, p => p.Value.GetDouble())
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static string MergePhaseSeconds(string stats, Dictionary<string, double> durations)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(string.IsNullOrWhiteSpace(stats) ? "{}" : stats)!.AsObject();
        var phases = new System.Text.Json.Nodes.JsonObject();
        foreach (var (phase, seconds) in durations)
        {
            phases[phase] = seconds;
        }

        node["phase_seconds"] = phases;
        return node.ToJsonString();
    }

    private static Dictionary<string, long> SourceCounts(AcquiredSources sources) => new()
    {
        ["atlas_bytes"] = sources.Atlas.Bytes,
        ["gtfs_bytes"] = sources.Gtfs.Bytes,
        ["osm_bytes"] = sources.Osm.Bytes,
    };

    public static string ModeName(PipelineMode mode) => mode switch
    {
        PipelineMode.MatchImport => "match-import",
        PipelineMode.Import => "import",
        _ => "full",
    };

    private static T Timed<T>(Dictionary<string, double> timings, string name, Func<T> step)
    {
        var sw = Stopwatch.StartNew();
        var value = step();
        timings[name] = sw.Elapsed.TotalSeconds;
        return value;
    }

    private async Task SaveAsync(PipelineRun run, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await db.PipelineRuns.AnyAsync(r => r.Id == run.Id, ct))
        {
            db.PipelineRuns.Update(run);
        }
        else
        {
            db.PipelineRuns.Add(run);
        }

        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Logs each source's progress at most every tenth of its size, and its outcome. Given the run's progress, it also
    /// shows each download live as a sub-stage of <c>source_files</c> (bytes done of the announced size).
    /// </summary>
    private sealed class SourceProgressLog(ILogger logger, RunProgress? live = null) : IProgress<AcquisitionProgress>
    {
        private readonly Dictionary<SourceKind, int> _lastDecile = [];

        public void Report(AcquisitionProgress value)
        {
            if (live is not null && value.Phase != AcquisitionPhase.Probing)
            {
                var finished = value.Phase != AcquisitionPhase.Finished ? null
                    : value.Outcome == AcquisitionOutcome.Reused ? PhaseStatus.Reused
                    : PhaseStatus.Complete;
                try
                {
                    live.ReportParallelStage(PipelinePhases.SourceFiles, value.Source.ToString().ToLowerInvariant(),
                        $"{value.Source.ToString().ToUpperInvariant()}: {StageVerb(value.Outcome)}", value.BytesDone, value.TotalBytes, finished);
                }
                catch (RedisException ex)
                {
                    // Live progress is a courtesy: a Redis hiccup must not fail the download it describes.
                    logger.LogWarning("Source {Source}: progress not written to the status ({Error})", value.Source, ex.Message);
                }
            }

            lock (_lastDecile)
            {
                if (value.Phase == AcquisitionPhase.Finished)
                {
                    logger.LogInformation("Source {Source}: {Outcome} ({Bytes} bytes)", value.Source, value.Outcome, value.BytesDone);
                    return;
                }

                if (value.Phase != AcquisitionPhase.Downloading || value.TotalBytes is not > 0)
                {
                    return;
                }

                var decile = (int)(value.BytesDone * 10 / value.TotalBytes.Value);
                if (_lastDecile.GetValueOrDefault(value.Source, -1) < decile)
                {
                    _lastDecile[value.Source] = decile;
                    logger.LogInformation("Source {Source}: {Done} of {Total} bytes", value.Source, value.BytesDone, value.TotalBytes);
                }
            }
        }

        private static string StageVerb(AcquisitionOutcome? outcome) => outcome switch
        {
            AcquisitionOutcome.Reused => "cached copy",
            AcquisitionOutcome.Local => "local file",
            _ => "download",
        };
    }
}

/// <summary>full: probe, download what changed, match, publish; match-import: reuse the cached files; import: publish the last result.</summary>
public enum PipelineMode
{
    Full,
    MatchImport,
    Import,
}
