using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using StopSync.Data;
using StopSync.Data.Entities;
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
/// One pipeline run: acquire the sources, read them, match, publish. The run is recorded in <c>pipeline_runs</c>;
/// a failure is recorded there too and leaves the previously published dataset untouched.
/// </summary>
public sealed class PipelineRunner(
    IDbContextFactory<StopSyncDbContext> contexts,
    SourceAcquisition acquisition,
    AtlasCsvReader atlasReader,
    OverpassXmlReader osmReader,
    GtfsReader gtfsReader,
    SwissBorder border,
    DatasetPublisher publisher,
    TimeProvider clock,
    ILogger<PipelineRunner> logger)
{
    public async Task<PipelineRun> RunAsync(string trigger, CancellationToken ct)
    {
        var run = new PipelineRun
        {
            Id = Guid.NewGuid(),
            Trigger = trigger,
            Mode = "full",
            Status = PipelineRunStatus.Running,
            StartedAt = clock.GetUtcNow(),
            Message = "Checking sources",
        };
        await SaveAsync(run, ct);
        logger.LogInformation("Pipeline run {RunId} started ({Trigger})", run.Id, trigger);

        var timings = new Dictionary<string, double>();
        try
        {
            var sw = Stopwatch.StartNew();
            var sources = await acquisition.AcquireAsync(new SourceProgressLog(logger), ct);
            timings["sources"] = sw.Elapsed.TotalSeconds;

            var today = SwissCalendar.Today(clock);
            var atlas = Timed(timings, "atlas_read", () => atlasReader.Read(sources.Atlas.FilePath, today));
            var osm = Timed(timings, "osm_read", () => osmReader.Read(sources.Osm.FilePath));
            var gtfs = Timed(timings, "gtfs_read", () => gtfsReader.Read(sources.Gtfs.FilePath, atlas.Platforms, border.Contains, ct));
            var result = Timed(timings, "matching", () => MatchingEngine.Run(MatchingInputLoader.Create(atlas, osm, gtfs)));

            var stats = new
            {
                run_id = run.Id,
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
            sw.Restart();
            var published = await publisher.PublishAsync(run.Id, result, stats, ct);
            timings["publish"] = sw.Elapsed.TotalSeconds;

            run.Status = PipelineRunStatus.Succeeded;
            run.Message = $"Published {published.StopRows} stop rows and {published.Problems} problems";
            run.Stats = JsonSerializer.Serialize(stats, StatsJson.Options);
            logger.LogInformation("Pipeline run {RunId} published {StopRows} stop rows ({Matches} matches, {Problems} problems)",
                run.Id, published.StopRows, result.Matches.Count, published.Problems);
        }
        catch (OperationCanceledException)
        {
            // Host shutdown or Ctrl-C: recorded as failed, so no run stays "running" for ever.
            run.Status = PipelineRunStatus.Failed;
            run.Message = "Pipeline run was cancelled; the previous dataset stays published";
            run.Error = "cancelled";
            logger.LogWarning("Pipeline run {RunId} was cancelled", run.Id);
            throw;
        }
        catch (Exception ex)
        {
            run.Status = PipelineRunStatus.Failed;
            run.Message = "Pipeline run failed; the previous dataset stays published.";
            run.Error = ex.Message;
            logger.LogError(ex, "Pipeline run {RunId} failed", run.Id);
            throw;
        }
        finally
        {
            run.FinishedAt = clock.GetUtcNow();
            await SaveAsync(run, CancellationToken.None);
        }

        return run;
    }

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
