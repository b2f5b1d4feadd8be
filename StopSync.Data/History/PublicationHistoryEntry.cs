namespace StopSync.Data.History;

/// <summary>
/// One publication of the dataset, kept after later swaps so the pages can show trends and what changed
/// (docs/10-history.md). Written before the swap with <see cref="PublishedAt"/> null; the swap sets it. Only rows
/// with <see cref="PublishedAt"/> set are history; older than the retention (Pipeline:History:RetentionDays) they
/// are deleted with their statistics and changes.
/// </summary>
public sealed class PublicationHistoryEntry
{
    /// <summary>The pipeline run that published.</summary>
    public Guid RunId { get; set; }

    /// <summary>The run whose dataset was live before this one; null for the first publication.</summary>
    public Guid? PreviousRunId { get; set; }

    /// <summary>The run that wrote the result bundle (differs from <see cref="RunId"/> in import mode).</summary>
    public Guid BundleRunId { get; set; }

    public DateTimeOffset GeneratedAt { get; set; }

    public required string EngineVersion { get; set; }

    public DateTimeOffset? PublishedAt { get; set; }

    /// <summary>Why this publication has no run-to-run changes (no previous publication, its bundle is gone, …);
    /// null when it was compared with the previous one.</summary>
    public string? NoComparisonReason { get; set; }

    /// <summary>JSON object: change counts per change type and cause, e.g. <c>{"match_gained":{"osm":3}}</c>.</summary>
    public string ChangeCounts { get; set; } = "{}";

    public List<PublicationStatistic> Statistics { get; set; } = [];
}
