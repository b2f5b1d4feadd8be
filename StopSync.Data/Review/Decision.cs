namespace StopSync.Data.Review;

/// <summary>
/// A reviewer's verdict on one problem, keyed by the problem's stable key so it outlives every publication swap
/// (docs/09-review.md, "Decisions"). Lives in the <c>review</c> schema, which the publication never touches.
/// </summary>
public sealed class Decision
{
    public long Id { get; set; }

    /// <summary>The problem's stable id (<c>problems.problem_key</c>): a hash of type, sorted SLOIDs and sorted OSM ids.</summary>
    public required string ProblemKey { get; set; }

    public required string ProblemType { get; set; }

    /// <summary>Sorted ordinally; the readable half of the stable key.</summary>
    public string[] Sloids { get; set; } = [];

    /// <summary>Sorted ordinally, in the site's OSM id form (<c>123</c> for a node, <c>way_123</c> for a way).</summary>
    public string[] OsmIds { get; set; } = [];

    /// <summary>One of <see cref="DecisionKinds"/>.</summary>
    public required string Kind { get; set; }

    public string? Note { get; set; }

    /// <summary>JSON object attribute → value the reviewer chose (e.g. {"uic_ref":"8503000"}); null when none.</summary>
    public string? ChosenValues { get; set; }

    /// <summary>For <see cref="DecisionKinds.SameStop"/> and <see cref="DecisionKinds.NotSameStop"/>: the pair the matching engine must join or keep apart.</summary>
    public string? PairSloid { get; set; }

    public string? PairOsmId { get; set; }

    /// <summary>JSON of the problem's evidence when the decision was taken (<c>problems.evidence</c>).</summary>
    public required string Evidence { get; set; }

    /// <summary>One of <see cref="DecisionStates"/>; set by reviewers (decided) and by the re-application after each publication.</summary>
    public required string State { get; set; }

    /// <summary>The evidence of the newest publication when it differs from <see cref="Evidence"/> (needs another look).</summary>
    public string? CurrentEvidence { get; set; }

    /// <summary>The run whose publication last changed <see cref="State"/>; null while a reviewer set it.</summary>
    public string? StateRunId { get; set; }

    public DateTimeOffset StateChangedAt { get; set; }

    /// <summary>Copied at decision time so that decisions whose problem has gone can still be filtered and exported.</summary>
    public string? AtlasOperator { get; set; }

    public string? Canton { get; set; }

    public required string DecidedById { get; set; }

    public required string DecidedByName { get; set; }

    public DateTimeOffset DecidedAt { get; set; }

    /// <summary>Optimistic concurrency: a write names the revision it saw; 1 for a new decision.</summary>
    public int Revision { get; set; }
}

/// <summary>One line of the audit trail: every write to a decision, by a person or by a publication, including refused writes.</summary>
public sealed class DecisionEvent
{
    public long Id { get; set; }
    public long? DecisionId { get; set; }
    public required string ProblemKey { get; set; }

    /// <summary>One of <see cref="DecisionActions"/>.</summary>
    public required string Action { get; set; }

    public string? Kind { get; set; }
    public string? Note { get; set; }
    public string? ChosenValues { get; set; }
    public string? Evidence { get; set; }
    public string? State { get; set; }

    /// <summary>Null for writes by a publication.</summary>
    public string? AccountId { get; set; }

    public string? AccountName { get; set; }
    public string? RunId { get; set; }
    public DateTimeOffset At { get; set; }
}

public static class DecisionKinds
{
    public const string OsmWrong = "osm_wrong";
    public const string AtlasWrong = "atlas_wrong";
    public const string NotAProblem = "not_a_problem";

    /// <summary>Forbids the pair in the next matching runs.</summary>
    public const string NotSameStop = "not_same_stop";

    /// <summary>A manual match for the next matching runs.</summary>
    public const string SameStop = "same_stop";

    public static IReadOnlyList<string> All { get; } = [OsmWrong, AtlasWrong, NotAProblem, NotSameStop, SameStop];
}

public static class DecisionStates
{
    public const string Decided = "decided";
    public const string NeedsAnotherLook = "needs_another_look";
    public const string ResolvedByData = "resolved_by_data";

    public static IReadOnlyList<string> All { get; } = [Decided, NeedsAnotherLook, ResolvedByData];
}

public static class DecisionActions
{
    public const string Decided = "decided";
    public const string Changed = "changed";
    public const string Withdrawn = "withdrawn";

    /// <summary>A write that named an older revision than the stored one; kept so that nothing a reviewer typed is lost.</summary>
    public const string ConflictRefused = "conflict_refused";

    public const string NeedsAnotherLook = "needs_another_look";
    public const string ResolvedByData = "resolved_by_data";

    /// <summary>The problem came back (or its evidence returned to what was decided).</summary>
    public const string Reapplied = "reapplied";
}
