using Hangfire.Storage.Monitoring;

namespace StopSync.Jobs.Runs;

/// <summary>Who started a run, as recorded in the run history and the status document.</summary>
public static class PipelineTrigger
{
    public const string Scheduled = "scheduled";
    public const string Manual = "manual";
    public const string Startup = "startup";

    /// <summary>
    /// The reason Hangfire's recurring-job scheduler gives the jobs it enqueues on the cron schedule. "Trigger now" on the
    /// dashboard (or <c>IRecurringJobManager.Trigger</c>) creates the same job with the same stored argument but a
    /// different reason, so the reason is what tells the two apart.
    /// </summary>
    public const string SchedulerReason = "Triggered by recurring job scheduler";

    /// <param name="stored">The job's stored trigger argument.</param>
    /// <param name="history">The job's state history from Hangfire (newest first), or null when unknown.</param>
    public static string Resolve(string stored, IEnumerable<StateHistoryDto>? history)
    {
        if (stored != Scheduled || history is null)
        {
            return stored;
        }

        var enqueued = history.LastOrDefault(h => string.Equals(h.StateName, "Enqueued", StringComparison.OrdinalIgnoreCase));
        return enqueued is null || enqueued.Reason == SchedulerReason ? Scheduled : Manual;
    }
}
