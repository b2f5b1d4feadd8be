namespace StopSync.Jobs.Sources.Gtfs;

public sealed record GtfsReadResult(
    IReadOnlyList<GtfsStop> Stops,
    IReadOnlyList<GtfsStopResolution> Resolutions,
    IReadOnlyDictionary<string, IReadOnlyList<RouteEvidence>> RouteEvidenceBySloid,
    IReadOnlyList<GtfsRoute> Routes,
    IReadOnlyList<GtfsRouteDirection> Directions,
    GtfsReadCounts Counts)
{
    /// <summary>Distinct Swiss stop patterns per route and direction, ordered by <see cref="GtfsItinerary.ItineraryId"/>.</summary>
    public IReadOnlyList<GtfsItinerary> Itineraries { get; init; } = [];

    /// <summary>The rows of agency.txt, in file order; empty when the feed has no agency.txt.</summary>
    public IReadOnlyList<GtfsAgency> Agencies { get; init; } = [];
}

/// <summary>
/// One distinct ordered sequence of Swiss stops that trips of a (route_id, direction_id) follow
/// (docs/07-matching.md#lines-and-itineraries).
/// </summary>
/// <param name="PatternHash">The first 12 lowercase hex digits of the SHA-256 of the stop_ids joined by a line feed.</param>
/// <param name="Headsign">The most common trip_headsign of its trips (ties: first in trips.txt), else the most common
/// trip_short_name, else null.</param>
/// <param name="StopPositions">Indexes into <see cref="GtfsReadResult.Stops"/>, in stop_sequence order.</param>
public sealed record GtfsItinerary(
    string RouteId,
    string? DirectionId,
    string PatternHash,
    string? Headsign,
    int TripCount,
    IReadOnlyList<int> StopPositions)
{
    /// <summary><c>&lt;route_id&gt;|&lt;direction_id or -&gt;|&lt;pattern hash&gt;</c>: the same stops give the same id in every run.</summary>
    public string ItineraryId => $"{RouteId}|{DirectionId ?? "-"}|{PatternHash}";
}

/// <param name="AgencyId">Null when the column is missing or empty (allowed for a feed with one agency).</param>
public sealed record GtfsAgency(string? AgencyId, string Name);

/// <summary>Optional values are null when the column is missing or the value is empty.</summary>
public sealed record GtfsStop(
    string StopId,
    string StopName,
    double Lat,
    double Lon,
    string? StopCode,
    string? UicNumber,
    string? LocalRef,
    string? NormalizedLocalRef,
    string? PlatformCode,
    string? OriginalStopId,
    string? LocationType,
    string? ParentStation,
    string? Didok,
    GtfsIdentityLevel IdentityLevel);

public enum GtfsIdentityLevel
{
    Station,
    Platform,
    ChildStop,
    Stop,
}

public enum GtfsResolutionMethod
{
    OriginalStopId,
    UicPlatform,
    CoordinateProximity,
    UniqueNumber,
    Unmatched,
}

/// <summary><see cref="Sloids"/> can hold several sloids for <c>uic_platform</c> when ATLAS has duplicates.</summary>
public sealed record GtfsStopResolution(
    string StopId,
    IReadOnlyList<string> Sloids,
    GtfsResolutionMethod Method,
    double Confidence,
    double? DistanceMeters)
{
    public string MethodLabel => GtfsLabels.Of(Method);
}

public sealed record RouteEvidence(
    string RouteId,
    string RouteIdNormalized,
    string? RouteShortName,
    string? RouteLongName,
    string? DirectionId,
    string? DirectionName);

/// <summary>A line family: one routes.txt route_id with at least one trip through a Swiss stop.</summary>
public sealed record GtfsRoute(
    string RouteId,
    string RouteIdNormalized,
    string? AgencyId,
    string? ShortName,
    string? LongName,
    string? Description,
    string? RouteType);

/// <summary>The label of one (route_id, direction_id) and how many trips through Swiss stops it summarises.</summary>
public sealed record GtfsRouteDirection(string RouteId, string? DirectionId, string DirectionName, int TripCount);

public sealed record GtfsFileCounts(int Rows, int Malformed);

public sealed record GtfsReadCounts(
    GtfsFileCounts StopsFile,
    GtfsFileCounts RoutesFile,
    GtfsFileCounts TripsFile,
    GtfsFileCounts StopTimesFile,
    int NotSwissPrefix,
    int OutsideBorder,
    int SwissStops,
    IReadOnlyDictionary<GtfsResolutionMethod, int> StopsByMethod,
    int CoordinateProximityConflicts,
    int TripsWithUnknownRoute,
    int StopTimesWithUnknownTrip,
    int StopTimesWithUnknownStop,
    int TripsThroughSwissStops)
{
    public int Unmatched => StopsByMethod.GetValueOrDefault(GtfsResolutionMethod.Unmatched);
}

/// <summary>The snake_case labels the upstream outputs use, for storage and display.</summary>
public static class GtfsLabels
{
    public static string Of(GtfsResolutionMethod method) => method switch
    {
        GtfsResolutionMethod.OriginalStopId => "original_stop_id",
        GtfsResolutionMethod.UicPlatform => "uic_platform",
        GtfsResolutionMethod.CoordinateProximity => "coordinate_proximity",
        GtfsResolutionMethod.UniqueNumber => "unique_number",
        _ => "unmatched",
    };

    public static string Of(GtfsIdentityLevel level) => level switch
    {
        GtfsIdentityLevel.Station => "station",
        GtfsIdentityLevel.Platform => "platform",
        GtfsIdentityLevel.ChildStop => "child_stop",
        _ => "stop",
    };

    public static double Confidence(GtfsResolutionMethod method) => method switch
    {
        GtfsResolutionMethod.OriginalStopId => 1.0,
        GtfsResolutionMethod.UicPlatform => 0.95,
        GtfsResolutionMethod.CoordinateProximity => 0.85,
        GtfsResolutionMethod.UniqueNumber => 0.6,
        _ => 0.0,
    };
}
