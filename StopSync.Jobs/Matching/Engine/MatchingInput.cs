using StopSync.Jobs.Sources.Atlas;
using StopSync.Jobs.Sources.Osm;

namespace StopSync.Jobs.Matching.Engine;

/// <param name="Atlas">Current Swiss ATLAS boarding platforms in file order. A repeated sloid keeps its first row.</param>
/// <param name="Osm">OSM stop elements in load order (nodes, then ways). A repeated id keeps its first element.</param>
/// <param name="RouteEvidence">Null or empty disables the route stage.</param>
public sealed record MatchingInput(
    IReadOnlyList<AtlasPlatform> Atlas,
    IReadOnlyList<OsmElement> Osm,
    IReadOnlyList<OsmRouteRelation>? Relations = null,
    IReadOnlyDictionary<string, IReadOnlyList<AtlasRouteEvidence>>? RouteEvidence = null,
    Action<string, TimeSpan>? StageTimings = null)
{
    /// <summary>Null takes the route ids of <see cref="RouteEvidence"/>.</summary>
    public IReadOnlyList<AtlasRoute>? AtlasRoutes { get; init; }

    /// <summary>Reviewers' manual matches and forbidden pairs (docs/07-matching.md#reviewer-rulings).</summary>
    public ReviewerRulings Rulings { get; init; } = ReviewerRulings.None;
}

/// <summary>
/// What reviewers decided about pairs: <see cref="ManualMatches"/> are committed before any stage, and no stage nor
/// propagation ever commits one of the <see cref="ForbiddenPairs"/> (docs/07-matching.md#reviewer-rulings).
/// </summary>
public sealed record ReviewerRulings(IReadOnlyList<RulingPair> ManualMatches, IReadOnlyList<RulingPair> ForbiddenPairs)
{
    public static ReviewerRulings None { get; } = new([], []);

    public int Count => ManualMatches.Count + ForbiddenPairs.Count;
}

/// <param name="OsmId">In the engine's form: <c>123</c> for a node, <c>way_123</c> for a way.</param>
public sealed record RulingPair(string Sloid, string OsmId);

/// <param name="DirectionId">"0" or "1"; null when the timetable does not say, and then the entry yields no route token.</param>
public sealed record AtlasRouteEvidence(
    string RouteId,
    string? RouteIdNormalized,
    string? DirectionId,
    string? DirectionName,
    string? RouteShortName = null,
    string? RouteLongName = null);

public sealed record AtlasRoute(string RouteId, string? RouteIdNormalized);
