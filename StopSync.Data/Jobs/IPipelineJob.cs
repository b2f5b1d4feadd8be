using Hangfire;
using Hangfire.Server;

namespace StopSync.Data.Jobs;

// Hangfire stores jobs under this interface, which both processes load (the web app only enqueues), and reads the
// filter attributes from here, not from the implementation.
public interface IPipelineJob
{
    // Enqueue with context null; Hangfire supplies it, and it tells a dashboard "Trigger now" from the schedule.
    // No automatic retry: a failed run is reported and the next trigger starts afresh, never a second copy. No
    // [DisableConcurrentExecution] either: a second trigger must reach the run lock at once and be recorded as skipped,
    // not wait on Hangfire's own lock and then fail.
    [AutomaticRetry(Attempts = 0)]
    Task RunAsync(string trigger, PerformContext? context, CancellationToken cancellationToken);

    // Like RunAsync, no Hangfire lock: with another run active the publication is recorded as skipped
    // (docs/04-pipeline.md, "Held runs").
    [AutomaticRetry(Attempts = 0)]
    Task PublishHeldAsync(Guid runId, CancellationToken cancellationToken);

    [AutomaticRetry(Attempts = 0)]
    Task DiscardHeldAsync(Guid runId, CancellationToken cancellationToken);
}
