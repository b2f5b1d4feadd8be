namespace StopSync.Jobs.Runs;

public sealed class PipelineOptions
{
    public const string SectionName = "Pipeline";

    public ScheduleOptions Schedule { get; set; } = new();

    public PublicationOptions Publication { get; set; } = new();

    public LockOptions Lock { get; set; } = new();

    public BundleOptions Bundles { get; set; } = new();

    public WatchdogOptions Watchdog { get; set; } = new();

    public StopSync.Jobs.History.HistoryOptions History { get; set; } = new();

    public bool RunOnStartup { get; set; }
}

public sealed class ScheduleOptions
{
    /// <summary>Daily at 02:00, when neither the sources nor the readers are busy.</summary>
    public string Cron { get; set; } = "0 2 * * *";

    public string TimeZone { get; set; } = "Europe/Zurich";
}

public sealed class PublicationOptions
{
    /// <summary>How long the swap waits for readers' locks before it gives up and leaves the old dataset live.</summary>
    public double LockTimeoutSeconds { get; set; } = 3;

    public double StatementTimeoutSeconds { get; set; } = 25;

    public StopSync.Jobs.Publication.MaxShrinkOptions MaxShrink { get; set; } = new();
}

public sealed class LockOptions
{
    /// <summary>Lease of the run lock; RedLock.net renews it while the run lives, so this is how long a dead run blocks.</summary>
    public double LeaseSeconds { get; set; } = 60;
}

public sealed class BundleOptions
{
    public string Directory { get; set; } = "data/bundles";

    /// <summary>Published bundles kept for re-import; older ones are deleted after each successful publication.</summary>
    public int Keep { get; set; } = 3;
}

public sealed class WatchdogOptions
{
    // Checks for a dead run and a recurring job lost from Redis: a dead run ends within one lease plus one interval.
    public double IntervalSeconds { get; set; } = 60;
}
