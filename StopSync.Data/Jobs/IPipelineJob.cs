using Hangfire;
using Hangfire.Server;

namespace StopSync.Data.Jobs;

/// <summary>
/// The Hangfire contract of a pipeline run. Jobs are stored under this interface, which both processes load: the jobs
/// host implements it, while the web app (dashboard, manual trigger) only needs to resolve the type. Hangfire reads the
/// filter attributes from here, not from the implementation.
/// </summary>
public interface IPipelineJob
{
    /// <param name="trigger">The trigger stored with the job (<c>scheduled</c> for the recurring job).</param>
    /// <param name="context">Supplied by Hangfire when the job runs (pass null): tells a dashboard "Trigger now" from the schedule.</param>
    // No automatic retry: a failed run is reported and the next trigger starts afresh, never a second copy. No
    // [DisableConcurrentExecution] either: a second trigger must reach the run lock at once and be recorded as skipped,
    // not wait on Hangfire's own lock and then fail.
    [AutomaticRetry(Attempts = 0)]
    Task RunAsync(string trigger, PerformContext? context, CancellationToken cancellationToken);

    /// <summary>
    /// "Publish anyway" for a held run: its bundle goes through import mode as a run of its own (trigger <c>manual</c>),
    /// and the held run becomes <c>published</c>. Fails (visible in the dashboard) when the run is not held any more. Like
    /// <see cref="RunAsync"/>, no Hangfire lock: while another run is active the publication is recorded as skipped.
    /// </summary>
    [AutomaticRetry(Attempts = 0)]
    Task PublishHeldAsync(Guid runId, CancellationToken cancellationToken);

    /// <summary>"Discard" for a held run: its bundle is deleted and the run becomes <c>discarded</c>.</summary>
    [AutomaticRetry(Attempts = 0)]
    Task DiscardHeldAsync(Guid runId, CancellationToken cancellationToken);
}
