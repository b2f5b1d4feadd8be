using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StopSync.Data;
using StopSync.Data.Entities;
using StopSync.Jobs.Pipeline.AtlasImport;
using StopSync.Jobs.Pipeline.Matching;
using StopSync.Jobs.Pipeline.OsmImport;
using StopSync.Jobs.Pipeline.Publication;

namespace StopSync.Jobs.Pipeline;

/// <summary>
/// One pipeline run: read the sources, match, publish. The run is recorded in <c>pipeline_runs</c>; a failure is
/// recorded there too and leaves the previously published dataset untouched.
/// </summary>
public sealed class PipelineRunner(
    IDbContextFactory<StopSyncDbContext> contexts,
    AtlasCsvReader atlasReader,
    OverpassXmlReader osmReader,
    DatasetPublisher publisher,
    IOptions<PipelineOptions> options,
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
            Message = "Reading sources",
        };
        await SaveAsync(run, ct);
        logger.LogInformation("Pipeline run {RunId} started ({Trigger})", run.Id, trigger);

        var timings = new Dictionary<string, double>();
        try
        {
            var settings = options.Value;
            var atlas = Timed(timings, "atlas_read", () => atlasReader.Read(Path.GetFullPath(settings.AtlasPath), DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)));
            var osm = Timed(timings, "osm_read", () => osmReader.Read(Path.GetFullPath(settings.OsmPath)));
            var result = Timed(timings, "matching", () => UicRefMatcher.Match(atlas.Platforms, osm.Elements));

            var stats = new
            {
                run_id = run.Id,
                atlas_filtering = atlas.Counts,
                atlas_platforms = atlas.Platforms.Count,
                osm_elements = osm.Elements.Count,
                osm_malformed = osm.Malformed,
                matched_pairs = result.Matches.Count,
                matched_atlas = result.Matches.Select(m => m.Atlas.Sloid).Distinct(StringComparer.Ordinal).Count(),
                unmatched_atlas = result.UnmatchedAtlas.Count,
                unmatched_osm = result.UnmatchedOsm.Count,
                timings_seconds = timings,
            };
            var sw = Stopwatch.StartNew();
            var published = await publisher.PublishAsync(run.Id, result, stats, ct);
            timings["publish"] = sw.Elapsed.TotalSeconds;

            run.Status = PipelineRunStatus.Succeeded;
            run.Message = $"Published {published.StopRows} stop rows and {published.Problems} problems";
            run.Stats = JsonSerializer.Serialize(stats);
            logger.LogInformation("Pipeline run {RunId} published {StopRows} stop rows ({Matches} matches, {Problems} problems)",
                run.Id, published.StopRows, result.Matches.Count, published.Problems);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            run.Status = PipelineRunStatus.Failed;
            run.Message = "Pipeline run failed; the previous dataset stays published";
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
}
