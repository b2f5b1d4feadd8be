using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using StopSync.Data;
using StopSync.Data.Entities;
using StopSync.Data.Pipeline;
using StopSync.Jobs.Pipeline.Acquisition;
using StopSync.Jobs.Pipeline.AtlasImport;
using StopSync.Jobs.Pipeline.Geography;
using StopSync.Jobs.Pipeline.GtfsImport;
using StopSync.Jobs.Pipeline.Matching;
using StopSync.Jobs.Pipeline.Matching.Engine;
using StopSync.Jobs.Pipeline.OsmImport;
using StopSync.Jobs.Pipeline.Publication;

namespace StopSync.Jobs.Pipeline;

/// <summary>
/// One pipeline run: acquire the sources, read them, match, publish. Only one run at a time: a trigger that finds the
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
    PipelineStatusStore status,
    PipelineRunLock runLock,
    TimeProvider clock,
    ILogger<PipelineRunner> logger)
{
    public const string SkippedMessage = "Trigger skipped: another pipeline run is active";
    private const int EtaHistoryRuns = 5;

    public Task<PipelineRun> RunAsync(string trigger, CancellationToken ct) => RunAsync(trigger, PipelineMode.Full, ct);

    public async Task<PipelineRun> RunAsync(string trigger, PipelineMode mode, CancellationToken ct)
    {
        var run = new PipelineRun
        {
            Id = Guid.NewGuid(),
            Trigger = trigger,
            Mode = ModeName(mode),
            Status = PipelineRunStatus.Running,
            StartedAt = clock.GetUtcNow(),
            Message = "Checking sources",
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

        if (mode == PipelineMode.Import)
        {
            throw new NotSupportedException("Mode 'import' is not available yet: matching results are not kept between runs. Use match-import.");
        }

        await SaveAsync(run, ct);
        var progress = await StartProgressAsync(run, mode, ct);
        logger.LogInformation("Pipeline run {RunId} started ({Trigger}, {Mode})", run.Id, trigger, run.Mode);

        try
        {
            var published = await ExecuteAsync(run, mode, progress, ct);
            run.Status = PipelineRunStatus.Succeeded;
            run.Message = $"Published {published.StopRows} stop rows and {published.Problems} problems ({run.Mode})";
            await progress.SucceedAsync($"Dataset published: {run.Mode} run, {clock.GetUtcNow():yyyy-MM-dd HH:mm} UTC");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            run.Status = PipelineRunStatus.Failed;
            run.Message = "Pipeline run failed; the previous dataset stays published.";
            run.Error = ex.Message;
            logger.LogError(ex, "Pipeline run {RunId} failed", run.Id);
            await progress.FailAsync(ex.Message);
            throw;
        }
        catch (OperationCanceledException)
        {
            // Host shutdown or Ctrl-C: recorded as failed, so no run stays "running" for ever.
            run.Status = PipelineRunStatus.Failed;
            run.Message = "Pipeline run was cancelled; the previous dataset stays published.";
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

    private async Task<PublicationCounts> ExecuteAsync(PipelineRun run, PipelineMode mode, RunProgress progress, CancellationToken ct)
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
            sources = await acquisition.FetchAsync(plan, log, ct);
            var allReused = new[] { sources.Atlas, sources.Gtfs, sources.Osm }.All(s => s.Outcome != AcquisitionOutcome.Downloaded);
            await progress.CompleteAsync(PipelinePhases.SourceFiles, SourceCounts(sources),
                allReused ? PhaseStatus.Reused : PhaseStatus.Complete,
                string.Join(", ", new[] { sources.Atlas, sources.Gtfs, sources.Osm }.Select(s => $"{s.Source}: {s.Outcome}".ToLowerInvariant())));
        }

        timings["sources"] = progress.Durations.Values.Sum();
        var today = SwissCalendar.Today(clock);
        await progress.StartAsync(PipelinePhases.MatchingInputs, "Reading ATLAS, OSM and GTFS");
        var atlas = Timed(timings, "atlas_read", () => atlasReader.Read(sources.Atlas.FilePath, today));
        var osm = Timed(timings, "osm_read", () => osmReader.Read(sources.Osm.FilePath));
        var gtfs = Timed(timings, "gtfs_read", () => gtfsReader.Read(sources.Gtfs.FilePath, atlas.Platforms, border.Contains, ct));
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
        // GTFS route evidence feeds the stop matching; line/itinerary matching is not part of this engine yet.
        await progress.OutcomeAsync(PipelinePhases.RouteMatching, PhaseStatus.Skipped, "Route matching is not implemented yet");

        var stats = new
        {
            run_id = run.Id,
            mode = run.Mode,
            sources = new[] { sources.Atlas, sources.Gtfs, sources.Osm }.Select(s => new
            {
                source = s.Source.ToString().ToLowerInvariant(),
                outcome = s.Outcome.ToString().ToLowerInvariant(),
                bytes = s.Bytes,
                etag = s.Snapshot?.ETag,
                last_modified = s.Snapshot?.LastModified,
            }),
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
        run.Stats = JsonSerializer.Serialize(stats, StatsJson.Options);

        await progress.StartAsync(PipelinePhases.Database, "Loading and indexing the staged database");
        var sw = Stopwatch.StartNew();
        var published = await publisher.PublishStagedAsync(run.Id, stats, (connection, token) => DatasetPublisher.LoadAsync(connection, result, token),
            stage => OnPublicationStage(progress, stage), ct);
        timings["publish"] = sw.Elapsed.TotalSeconds;
        await progress.CompleteAsync(PipelinePhases.Publish, new Dictionary<string, long>
        {
            ["stop_rows"] = published.StopRows,
            ["problems"] = published.Problems,
            ["atlas_stops"] = published.AtlasStops,
            ["osm_nodes"] = published.OsmNodes,
        });
        run.Stats = JsonSerializer.Serialize(stats, StatsJson.Options);
        logger.LogInformation("Pipeline run {RunId} published {StopRows} stop rows ({Matches} matches, {Problems} problems)",
            run.Id, published.StopRows, result.Matches.Count, published.Problems);
        return published;
    }

    /// <summary>The publisher's steps map onto the last two phases: staging is <c>database</c>, the swap is <c>publish</c>.</summary>
    private static void OnPublicationStage(RunProgress progress, string stage)
    {
        if (stage == "swap")
        {
            // Synchronous callback from the publisher; the two small Redis writes are awaited here on purpose.
            progress.CompleteAsync(PipelinePhases.Database).GetAwaiter().GetResult();
            progress.StartAsync(PipelinePhases.Publish, "Publishing the new dataset").GetAwaiter().GetResult();
        }
    }

    private async Task<RunProgress> StartProgressAsync(PipelineRun run, PipelineMode mode, CancellationToken ct)
    {
        var previous = await status.ReadRunDocumentAsync();
        var document = new PipelineStatusDocument
        {
            Status = PipelineStates.Running,
            Phase = PipelinePhases.SourceCheck,
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

    /// <summary>ETA: the mean of each phase's duration over the last successful runs, summed over the phases this mode runs.</summary>
    private async Task<double?> EstimateSecondsAsync(PipelineMode mode, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var recent = await db.PipelineRuns.AsNoTracking()
            .Where(r => r.Status == PipelineRunStatus.Succeeded)
            .OrderByDescending(r => r.StartedAt)
            .Take(EtaHistoryRuns)
            .Select(r => r.Stats)
            .ToListAsync(ct);
        var samples = recent.Select(ReadPhaseSeconds).Where(p => p.Count > 0).ToList();
        if (samples.Count == 0)
        {
            return null;
        }

        var phases = PipelinePhases.All.Select(p => p.Id)
            .Where(p => mode != PipelineMode.MatchImport || (p != PipelinePhases.SourceCheck && p != PipelinePhases.SourceFiles));
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

    /// <summary>Logs each source's progress at most every tenth of its size, and its outcome.</summary>
    private sealed class SourceProgressLog(ILogger logger) : IProgress<AcquisitionProgress>
    {
        private readonly Dictionary<SourceKind, int> _lastDecile = [];

        public void Report(AcquisitionProgress value)
        {
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
    }
}

/// <summary>full: probe, download what changed, match, publish; match-import: reuse the cached files; import: publish the last result.</summary>
public enum PipelineMode
{
    Full,
    MatchImport,
    Import,
}
