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
}

/// <param name="DirectionId">"0" or "1"; null when the timetable does not say, and then the entry yields no route token.</param>
public sealed record AtlasRouteEvidence(
    string RouteId,
    string? RouteIdNormalized,
    string? DirectionId,
    string? DirectionName,
    string? RouteShortName = null,
    string? RouteLongName = null);

public sealed record AtlasRoute(string RouteId, string? RouteIdNormalized);
