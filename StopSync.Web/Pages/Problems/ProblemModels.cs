using System.Text.Json;
using System.Text.Json.Serialization;
using StopSync.Web.Pages.Problems.Decisions;

namespace StopSync.Web.Pages.Problems;

/// <summary>One page of /api/problems: <see cref="Total"/> counts affected stops, not problems.</summary>
public sealed record ProblemList(IReadOnlyList<ProblemItem> Problems, long Total, int Page, int Limit, string SortBy, string SortOrder);

/// <summary>
/// One problem of one stop row, with the row's both sides, the evidence and the review state (docs/05-api.md,
/// "Problems"). Problems of the same stop are consecutive in a page.
/// </summary>
public sealed record ProblemItem
{
    public long StopId { get; init; }

    /// <summary>The problem's stable key; null in data published before keys existed (then <see cref="Decidable"/> is false).</summary>
    public string? ProblemKey { get; init; }

    public required string Problem { get; init; }
    public int Priority { get; init; }
    public string? Sloid { get; init; }
    public string? OsmNodeId { get; init; }
    public required string StopType { get; init; }
    public string? MatchType { get; init; }
    public double? AtlasLat { get; init; }
    public double? AtlasLon { get; init; }
    public double? OsmLat { get; init; }
    public double? OsmLon { get; init; }
    public double? DistanceM { get; init; }
    public double Lat { get; init; }
    public double Lon { get; init; }
    public string? AtlasOperator { get; init; }
    public string? Canton { get; init; }
    public string? AtlasName { get; init; }
    public string? OsmName { get; init; }
    public JsonElement? Evidence { get; init; }
    public required string Description { get; init; }

    /// <summary>open, decided or needs_another_look.</summary>
    public required string State { get; init; }

    public DecisionView? Decision { get; init; }

    /// <summary>Route problems only: the line the problem is about and the itinerary pair to compare; else left out.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RouteContext? Route { get; init; }

    /// <summary>The decision's kind, or empty: the field the first version of the site filled.</summary>
    public string Solution => Decision?.Kind ?? "";

    public bool IsPersistent => Decision is not null;

    public bool Decidable => ProblemKey is not null;
}

/// <summary>
/// The line of a route problem, from its evidence and the published route tables (docs/09-review.md, "Route problems").
/// </summary>
/// <param name="Line">The display route id to search on /routes and to filter the map by.</param>
/// <param name="AtlasFamily">The ATLAS family id of the evidence (the GTFS route_id), if it names one.</param>
/// <param name="OsmFamily">The OSM family id of the evidence (route_master:…, gtfs:…, synthetic:…, relation:…), if it names one.</param>
/// <param name="AtlasItineraryId">With <paramref name="OsmItineraryId"/>: a matched itinerary pair of the two families
/// (one calling at this stop when there is such a pair), the ids /routes/compare takes.</param>
public sealed record RouteContext(string? Line, string? AtlasFamily, string? OsmFamily, long? AtlasItineraryId, long? OsmItineraryId);

/// <summary>Counts of problems by review state; solved = decided, unsolved = open.</summary>
public sealed record ReviewCounts(long All, long Solved, long Unsolved, long NeedsAnotherLook)
{
    public static readonly ReviewCounts Zero = new(0, 0, 0, 0);
}

public sealed record OperatorCounts(string? AtlasOperator, long All, long Solved, long Unsolved, long NeedsAnotherLook);

public sealed record CantonCounts(string? Canton, long All, long Solved, long Unsolved, long NeedsAnotherLook);

/// <summary>/api/problems/stats (docs/05-api.md, "Problem statistics").</summary>
public sealed record ProblemStats
{
    public required ReviewCounts All { get; init; }
    public required ReviewCounts Distance { get; init; }
    public required ReviewCounts Unmatched { get; init; }
    public required ReviewCounts Attributes { get; init; }
    public required ReviewCounts ContradictsRouteMatching { get; init; }
    public required ReviewCounts Duplicates { get; init; }
    public required ReviewCounts RouteUnmatched { get; init; }
    public required ReviewCounts RouteMetadata { get; init; }
    public required ReviewCounts RouteMembership { get; init; }
    public required IReadOnlyDictionary<string, ReviewCounts> ByPriority { get; init; }
    public required IReadOnlyList<OperatorCounts> ByOperator { get; init; }
    public required IReadOnlyList<CantonCounts> ByCanton { get; init; }

    /// <summary>Decisions whose problem is gone from the published data (state resolved_by_data).</summary>
    public long ResolvedByData { get; init; }
}
