using StopSync.Data.History;

namespace StopSync.Jobs.History;

/// <summary>What a new result changes against the live one (docs/10-history.md, "What changed").</summary>
/// <param name="PreviousRunId">The run whose dataset is live now; null before the first publication.</param>
/// <param name="NoComparisonReason">Why there are no changes to show; null when the two bundles were compared.</param>
/// <param name="Changes">Run ids are left empty: the publication sets them.</param>
public sealed record RunComparison(Guid? PreviousRunId, string? NoComparisonReason, IReadOnlyList<DataChange> Changes)
{
    public static RunComparison None(Guid? previousRunId, string reason) => new(previousRunId, reason, []);
}
