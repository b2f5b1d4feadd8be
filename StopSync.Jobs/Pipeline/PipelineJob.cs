using Hangfire;

namespace StopSync.Jobs.Pipeline;

/// <summary>The Hangfire entry point of the recurring <c>pipeline</c> job.</summary>
public sealed class PipelineJob(PipelineRunner runner)
{
    // No automatic retry: a failed run is reported and the next trigger starts afresh, never a second copy.
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public Task RunAsync(string trigger, CancellationToken cancellationToken) => runner.RunAsync(trigger, cancellationToken);
}
