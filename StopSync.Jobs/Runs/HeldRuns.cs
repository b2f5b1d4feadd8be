using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using StopSync.Data;
using StopSync.Data.Entities;
using StopSync.Jobs.Bundles;

namespace StopSync.Jobs.Runs;

public sealed class HeldRunException(string message) : Exception(message);

public enum DiscardOutcome
{
    Discarded,
    Busy,
}

public sealed class HeldRuns(
    IDbContextFactory<StopSyncDbContext> contexts,
    PipelineRunner runner,
    ResultBundleStore bundles,
    PipelineRunLock runLock,
    TimeProvider clock,
    ILogger<HeldRuns> logger)
{
    // Returns the publication's own run (skipped while another run is active); the held run is released once it succeeds.
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
        var status = await db.PipelineRuns.AsNoTracking().Where(r => r.Id == runId).Select(r => r.Status).SingleOrDefaultAsync(ct);
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
