using System.Data.Common;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using StopSync.Data.Entities;
using StopSync.Data.Status;
using StopSync.Jobs.Bundles;
using StopSync.Jobs.Publication;
using StopSync.Jobs.Sources;

namespace StopSync.Jobs.Runs;

/// <summary>
/// One pipeline run: the matching phases write a result bundle, which is then published (import mode publishes an
/// existing bundle). Only one run at a time: a trigger that finds the run lock held is recorded as skipped. Progress
/// goes live to the Redis status document; the run, its phase timings and its outcome are recorded in
/// <c>pipeline_runs</c>. A failure leaves the previously published dataset live.
/// </summary>
public sealed class PipelineRunner(
    RunHistory history,
    MatchingPhases matching,
    DatasetPublisher publisher,
    ResultBundleStore bundles,
    ShrinkGuard guard,
    PipelineStatusStore status,
    PipelineRunLock runLock,
    TimeProvider clock,
    ILogger<PipelineRunner> logger)
{
    public const string SkippedMessage = "Trigger skipped: another pipeline run is active";

    public Task<PipelineRun> RunAsync(string trigger, CancellationToken ct) => RunAsync(trigger, PipelineMode.Full, ct);

    public Task<PipelineRun> RunAsync(string trigger, PipelineMode mode, CancellationToken ct) => RunAsync(trigger, mode, null, ct);

    /// <param name="importBundle">Import mode only: the bundle directory to publish; null takes the newest in the bundle store.</param>
    public async Task<PipelineRun> RunAsync(string trigger, PipelineMode mode, string? importBundle, CancellationToken ct)
    {
        var run = new PipelineRun
        {
            Id = Guid.NewGuid(),
            Trigger = trigger,
            Mode = mode.Name(),
            Status = PipelineRunStatus.Running,
            StartedAt = clock.GetUtcNow(),
            Message = mode == PipelineMode.Import ? "Publishing an existing result bundle" : "Checking sources",
        };
        var stats = RunStats.Empty(run.Id, run.Mode);
        await using var held = await runLock.TryAcquireAsync();
        if (held is null)
        {
            run.Status = PipelineRunStatus.Skipped;
            run.Message = SkippedMessage;
            run.FinishedAt = run.StartedAt;
            run.Stats = stats.ToJson();
            await status.RecordSkippedAsync(trigger, SkippedMessage);
            await history.SaveAsync(run, ct);
            logger.LogWarning("Pipeline trigger {Trigger} skipped: another run is active", trigger);
            return run;
        }

        run.Stats = stats.ToJson();
        await history.SaveAsync(run, ct);
        var progress = await StartProgressAsync(run, mode, ct);
        logger.LogInformation("Pipeline run {RunId} started ({Trigger}, {Mode})", run.Id, trigger, run.Mode);

        try
        {
            var (published, heldRunId) = await ExecuteAsync(run, mode, importBundle, progress, known => stats = known, ct);
            run.Status = PipelineRunStatus.Succeeded;
            run.Message = $"Published {published.StopRows} stop rows and {published.Problems} problems ({run.Mode})";
            if (heldRunId is not null)
            {
                run.Message = $"Published held run {heldRunId:D} anyway: {published.StopRows} stop rows and {published.Problems} problems ({run.Mode})";
                stats = stats with { HeldRunId = heldRunId };
            }

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
        catch (RunHeldException shrunk)
        {
            // Held runs (docs/04-pipeline.md): not a failure, not a publication; the bundle waits for an administrator.
            run.Status = PipelineRunStatus.Held;
            run.Message = shrunk.Message;
            stats = stats with { Hold = shrunk.Hold };
            try
            {
                await progress.HoldAsync(shrunk.Hold.Reason, shrunk.Message);
            }
            catch (RedisException ex)
            {
                // The run history says held; only the live status missed its last write.
                logger.LogWarning(ex, "Run {RunId} held, but its final status could not be written", run.Id);
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
            run.Stats = (stats with { PhaseSeconds = progress.Durations }).ToJson();
            await history.SaveAsync(run, CancellationToken.None);
        }

        return run;
    }

    /// <param name="recordStats">Hears the run's statistics as soon as they are known, so a run failing later keeps them.</param>
    /// <returns>The publication, and the held run it released when the bundle was a held one.</returns>
    private async Task<(PublicationCounts Published, Guid? HeldRunId)> ExecuteAsync(
        PipelineRun run, PipelineMode mode, string? importBundle, RunProgress progress, Action<RunStats> recordStats, CancellationToken ct)
    {
        string bundlePath;
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
                (bundlePath, var stats) = await matching.RunAsync(run.Id, mode, progress, ct);
                written = bundlePath;
                recordStats(stats);
            }

            published = await PublishBundleAsync(run, bundlePath, progress, mode == PipelineMode.Import ? recordStats : null, ct);
        }
        catch (Exception ex) when (written is not null && ex is not RunHeldException)
        {
            // Failed before or during the swap: this bundle never went live, so it must never be imported later.
            bundles.Delete(written);
            throw;
        }

        // The new dataset is live from here on: bookkeeping that fails now is logged, never reported as a failed run.
        Guid? heldRunId = null;
        try
        {
            bundles.MarkPublished(bundlePath, run.Id, clock.GetUtcNow());
            heldRunId = await guard.ReleaseAsync(bundlePath, run.Id, CancellationToken.None);
            bundles.Prune(bundlePath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DbException)
        {
            logger.LogWarning(ex, "Run {RunId} published, but its bundle receipt, the pruning of old bundles or the release of its held run failed", run.Id);
        }

        return (published, heldRunId);
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
    /// Validates the bundle (before any database work), stages it, swaps it in. The steps after the swap only report
    /// progress and never fail the run.
    /// </summary>
    /// <param name="recordImport">Import runs: hears the statistics of the import once the bundle is known to be sound.</param>
    private async Task<PublicationCounts> PublishBundleAsync(
        PipelineRun run, string path, RunProgress progress, Action<RunStats>? recordImport, CancellationToken ct)
    {
        await progress.StartAsync(PipelinePhases.Database, "Validating the result bundle");
        var bundle = await progress.StageAsync(PipelinePhases.Database, "validate", "Validating the result bundle",
            () => ResultBundleReader.Read(path),
            b => new Dictionary<string, long> { ["matches"] = b.Result.Matches.Count, ["problems"] = b.Result.Problems.Count });
        recordImport?.Invoke(RunStats.Empty(run.Id, run.Mode) with
        {
            Bundle = new BundleReference(path, bundle.Manifest.RunId, bundle.Manifest.GeneratedAt, bundle.Manifest.EngineVersion),
            Summary = bundle.Manifest.Metadata.Summary,
        });
        // Held runs (docs/04-pipeline.md): a new result that shrank too much against the live one stops here, unstaged.
        // Import mode publishes a bundle an operator chose (an administrator's "publish anyway" among them): no check.
        if (recordImport is null && await guard.HoldIfShrunkAsync(run.Id, path, bundle.Manifest, ct) is { } hold)
        {
            throw new RunHeldException(hold);
        }

        var sw = Stopwatch.StartNew();
        var published = await publisher.PublishAsync(run.Id, bundle, progress.Publication, ct);
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
            EtaSeconds = await history.EstimateSecondsAsync(mode, ct),
        };
        await status.WriteRunDocumentAsync(document);
        return new RunProgress(status, document, clock);
    }
}
