using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using StopSync.Data;
using StopSync.Data.Entities;
using StopSync.Data.Status;
using StopSync.Jobs.Bundles;
using StopSync.Jobs.Publication;

namespace StopSync.Jobs.Runs;

/// <summary>
/// Orphan recovery on jobs-host start: a status that still says <c>running</c> while nobody holds the run lock belongs
/// to a runner that died (its lease expired). That run is marked failed in the status and in the run history; a run
/// whose lock is still held is left alone.
/// </summary>
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

    /// <returns>Whether an orphaned run was marked failed.</returns>
    public async Task<bool> RecoverAsync(CancellationToken ct)
    {
        // Held for the whole recovery, so no run can start (and write a bundle or a staging schema) while leftovers go.
        await using var held = await runLock.TryAcquireAsync();
        if (held is null)
        {
            return false;
        }

        // Nobody publishes without the lock: staging schemas left now belong to a publisher that died mid-way.
        await publisher.DropLeftoverSchemasAsync(ct);
        // Likewise bundles without a publication receipt: written by runs that failed or died before their swap.
        bundles.DeleteUnpublished();
        var document = await status.ReadRunDocumentAsync();
        if (document?.Status != PipelineStates.Running)
        {
            return false;
        }

        var now = clock.GetUtcNow();
        document.MarkFailed(StoppedMessage, StoppedMessage, "Not reached: the runner stopped", now, _ => null);
        await status.WriteRunDocumentAsync(document);

        if (document.RunId is { } runId)
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            await db.PipelineRuns.Where(r => r.Id == runId && r.Status == PipelineRunStatus.Running)
                .ExecuteUpdateAsync(u => u
                    .SetProperty(r => r.Status, PipelineRunStatus.Failed)
                    .SetProperty(r => r.Error, StoppedMessage)
                    .SetProperty(r => r.Message, StoppedMessage)
                    .SetProperty(r => r.FinishedAt, now), ct);
        }

        logger.LogWarning("Pipeline run {RunId} was orphaned (no live lock) and is marked failed", document.RunId);
        return true;
    }
}

/// <summary>Runs the watchdog once when the jobs host starts; an unreachable Redis or database is only logged.</summary>
public sealed class PipelineWatchdogStartup(IServiceScopeFactory scopes, ILogger<PipelineWatchdogStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<PipelineWatchdog>().RecoverAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or DbUpdateException or Npgsql.NpgsqlException)
        {
            logger.LogWarning(ex, "Pipeline watchdog could not check for an orphaned run");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
