using Hangfire.Storage.Monitoring;

namespace StopSync.Jobs.Runs;

public static class PipelineTrigger
{
    public const string Scheduled = "scheduled";
    public const string Manual = "manual";
    public const string Startup = "startup";

    // Dashboard "Trigger now" stores the schedule's argument; only the reason of the first Enqueued state differs.
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
