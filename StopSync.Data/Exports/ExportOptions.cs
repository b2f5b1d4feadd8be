namespace StopSync.Data.Exports;

/// <summary>The <c>Exports</c> settings, read by the web app and the jobs host alike (docs/02-running.md).</summary>
public sealed class ExportOptions
{
    public const string SectionName = "Exports";

    /// <summary>Where finished files wait for their download; both processes must see the same directory.</summary>
    public string Directory { get; set; } = "data/exports";

    /// <summary>Files and task states older than this are deleted.</summary>
    public double RetentionHours { get; set; } = 24;

    /// <summary>No export holds more rows; a larger limit is refused.</summary>
    public int MaxRows { get; set; } = 500_000;

    /// <summary>Exports of at most this many rows are written during the request instead of by a background job.</summary>
    public int InlineRows { get; set; } = 5_000;

    /// <summary>Rows between two progress updates (and cancel checks) of a running export.</summary>
    public int ChunkRows { get; set; } = 1000;

    /// <summary>Redis key prefix of the task states.</summary>
    public string KeyPrefix { get; set; } = "stopsync:exports:";

    /// <summary>How often the jobs host deletes expired files.</summary>
    public double CleanupIntervalMinutes { get; set; } = 60;

    public string FullDirectory => Path.GetFullPath(Directory);

    public TimeSpan Retention => TimeSpan.FromHours(RetentionHours);
}
