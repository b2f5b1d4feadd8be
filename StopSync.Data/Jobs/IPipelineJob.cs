using Hangfire;
using Hangfire.Server;

namespace StopSync.Data.Jobs;

// Hangfire stores jobs under this interface, which both processes load (the web app only enqueues), and reads the
// filter attributes from here, not from the implementation.
public interface IPipelineJob
{
    // Enqueue with context null: Hangfire supplies it, and it tells a dashboard "Trigger now" from the schedule. No
    // retry: the next trigger starts afresh. No [DisableConcurrentExecution]: a second trigger must reach the run lock
    // at once and be recorded as skipped, not wait on Hangfire's own lock and then fail.
    [AutomaticRetry(Attempts = 0)]
    Task RunAsync(string trigger, PerformContext? context, CancellationToken cancellationToken);

    // Like RunAsync, no Hangfire lock: with another run active the publication is recorded as skipped.
    [AutomaticRetry(Attempts = 0)]
    Task PublishHeldAsync(Guid runId, CancellationToken cancellationToken);

    [AutomaticRetry(Attempts = 0)]
    Task DiscardHeldAsync(Guid runId, CancellationToken cancellationToken);
}
