using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using StopSync.Data;
using StopSync.Data.Entities;
using StopSync.Data.Status;
using StopSync.Jobs.Bundles;
using StopSync.Jobs.Publication;

namespace StopSync.Jobs.Runs;

// The run lock's lease decides liveness: while nobody holds it, whatever says a run is active was left by a runner that
// died or could not record its end. Repairs happen under the lock, so no run starts in between (docs/04-pipeline.md,
// "Watchdog").
public sealed class PipelineWatchdog(
    PipelineStatusStore status,
    IDbContextFactory<StopSyncDbContext> contexts,
    DatasetPublisher publisher,
    ResultBundleStore bundles,
    PipelineRunLock runLock,
    TimeProvider clock,
    ILogger<PipelineWatchdog> logger)
{
    public const string StoppedMessage = "Pipeline runner stopped unexpectedly; the previous dataset stays live";

    // Takes the lock only when there is something to repair, so a trigger almost never meets the watchdog holding it.
    public async Task<WatchdogPass> CheckAsync(CancellationToken ct)
    {
        if (await status.IsLockHeldAsync())
        {
            return WatchdogPass.LockHeld;
        }

        if ((await status.ReadRunDocumentAsync())?.Status == PipelineStates.Running)
        {
            return await RecoverAsync(ct);
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.PipelineRuns.AnyAsync(r => r.Status == PipelineRunStatus.Running, ct) || await publisher.HasLeftoverSchemasAsync(ct)
            ? await RecoverAsync(ct)
            : WatchdogPass.Clean;
    }

    // Redis first, then the database, then bundles: a database that is down fails the pass after Redis was repaired.
    public async Task<WatchdogPass> RecoverAsync(CancellationToken ct)
    {
        await using var held = await runLock.TryAcquireAsync();
        if (held is null)
        {
            return WatchdogPass.LockHeld;
        }

        var document = await status.ReadRunDocumentAsync();
        // As the dead runner left it: its failure cause, when it managed to write one, is the cause for its row too.
        var left = document is null ? null : new LeftStatus(document.RunId, document.Status, document.LastError, document.FinishedAt);
        var statusRepaired = false;
        if (document?.Status == PipelineStates.Running)
        {
            await RepairStatusAsync(document, ct);
            statusRepaired = true;
        }

        var (runsEnded, schemas) = await RepairDatabaseAsync(left, ct);
        // Likewise bundles without a publication receipt: written by runs that failed or died before their swap.
        var deleted = bundles.DeleteUnpublished();
        return new WatchdogPass(false, statusRepaired, runsEnded, schemas, deleted);
    }

    private async Task RepairStatusAsync(PipelineStatusDocument document, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        PipelineRun? row = null;
        try
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            row = document.RunId is { } id ? await db.PipelineRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct) : null;
        }
        catch (Exception ex) when (IsDatabaseFailure(ex))
        {
            logger.LogWarning("Watchdog: the run history could not be read ({Error}); the status is ended as stopped", ex.Message);
        }

        if (row?.Status == PipelineRunStatus.Succeeded)
        {
            // The run published and recorded it; only its last status write was lost.
            document.Status = PipelineStates.Idle;
            document.Phase = PipelineStates.Idle;
            document.Message = $"Dataset published: {row.Mode} run";
            document.FinishedAt = document.LastSuccessAt = row.FinishedAt ?? now;
            document.DatasetPublished = true;
            document.LastError = null;
            document.FailedPhase = null;
            foreach (var state in document.Phases.Concat(document.Phases.SelectMany(p => p.Stages)).Where(p => p.Status == PhaseStatus.Running))
            {
                state.Status = PhaseStatus.Complete;
                state.FinishedAt = row.FinishedAt ?? now;
            }
        }
        else
        {
            var error = row?.Status == PipelineRunStatus.Failed ? row.Message ?? StoppedMessage : StoppedMessage;
            document.MarkFailed(error, error == StoppedMessage ? StoppedMessage : "Pipeline update failed; the previous dataset stays live",
                "Not reached: the runner stopped", now, _ => null);
        }

        await status.WriteRunDocumentAsync(document);
        logger.LogWarning("Pipeline run {RunId} was left running in the status without a live lock; ended as {Status}", document.RunId, document.Status);
    }

    private async Task<(int RunsEnded, int Schemas)> RepairDatabaseAsync(LeftStatus? left, CancellationToken ct)
    {
        // Nobody publishes without the lock: staging schemas left now belong to a publisher that died mid-way.
        var schemas = await publisher.DropLeftoverSchemasAsync(ct);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var running = await db.PipelineRuns.Where(r => r.Status == PipelineRunStatus.Running).ToListAsync(ct);
        if (running.Count == 0)
        {
            return (0, schemas);
        }

        var published = await db.DatasetPublications.AsNoTracking().Select(p => (Guid?)p.RunId).SingleOrDefaultAsync(ct);
        var now = clock.GetUtcNow();
        foreach (var run in running)
        {
            End(run, left?.RunId == run.Id ? left : null, run.Id == published, now);
            logger.LogWarning("Pipeline run {RunId} was left running in the run history without a live lock; ended as {Status}: {Message}",
                run.Id, run.Status, run.Message);
        }

        await db.SaveChangesAsync(ct);
        return (running.Count, schemas);
    }

    private static void End(PipelineRun run, LeftStatus? left, bool published, DateTimeOffset now)
    {
        const string Recorded = "the runner could not record the end of the run; recorded by the watchdog";
        if (published)
        {
            run.Status = PipelineRunStatus.Succeeded;
            run.Message = $"Dataset published ({Recorded})";
            run.FinishedAt = left?.FinishedAt ?? now;
        }
        else if (left is { Status: PipelineStates.Failed, LastError: { } cause })
        {
            run.Status = PipelineRunStatus.Failed;
            run.Message = $"Pipeline run failed: {cause}; the previous dataset stays published";
            run.Error = $"{cause} ({Recorded} from the status document)";
            run.FinishedAt = left.FinishedAt ?? now;
        }
        else
        {
            run.Status = PipelineRunStatus.Failed;
            run.Message = StoppedMessage;
            run.Error = StoppedMessage;
            run.FinishedAt = now;
        }
    }

    internal static bool IsDatabaseFailure(Exception ex) =>
        ex is System.Data.Common.DbException or DbUpdateException or TimeoutException
        || (ex is InvalidOperationException && ex.InnerException is System.Data.Common.DbException);

    private sealed record LeftStatus(Guid? RunId, string Status, string? LastError, DateTimeOffset? FinishedAt);
}

public sealed record WatchdogPass(bool RunActive, bool StatusRepaired, int RunsEnded, int SchemasDropped, int BundlesDeleted)
{
    public static readonly WatchdogPass LockHeld = new(true, false, 0, 0, 0);
    public static readonly WatchdogPass Clean = new(false, false, 0, 0, 0);

    public bool Recovered => StatusRepaired || RunsEnded > 0;
}
