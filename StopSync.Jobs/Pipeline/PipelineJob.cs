using Hangfire;
using StopSync.Data.Jobs;
using StopSync.Data.Pipeline;

namespace StopSync.Jobs.Pipeline;

/// <summary>The Hangfire entry point of the recurring <c>pipeline</c> job.</summary>
public sealed class PipelineJob(PipelineRunner runner, JobStorage storage, PipelineStatusStore status) : IPipelineJob
{
    public async Task RunAsync(string trigger, CancellationToken cancellationToken)
    {
        try
        {
            // A skipped trigger returns normally: Hangfire must not retry it into a second copy of the active run.
            await runner.RunAsync(trigger, PipelineMode.Full, cancellationToken);
        }
        finally
        {
            await RecurringJobRegistrar.PublishNextRunAsync(storage, status);
        }
    }
}
