using Hangfire;
using Hangfire.Server;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using StopSync.Data.Jobs;
using StopSync.Data.Status;

namespace StopSync.Jobs.Runs;

public sealed class PipelineJob(
    PipelineRunner runner, HeldRuns heldRuns, JobStorage storage, PipelineStatusStore status, ILogger<PipelineJob> logger) : IPipelineJob
{
    public async Task RunAsync(string trigger, PerformContext? context, CancellationToken cancellationToken)
    {
        var history = context is null ? null : storage.GetMonitoringApi().JobDetails(context.BackgroundJob.Id)?.History;
        try
        {
            // A skipped trigger returns normally: Hangfire must not retry it into a second copy of the active run.
            await runner.RunAsync(PipelineTrigger.Resolve(trigger, history), PipelineMode.Full, cancellationToken);
        }
        finally
        {
            try
            {
                await RecurringJobRegistrar.PublishNextRunAsync(storage, status);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                // Never in place of the run's own outcome: with Redis gone, the job's failure is the run's error.
                logger.LogWarning("The next run time could not be written to the status ({Error})", ex.Message);
            }
        }
    }

    public Task PublishHeldAsync(Guid runId, CancellationToken cancellationToken) =>
        heldRuns.PublishAsync(runId, PipelineTrigger.Manual, cancellationToken);

    public async Task DiscardHeldAsync(Guid runId, CancellationToken cancellationToken)
    {
        if (await heldRuns.DiscardAsync(runId, cancellationToken) == DiscardOutcome.Busy)
        {
            // Failed, not retried: the administrator sees it in the dashboard and discards again once the run is over.
            throw new InvalidOperationException($"Another pipeline run is active; run {runId:D} stays held. Discard it again when that run has finished.");
        }
    }
}
