using StopSync.Jobs.Sources.Atlas;
using StopSync.Jobs.Sources.Osm;

namespace StopSync.Jobs.Matching.Engine;

/// <param name="Atlas">Current Swiss ATLAS boarding platforms in file order. A repeated sloid keeps its first row.</param>
/// <param name="Osm">OSM stop elements in load order (nodes, then ways). A repeated id keeps its first element.</param>
/// <param name="RouteEvidence">
/// Timetable routes per sloid (docs/06-sources.md#gtfs-timetable); null or empty disables the route stage.
/// </param>
/// <param name="StageTimings">Called after each step with its name and duration, for benchmarks.</param>
public sealed record MatchingInput(
    IReadOnlyList<AtlasPlatform> Atlas,
    IReadOnlyList<OsmElement> Osm,
    IReadOnlyList<OsmRouteRelation>? Relations = null,
    IReadOnlyDictionary<string, IReadOnlyList<AtlasRouteEvidence>>? RouteEvidence = null,
    Action<string, TimeSpan>? StageTimings = null)
{
    /// <summary>
    /// The route ids OSM relations map onto (route-token paragraph of docs/07-matching.md#the-ten-stages); null takes
    /// those of <see cref="RouteEvidence"/>.
    /// </summary>
    public IReadOnlyList<AtlasRoute>? AtlasRoutes { get; init; }
}

/// <param name="RouteIdNormalized">The route id with its timetable-year part (<c>-j25</c>) replaced by <c>-jXX</c>.</param>
/// <param name="DirectionId">"0" or "1"; null when the timetable does not say, and then the entry yields no route token.</param>
/// <param name="DirectionName">"first stop → last stop" of the itinerary, compared with OSM relations' end stops.</param>
public sealed record AtlasRouteEvidence(
    string RouteId,
    string? RouteIdNormalized,
    string? DirectionId,
    string? DirectionName,
    string? RouteShortName = null,
    string? RouteLongName = null);

public sealed record AtlasRoute(string RouteId, string? RouteIdNormalized);
