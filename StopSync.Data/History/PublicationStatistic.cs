namespace StopSync.Data.History;

/// <summary>
/// The figures of one publication for one scope: the whole dataset, one ATLAS operator or one canton
/// (docs/10-history.md, "Statistics"). Computed from the tables the publication loaded, so they equal what the
/// published tables give.
/// </summary>
public sealed class PublicationStatistic
{
    public long Id { get; set; }
    public Guid RunId { get; set; }
    public PublicationHistoryEntry? Publication { get; set; }

    /// <summary><see cref="StatisticScopes"/>.</summary>
    public required string ScopeKind { get; set; }

    /// <summary>Empty for <see cref="StatisticScopes.All"/>, the operator's abbreviation, or the canton code.</summary>
    public required string ScopeKey { get; set; }

    /// <summary>The operator's full name or the canton's name; null for the whole dataset.</summary>
    public string? ScopeName { get; set; }

    public int AtlasPlatforms { get; set; }
    public int AtlasMatched { get; set; }
    public int AtlasEffectivelyMatched { get; set; }
    public int AtlasUnmatched { get; set; }
    public int OsmNodes { get; set; }
    public int OsmMatched { get; set; }
    public int OsmUnmatched { get; set; }
    public int Problems { get; set; }
    public int ProblemsP1 { get; set; }
    public int ProblemsP2 { get; set; }
    public int ProblemsP3 { get; set; }

    /// <summary>JSON: match methods with distances, unmatched analysis, problem types, stop-unit kinds (docs/10-history.md).</summary>
    public string Details { get; set; } = "{}";
}

public static class StatisticScopes
{
    public const string All = "all";
    public const string Operator = "operator";
    public const string Canton = "canton";
}
