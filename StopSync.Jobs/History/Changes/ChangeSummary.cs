using StopSync.Data.History;

namespace StopSync.Jobs.History.Changes;

/// <summary>A run's changes against the publication before it, in its stats (<c>pipeline_runs.stats</c>) and progress.</summary>
/// <param name="PreviousRunId">The run whose dataset was live; null before the first publication.</param>
/// <param name="NoComparisonReason">Why nothing was compared; null when the bundles were compared.</param>
/// <param name="Counts">Per change type, per cause.</param>
public sealed record ChangeSummary(Guid? PreviousRunId, string? NoComparisonReason, int Total, IReadOnlyDictionary<string, SortedDictionary<string, int>> Counts)
{
    public static ChangeSummary Of(RunComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        return new(comparison.PreviousRunId, comparison.NoComparisonReason, comparison.Changes.Count, ChangeDetector.Count(comparison.Changes));
    }

    /// <summary>The run's progress counts: the total and one per change type.</summary>
    public Dictionary<string, long> ProgressCounts()
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal) { ["changes"] = Total };
        foreach (var type in ChangeTypes.All)
        {
            counts[type] = Counts.TryGetValue(type, out var byCause) ? byCause.Values.Sum() : 0;
        }

        return counts;
    }
}
