using StopSync.Jobs.Sources.Atlas;
using StopSync.Jobs.Sources.Osm;

namespace StopSync.Jobs.Matching.Engine;

/// <summary>Everything one matching run reads; the readers produce it, nothing here touches files.</summary>
/// <param name="Atlas">Current Swiss ATLAS boarding platforms in file order. A repeated sloid keeps its first row.</param>
/// <param name="Osm">OSM stop elements in load order (nodes, then ways). A repeated id keeps its first element.</param>
/// <param name="Relations">OSM route relations, for the route stage and the route-contradiction problem.</param>
/// <param name="RouteEvidence">Timetable routes per sloid (matching-spec §3.3); null or empty disables the route stage.</param>
/// <param name="StageTimings">Called after each step with its name and duration, for benchmarks; null to skip.</param>
public sealed record MatchingInput(
    IReadOnlyList<AtlasPlatform> Atlas,
    IReadOnlyList<OsmElement> Osm,
    IReadOnlyList<OsmRouteRelation>? Relations = null,
    IReadOnlyDictionary<string, IReadOnlyList<AtlasRouteEvidence>>? RouteEvidence = null,
    Action<string, TimeSpan>? StageTimings = null)
{
    /// <summary>
    /// The ATLAS route ids the OSM relations' <c>gtfs:route_id</c> are mapped onto (matching-spec §3.4). Null takes
    /// the route ids found in <see cref="RouteEvidence"/>.
    /// </summary>
    public IReadOnlyList<AtlasRoute>? AtlasRoutes { get; init; }
}

/// <summary>One timetable route (and direction) that calls at an ATLAS platform.</summary>
/// <param name="RouteId">The GTFS route_id of the line family.</param>
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

/// <summary>An ATLAS-side route id with its normalised form, for mapping OSM relations onto it.</summary>
public sealed record AtlasRoute(string RouteId, string? RouteIdNormalized);
