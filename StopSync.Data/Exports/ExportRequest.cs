namespace StopSync.Data.Exports;

/// <summary>
/// One export as the web app validated it (docs/10-history.md, "Exports"); stored in Redis beside the task so that the
/// jobs host rebuilds the same query. Empty lists do not filter; OR within a list, AND across lists.
/// </summary>
/// <param name="Limit">At most this many rows; null for every row (still bounded by <see cref="ExportOptions.MaxRows"/>).</param>
public sealed record ExportRequest
{
    public required string ReportType { get; init; }
    public required string Format { get; init; }
    public required string Sort { get; init; }
    public int? Limit { get; init; }
    public bool AtlasCoords { get; init; }
    public bool OsmCoords { get; init; }
    public string[] AtlasOperators { get; init; } = [];
    public string[] Cantons { get; init; } = [];

    /// <summary>distance: match method families, each a prefix of match_type.</summary>
    public string[] MatchMethods { get; init; } = [];

    /// <summary>unmatched: atlas and/or osm.</summary>
    public string[] Sources { get; init; } = [];

    /// <summary>problems: the types; empty = every type the problems queue shows.</summary>
    public string[] ProblemTypes { get; init; } = [];
    public int[] Priorities { get; init; } = [];

    /// <summary>problems: review states open, decided, needs_another_look.</summary>
    public string[] States { get; init; } = [];

    /// <summary>changes: the side that caused a change (atlas, osm, both, matching).</summary>
    public string[] Sides { get; init; } = [];
    public string[] ChangeTypes { get; init; } = [];
}

/// <summary>The names the API takes, shared by the web's parser and the jobs host.</summary>
public static class ExportReports
{
    public const string Distance = "distance";
    public const string Unmatched = "unmatched";
    public const string Problems = "problems";
    public const string Changes = "changes";

    public static readonly IReadOnlyList<string> All = [Distance, Unmatched, Problems, Changes];

    /// <summary>The first site's names of the distance report, still accepted.</summary>
    public static readonly IReadOnlyList<string> DistanceAliases = ["top_matches", "exact_matches", "name_matches"];

    /// <summary>The sort values of each report; the first is the default.</summary>
    public static IReadOnlyList<string> Sorts(string reportType) => reportType switch
    {
        Distance => ["distance_desc", "distance_asc", "operator_asc", "operator_desc"],
        Unmatched => ["source", "operator_asc", "operator_desc"],
        Problems => ["priority_desc", "priority_asc", "operator_asc", "operator_desc"],
        Changes => ["change", "operator_asc", "operator_desc"],
        _ => throw new ArgumentOutOfRangeException(nameof(reportType), reportType, "unknown report type"),
    };

    /// <summary>The problem types of the problems queue, in its order.</summary>
    public static readonly IReadOnlyList<string> ProblemTypes =
    [
        "distance", "unmatched", "attributes", "contradicts_route_matching", "duplicates", "route_unmatched", "route_metadata", "route_membership",
    ];

    public static readonly IReadOnlyList<string> ReviewStates = ["open", "decided", "needs_another_look"];
}

public static class ExportFormats
{
    public const string Csv = "csv";
    public const string GeoJson = "geojson";

    public static readonly IReadOnlyList<string> All = [Csv, GeoJson];

    public static string Extension(string format) => format == GeoJson ? "geojson" : "csv";

    public static string ContentType(string format) => format == GeoJson ? "application/geo+json" : "text/csv; charset=utf-8";
}
