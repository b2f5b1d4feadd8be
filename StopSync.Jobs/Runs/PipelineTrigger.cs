using Hangfire.Storage.Monitoring;

namespace StopSync.Jobs.Runs;

public static class PipelineTrigger
{
    public const string Scheduled = "scheduled";
    public const string Manual = "manual";
    public const string Startup = "startup";

    // "Trigger now" on the dashboard creates the same job with the same stored argument as the cron schedule; only the
    // reason of its first Enqueued state differs.
    public const string SchedulerReason = "Triggered by recurring job scheduler";

    // Hangfire's history is newest first, so the last Enqueued entry is the job's first.
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
