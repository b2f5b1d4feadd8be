namespace StopSync.Jobs.Matching.Routes;

/// <summary>The two sides of a line family (docs/07-matching.md#lines-and-itineraries).</summary>
public static class RouteSides
{
    public const string Atlas = "atlas";
    public const string Osm = "osm";
}

/// <summary>
/// One line as one side knows it. ATLAS: one GTFS <c>route_id</c>. OSM: a route_master, else the relations sharing a
/// normalised <c>gtfs:route_id</c>, else those sharing (route, ref, operator, network), else one relation.
/// </summary>
/// <param name="FamilyId">Stable across runs: ATLAS the GTFS route_id; OSM <c>route_master:&lt;id&gt;</c>,
/// <c>gtfs:&lt;normalised id&gt;</c>, <c>synthetic:&lt;route|ref|operator|network&gt;</c> or <c>relation:&lt;id&gt;</c>.</param>
/// <param name="FamilyOrigin">ATLAS <c>gtfs_route</c>; OSM <c>route_master</c>, <c>gtfs_route_id</c>, <c>synthetic</c> or <c>relation</c>.</param>
/// <param name="RouteType">ATLAS the GTFS route_type code; OSM the <c>route</c> tag (bus, tram, train…).</param>
/// <param name="Mode">Both sides on one scale: bus, tram, rail, metro, ferry, aerialway, funicular or other.</param>
/// <param name="DisplayRouteId">What the pages show and search: the normalised GTFS id when there is one, else the ref, else the family id.</param>
/// <param name="Operator">ATLAS the GTFS agency name; OSM the <c>operator</c> tag (route_master first, else the most common of its relations).</param>
/// <param name="IsNonGtfs">OSM only: the family can have no timetable counterpart and is left out of route matching (docs/07-matching.md).</param>
/// <param name="OperatorAliases">ATLAS only: the other names its operator goes by, the GTFS agency id and the ATLAS business
/// organisation abbreviations of the platforms it calls at, sorted; an OSM operator tag equal to one is no difference.</param>
public sealed record LineFamily(
    string Source,
    string FamilyId,
    string FamilyOrigin,
    string? RouteType,
    string Mode,
    string DisplayRouteId,
    string? GtfsRouteId,
    string? NormalizedRouteId,
    string? PublicName,
    string? Ref,
    string? Operator,
    string? Network,
    string? AgencyId,
    string? RouteMasterId,
    bool IsNonGtfs,
    IReadOnlyList<Itinerary> Itineraries,
    IReadOnlyList<string>? OperatorAliases = null)
{
    /// <summary>Distinct stop keys over all itineraries: what the unmatched-family priority counts.</summary>
    public int DistinctStopCount => Itineraries.SelectMany(i => i.Calls).Select(c => c.StopKeys[0]).Distinct(StringComparer.Ordinal).Count();
}

/// <summary>One ordered stop sequence of a family.</summary>
/// <param name="ItineraryId">Stable across runs: ATLAS <c>&lt;route_id&gt;|&lt;direction or -&gt;|&lt;12 hex of the stop pattern&gt;</c>;
/// OSM the relation id.</param>
/// <param name="DirectionId">"0", "1" or null when unknown (GTFS without direction_id, OSM without <c>ref_trips</c>).</param>
/// <param name="Headsign">ATLAS the most common trip_headsign of its trips; OSM the <c>to</c> tag.</param>
/// <param name="TripCount">ATLAS trips following the pattern; OSM 0.</param>
/// <param name="RelationId">OSM only.</param>
/// <param name="Name">OSM the relation's <c>name</c>; ATLAS "first → last".</param>
public sealed record Itinerary(
    string ItineraryId,
    string? DirectionId,
    string? Headsign,
    string? FromName,
    string? ToName,
    string? Name,
    int TripCount,
    string? RelationId,
    IReadOnlyList<StopCall> Calls);

/// <summary>One stop of an itinerary, in order.</summary>
/// <param name="Sequence">1, 2, 3… in itinerary order.</param>
/// <param name="SourceStopId">ATLAS side the GTFS stop_id; OSM side the element id (<c>123</c> or <c>way_123</c>).</param>
/// <param name="Sloid">ATLAS the resolved sloid (first of <paramref name="SloidVariants"/>); OSM the sloid the element is matched to, if one.</param>
/// <param name="SloidVariants">All sloids the stop resolves to or is matched to, sorted; empty when none.</param>
/// <param name="OsmId">OSM side only: the member element.</param>
/// <param name="StopKeys">Never empty. First the call's identity keys: <c>sloid:&lt;sloid&gt;</c> for each of
/// <paramref name="SloidVariants"/>, else <c>uic:&lt;number&gt;</c>, else <c>gtfs:&lt;stop_id&gt;</c> or <c>osm:&lt;id&gt;</c>; then
/// <c>uic:&lt;number&gt;</c> when the identity is a sloid and the number is known. Two calls are the same stop when their keys
/// intersect; sharing only the <c>uic:</c> key while both have sloids is the same station at another platform
/// (docs/07-matching.md#lines-and-itineraries).</param>
/// <param name="Role">OSM the member role (platform, stop, ""); ATLAS null.</param>
public sealed record StopCall(
    int Sequence,
    string SourceStopId,
    string? Sloid,
    IReadOnlyList<string> SloidVariants,
    string? OsmId,
    IReadOnlyList<string> StopKeys,
    string Label,
    string? UicRef,
    string? PlatformCode,
    double Lat,
    double Lon,
    string? Role);

/// <param name="Method"><c>exact_gtfs_route_id</c> (1.0), <c>normalized_route_id</c> (0.95), <c>display_route_id</c> (0.9) or
/// <c>ref_and_stops</c> (0.8), see <see cref="RouteMatchMethods"/>.</param>
public sealed record LineFamilyMatch(string AtlasFamilyId, string OsmFamilyId, string Method, double Score);

/// <param name="MatchReason">e.g. <c>ordered_stop_match</c>.</param>
/// <param name="GeometryScore">Always null: shapes are not compared.</param>
public sealed record ItineraryMatch(
    string AtlasFamilyId,
    string OsmFamilyId,
    string AtlasItineraryId,
    string OsmItineraryId,
    double DirectionScore,
    double StopScore,
    double? GeometryScore,
    double OverallScore,
    int MatchedStops,
    string MatchReason);

/// <summary>Everything route matching publishes; problems are added to the stop problems (they land on stop rows).</summary>
/// <param name="Families">ATLAS families first (by family id), then OSM families (by family id).</param>
public sealed record RouteMatchingOutput(
    IReadOnlyList<LineFamily> Families,
    IReadOnlyList<LineFamilyMatch> FamilyMatches,
    IReadOnlyList<ItineraryMatch> ItineraryMatches,
    IReadOnlyList<Engine.DetectedProblem> Problems,
    RouteMatchingSummary Summary)
{
    public static RouteMatchingOutput Empty { get; } = new([], [], [], [], RouteMatchingSummary.Empty);
}

/// <param name="UnplacedProblems">Route problems found but not published: none of the stops they concern has a stop row
/// to land on (docs/07-matching.md#route-problems).</param>
public sealed record RouteMatchingSummary(
    int AtlasFamilies,
    int OsmFamilies,
    int NonGtfsFamilies,
    int AtlasItineraries,
    int OsmItineraries,
    int StopCalls,
    int MatchedFamilies,
    int MatchedItineraries,
    IReadOnlyList<KeyValuePair<string, int>> FamiliesByMethod,
    IReadOnlyList<KeyValuePair<string, int>> ProblemsByType,
    int UnplacedProblems = 0)
{
    public static RouteMatchingSummary Empty { get; } = new(0, 0, 0, 0, 0, 0, 0, 0, [], []);
}
