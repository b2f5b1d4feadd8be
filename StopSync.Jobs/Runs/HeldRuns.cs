using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using StopSync.Data;
using StopSync.Data.Entities;
using StopSync.Jobs.Bundles;

namespace StopSync.Jobs.Runs;

/// <summary>A held-run action that cannot apply: the run is unknown, not held, or its bundle is gone.</summary>
public sealed class HeldRunException(string message) : Exception(message);

public enum DiscardOutcome
{
    Discarded,

    /// <summary>Another run holds the run lock (it may be publishing this very bundle): nothing was changed.</summary>
    Busy,
}

/// <summary>
/// The administrator's answer to a held run (docs/04-pipeline.md, "Held runs"): publish its bundle anyway, through the
/// normal import path (validation, run lock, a run of its own with the trigger given), or discard it.
/// </summary>
public sealed class HeldRuns(
    IDbContextFactory<StopSyncDbContext> contexts,
    PipelineRunner runner,
    ResultBundleStore bundles,
    PipelineRunLock runLock,
    TimeProvider clock,
    ILogger<HeldRuns> logger)
{
    /// <summary>
    /// Publishes the held bundle of <paramref name="runId"/> in import mode. The returned run is the publication (or a
    /// skipped trigger when another run is active); once it succeeds the held run is marked <c>published</c>.
    /// </summary>
    /// <exception cref="HeldRunException">Unknown run, a run that is not held, or a held run without its bundle.</exception>
    public async Task<PipelineRun> PublishAsync(Guid runId, string trigger, CancellationToken ct)
    {
        await RequireHeldAsync(runId, ct);
        var path = bundles.PathFor(runId);
        if (bundles.ReadHeld(path) is null)
        {
            throw new HeldRunException($"Run {runId:D} is held, but its bundle '{path}' is gone or lost its {ResultBundleStore.HeldFile}: discard the run.");
        }

        return await runner.RunAsync(trigger, PipelineMode.Import, path, ct);
    }

    /// <summary>Deletes the held bundle of <paramref name="runId"/> and marks the run <c>discarded</c>, under the run lock.</summary>
    /// <exception cref="HeldRunException">Unknown run or a run that is not held.</exception>
    public async Task<DiscardOutcome> DiscardAsync(Guid runId, CancellationToken ct)
    {
        // A publication of this same bundle may be reading it right now; it holds the lock until its bundle is live.
        await using var held = await runLock.TryAcquireAsync();
        if (held is null)
        {
            return DiscardOutcome.Busy;
        }

        await RequireHeldAsync(runId, ct);
        bundles.Delete(bundles.PathFor(runId));
        var message = $"Held, then discarded at {clock.GetUtcNow():yyyy-MM-dd HH:mm} UTC; its bundle is deleted";
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.PipelineRuns.Where(r => r.Id == runId && r.Status == PipelineRunStatus.Held)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, PipelineRunStatus.Discarded).SetProperty(r => r.Message, message), ct);
        logger.LogInformation("Held run {RunId} discarded", runId);
        return DiscardOutcome.Discarded;
    }

    private async Task RequireHeldAsync(Guid runId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var status = await db.PipelineRuns.AsNoTracking().Where(r => r.Id == runId).Select(r => r.Status).FirstOrDefaultAsync(ct);
        if (status is null)
        {
            throw new HeldRunException($"There is no pipeline run {runId:D}.");
        }

        if (status != PipelineRunStatus.Held)
        {
            throw new HeldRunException($"Run {runId:D} is not held (its status is '{status}'); only held runs can be published or discarded this way.");
        }
    }
}
