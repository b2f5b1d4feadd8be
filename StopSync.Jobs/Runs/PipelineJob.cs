using Hangfire;
using Hangfire.Server;
using StopSync.Data.Jobs;
using StopSync.Data.Status;

namespace StopSync.Jobs.Runs;

/// <summary>The Hangfire entry point of the recurring <c>pipeline</c> job.</summary>
public sealed class PipelineJob(PipelineRunner runner, HeldRuns heldRuns, JobStorage storage, PipelineStatusStore status) : IPipelineJob
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
            await RecurringJobRegistrar.PublishNextRunAsync(storage, status);
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
