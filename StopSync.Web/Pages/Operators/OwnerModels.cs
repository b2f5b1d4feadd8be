namespace StopSync.Web.Pages.Operators;

/// <summary>The two kinds of data owner a dashboard is about; the values are <c>publication_statistics.scope_kind</c>.</summary>
public enum OwnerScope
{
    Operator,
    Canton,
}

public sealed record ValueCount(string Value, int Count);

/// <summary>Problem rows of the published dataset by priority.</summary>
public sealed record PriorityCounts(int P1, int P2, int P3)
{
    public static PriorityCounts Zero { get; } = new(0, 0, 0);

    public int Total => P1 + P2 + P3;

    public PriorityCounts Minus(PriorityCounts other) =>
        new(Math.Max(0, P1 - other.P1), Math.Max(0, P2 - other.P2), Math.Max(0, P3 - other.P3));
}

/// <summary>
/// What only a publication changes, per ATLAS operator or canton: computed once per published run and kept in process.
/// <paramref name="OsmOperators"/> lists every OSM <c>operator</c> value on the owner's matched platforms, most first.
/// </summary>
public sealed record OwnerFigures(
    string Key,
    string? Name,
    string? Sboid,
    int Platforms,
    int Matched,
    int MissingOsmOperator,
    int OsmUnmatched,
    IReadOnlyList<ValueCount> OsmOperators,
    PriorityCounts Problems)
{
    public int Unmatched => Math.Max(0, Platforms - Matched);

    /// <summary>Matched share of the platforms, 0–1; null without platforms.</summary>
    public double? MatchRate => Platforms == 0 ? null : Matched / (double)Platforms;
}

/// <summary>
/// What reviewers change at any time: decisions recorded on the owner's problems, by state (the operator and canton the
/// decision copied when it was taken), and the published problem rows that carry a decision, by priority.
/// </summary>
public sealed record OwnerDecisions(int Decided, int NeedsAnotherLook, int ResolvedByData, PriorityCounts DecidedProblems)
{
    public static OwnerDecisions None { get; } = new(0, 0, 0, PriorityCounts.Zero);

    public int Total => Decided + NeedsAnotherLook + ResolvedByData;
}

/// <summary>One owner's row: the published figures with the live review counts.</summary>
public sealed record OwnerRow(OwnerFigures Figures, OwnerDecisions Decisions)
{
    /// <summary>Problems nobody has decided yet (no decision on their key), by priority.</summary>
    public PriorityCounts OpenProblems => Figures.Problems.Minus(Decisions.DecidedProblems);
}

/// <summary>One publication's figures of a scope from <c>publication_statistics</c>.</summary>
public sealed record TrendPoint(
    Guid RunId, DateTimeOffset PublishedAt, int Platforms, int Matched, int EffectivelyMatched, int Unmatched,
    int Problems, int P1, int P2, int P3)
{
    public double? MatchRate => Platforms == 0 ? null : Matched / (double)Platforms;
}

/// <summary>The live run's changes of one scope, counted by type and cause (<c>data_changes</c>).</summary>
public sealed record ChangeSummary(
    Guid RunId, DateTimeOffset? PublishedAt, Guid? PreviousRunId, string? NoComparisonReason,
    IReadOnlyList<(string ChangeType, string Cause, int Count)> Counts)
{
    public int Total => Counts.Sum(c => c.Count);
}

/// <summary>An operator's platforms in one canton, for the canton page.</summary>
public sealed record OperatorShare(string Operator, int Platforms, int Matched);
