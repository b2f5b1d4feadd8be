using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using RedLockNet;
using StackExchange.Redis;
using StopSync.Data.Entities;
using StopSync.Data.Status;
using StopSync.Jobs.Bundles;
using StopSync.Jobs.History;
using StopSync.Jobs.History.Changes;
using StopSync.Jobs.Publication;
using StopSync.Jobs.Sources;

namespace StopSync.Jobs.Runs;

public sealed class PipelineRunner(
    RunHistory history,
    MatchingPhases matching,
    DatasetPublisher publisher,
    ResultBundleStore bundles,
    ShrinkGuard guard,
    RunComparer comparer,
    PipelineStatusStore status,
    PipelineRunLock runLock,
    TimeProvider clock,
    ILogger<PipelineRunner> logger)
{
    public const string SkippedMessage = "Trigger skipped: another pipeline run is active";

    public Task<PipelineRun> RunAsync(string trigger, CancellationToken ct) => RunAsync(trigger, PipelineMode.Full, ct);

    public Task<PipelineRun> RunAsync(string trigger, PipelineMode mode, CancellationToken ct) => RunAsync(trigger, mode, null, ct);

    // importBundle (import mode): null takes the newest published bundle. Whatever fails, the row ends and the original
    // exception is thrown: a lost Redis or database never replaces the cause (docs/04-pipeline.md, "Every run ends").
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
        run.Stats = stats.ToJson();
        IRedLock? held;
        try
        {
            held = await runLock.TryAcquireAsync();
        }
        catch (RunLockUnavailableException ex)
        {
            // Not a skip: nobody knows whether a run is active. The row says why nothing ran; Redis cannot be told.
            await EndUnstartedAsync(run, ex);
            throw;
        }

        if (held is null)
        {
            await SkipAsync(run);
            return run;
        }

        await using (held)
        {
            var progress = new RunProgress(status, NewDocument(run, mode), clock);
            try
            {
                await history.SaveAsync(run, ct);
                await progress.BeginAsync(await history.EstimateSecondsAsync(mode, ct));
                logger.LogInformation("Pipeline run {RunId} started ({Trigger}, {Mode})", run.Id, trigger, run.Mode);
                var (published, changes, heldRunId) = await ExecuteAsync(run, mode, importBundle, progress, known => stats = known, ct);
                run.Status = PipelineRunStatus.Succeeded;
                run.Message = $"Published {published.StopRows} stop rows and {published.Problems} problems ({run.Mode})";
                stats = stats with { Decisions = published.Decisions, Changes = changes };
                if (heldRunId is not null)
                {
                    run.Message = $"Published held run {heldRunId:D} anyway: {published.StopRows} stop rows and {published.Problems} problems ({run.Mode})";
                    stats = stats with { HeldRunId = heldRunId };
                }

                await TryAsync(run, "its final status", () => progress.SucceedAsync($"Dataset published: {run.Mode} run, {clock.GetUtcNow():yyyy-MM-dd HH:mm} UTC"));
            }
            catch (RunHeldException shrunk)
            {
                // Held runs (docs/04-pipeline.md): not a failure, not a publication; the bundle waits for an administrator.
                run.Status = PipelineRunStatus.Held;
                run.Message = shrunk.Message;
                stats = stats with { Hold = shrunk.Hold };
                await TryAsync(run, "its held status", () => progress.HoldAsync(shrunk.Hold.Reason, shrunk.Message));
            }
            catch (Exception ex)
            {
                var cause = RunFailure.Cause(ex, progress.CurrentStep);
                Fail(run, ex, cause);
                await TryAsync(run, "its failed status", () => progress.FailAsync(cause));
                throw;
            }
            finally
            {
                run.FinishedAt = clock.GetUtcNow();
                run.Stats = (stats with { PhaseSeconds = progress.Durations }).ToJson();
                await TrySaveEndAsync(run);
            }
        }

        return run;
    }

    private async Task SkipAsync(PipelineRun run)
    {
        run.Status = PipelineRunStatus.Skipped;
        run.Message = SkippedMessage;
        run.FinishedAt = run.StartedAt;
        logger.LogWarning("Pipeline trigger {Trigger} skipped: another run is active", run.Trigger);
        await TryAsync(run, "its skipped trigger", () => status.RecordSkippedAsync(run.Trigger, SkippedMessage));
        await history.SaveAsync(run, CancellationToken.None);
    }

    private async Task EndUnstartedAsync(PipelineRun run, Exception ex)
    {
        Fail(run, ex, RunFailure.Cause(ex, "start"));
        run.FinishedAt = run.StartedAt;
        await TrySaveEndAsync(run);
    }

    private void Fail(PipelineRun run, Exception ex, string cause)
    {
        run.Status = PipelineRunStatus.Failed;
        if (ex is OperationCanceledException)
        {
            // Host shutdown or Ctrl-C: recorded as failed, so no run stays "running" for ever.
            run.Message = "Pipeline run was cancelled; the previous dataset stays published";
            run.Error = "cancelled";
            logger.LogWarning("Pipeline run {RunId} was cancelled", run.Id);
            return;
        }

        run.Message = $"Pipeline run failed: {cause}; the previous dataset stays published";
        run.Error = ex is SourceFormatException or ResultBundleException ? ex.Message : ex.ToString();
        if (ex is SourceFormatException or ResultBundleException)
        {
            // Bad input, fully described by its message: no stack trace for the operator to wade through.
            logger.LogError("Pipeline run {RunId} failed: {Error}", run.Id, ex.Message);
        }
        else
        {
            logger.LogError(ex, "Pipeline run {RunId} failed: {Cause}", run.Id, cause);
        }
    }

    // A status write that must not replace the run's outcome (or its original error) with its own failure.
    private async Task TryAsync(PipelineRun run, string what, Func<Task> write)
    {
        try
        {
            await write();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning("Run {RunId}: {What} could not be written to Redis ({Error})", run.Id, what, ex.Message);
        }
    }

    // Without a database the watchdog ends the row once it is back.
    private async Task TrySaveEndAsync(PipelineRun run)
    {
        try
        {
            await history.SaveAsync(run, CancellationToken.None);
        }
        catch (Exception ex) when (ex is DbException or DbUpdateException or InvalidOperationException or TimeoutException)
        {
            logger.LogError("Run {RunId} ended {Status}, but its row could not be written ({Error}); the watchdog will end it",
                run.Id, run.Status, ex.Message);
        }
    }

    // recordStats hears the statistics as soon as they are known, so a run failing later keeps them.
    private async Task<(PublicationCounts Published, ChangeSummary Changes, Guid? HeldRunId)> ExecuteAsync(
        PipelineRun run, PipelineMode mode, string? importBundle, RunProgress progress, Action<RunStats> recordStats, CancellationToken ct)
    {
        string bundlePath;
        string? written = null;
        PublicationCounts published;
        ChangeSummary changes;
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

            (published, changes) = await PublishBundleAsync(run, bundlePath, progress, mode == PipelineMode.Import ? recordStats : null, ct);
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
        // Any failure here: the swap has committed, so the run has published whatever its bookkeeping says.
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Run {RunId} published, but its bundle receipt, the pruning of old bundles or the release of its held run failed", run.Id);
        }

        return (published, changes, heldRunId);
    }

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
        // The directory's name (the run id that wrote it), never the server path: every page can read the status.
        await progress.OutcomeAsync(PipelinePhases.Bundle, PhaseStatus.Reused, Path.GetFileName(path));
        return path;
    }

    // recordImport is set for import runs only; after the swap a failed progress write never fails the run.
    private async Task<(PublicationCounts Published, ChangeSummary Changes)> PublishBundleAsync(
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

        // What changed against the live publication (docs/10-history.md): a stage of its own, before staging.
        await progress.StartStageAsync(PipelinePhases.Database, "changes", "Comparing with the live publication");
        var comparison = await comparer.CompareWithLiveAsync(bundle, ct);
        var changes = ChangeSummary.Of(comparison);
        await progress.CompleteStageAsync(PipelinePhases.Database, "changes", changes.ProgressCounts());
        var sw = Stopwatch.StartNew();
        var published = await publisher.PublishAsync(run.Id, bundle, comparison, progress.Publication, ct);
        try
        {
            await progress.CompleteStageAsync(PipelinePhases.Publish, "swap");
            await progress.CompleteAsync(PipelinePhases.Publish, new Dictionary<string, long>
            {
                ["stop_rows"] = published.StopRows,
                ["problems"] = published.Problems,
                ["atlas_stops"] = published.AtlasStops,
                ["osm_nodes"] = published.OsmNodes,
                ["decisions_unchanged"] = published.Decisions?.Unchanged ?? 0,
                ["decisions_needs_another_look"] = published.Decisions?.NeedsAnotherLook ?? 0,
                ["decisions_resolved_by_data"] = published.Decisions?.ResolvedByData ?? 0,
                ["decisions_reapplied"] = published.Decisions?.Reapplied ?? 0,
            });
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning(ex, "Run {RunId} published, but its progress could not be written", run.Id);
        }

        logger.LogInformation("Pipeline run {RunId} published {StopRows} stop rows ({Matches} matches, {Problems} problems) from {Bundle} in {Seconds:F1} s",
            run.Id, published.StopRows, bundle.Result.Matches.Count, published.Problems, path, sw.Elapsed.TotalSeconds);
        return (published, changes);
    }

    private static PipelineStatusDocument NewDocument(PipelineRun run, PipelineMode mode) => new()
    {
        Status = PipelineStates.Running,
        Phase = mode == PipelineMode.Import ? PipelinePhases.Database : PipelinePhases.SourceCheck,
        Message = "Preparing update...",
        RunId = run.Id,
        Trigger = run.Trigger,
        Mode = run.Mode,
        StartedAt = run.StartedAt,
        Phases = PipelinePhases.Plan(),
    };
}
