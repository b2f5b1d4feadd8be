namespace StopSync.Jobs.History;

/// <summary>Pipeline:History (docs/10-history.md).</summary>
public sealed class HistoryOptions
{
    /// <summary>Publications older than this are deleted with their statistics and changes.</summary>
    public int RetentionDays { get; set; } = 400;
}
