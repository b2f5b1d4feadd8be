using StopSync.Data.Jobs;

namespace StopSync.Jobs.Pipeline;

/// <summary>The Hangfire entry point of the recurring <c>pipeline</c> job.</summary>
public sealed class PipelineJob(PipelineRunner runner) : IPipelineJob
{
    public Task RunAsync(string trigger, CancellationToken cancellationToken) => runner.RunAsync(trigger, cancellationToken);
}
