using Hangfire;
using Hangfire.Server;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using StopSync.Data.Jobs;
using StopSync.Data.Status;

namespace StopSync.Jobs.Runs;

/// <summary>The Hangfire entry point of the recurring <c>pipeline</c> job.</summary>
public sealed class PipelineJob(PipelineRunner runner, JobStorage storage, PipelineStatusStore status, ILogger<PipelineJob> logger) : IPipelineJob
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
            catch (RedisException ex)
            {
                // Never in place of the run's own outcome: with Redis gone, the job's failure is the run's error.
                logger.LogWarning("The next run time could not be written to the status ({Error})", ex.Message);
            }
        }
    }
}
