namespace StopSync.Web.Pages.Routes.GtfsStops;

/// <summary>The resolution methods of a GTFS stop, in tier order (docs/06-sources.md, "GTFS timetable").</summary>
public static class GtfsResolutionMethods
{
    public const string OriginalStopId = "original_stop_id";
    public const string UicPlatform = "uic_platform";
    public const string CoordinateProximity = "coordinate_proximity";
    public const string UniqueNumber = "unique_number";
    public const string Unmatched = "unmatched";

    public static readonly IReadOnlyList<string> All = [OriginalStopId, UicPlatform, CoordinateProximity, UniqueNumber, Unmatched];

    /// <summary>What the popup says about how a stop_id reached its SLOID(s).</summary>
    public static string Explain(string method) => method switch
    {
        OriginalStopId => "The stop's original_stop_id is this SLOID.",
        UicPlatform => "The stop's UIC number and platform equal an ATLAS platform's number and designation.",
        CoordinateProximity => "An ATLAS platform with the same UIC number lies within 0.5 m, and the pair is unique from both sides.",
        UniqueNumber => "Its UIC number has exactly one ATLAS platform.",
        Unmatched => "No tier found an ATLAS platform for this stop.",
        _ => "Resolution method not described.",
    };
}

public sealed record GtfsMapStop(
    string StopId, string Name, double Lat, double Lon, string? UicNumber, string? PlatformCode, string ResolutionMethod,
    double Confidence, bool Matched)
{
    internal IReadOnlyList<string> ResolvedSloids { get; init; } = [];
}

public sealed record AtlasMapStop(string Sloid, string? Name, string? Designation, double Lat, double Lon, string? UicRef, bool Matched);

/// <summary>One line between a GTFS stop and one of the SLOIDs it resolved to.</summary>
public sealed record GtfsMapMatch(
    string StopId, string Sloid, string Method, double Confidence, double DistanceM, double GtfsLat, double GtfsLon, double AtlasLat, double AtlasLon);

/// <param name="Capped">Some stops in the box (after the filters) were left out; the totals say how many there are.</param>
/// <param name="Mode"><c>overview</c> below zoom 11 (or without zoom), <c>detail</c> from 11.</param>
/// <param name="Limit">Stops per side at most; null with <c>limit=all</c>.</param>
public sealed record GtfsMapMeta(
    int? Zoom, bool Capped, string Mode, int? Limit, long GtfsTotal, long AtlasTotal, int GtfsReturned, int AtlasReturned,
    GtfsSearchEcho? Search);

public sealed record GtfsMapResponse(
    IReadOnlyList<GtfsMapStop> GtfsStops, IReadOnlyList<AtlasMapStop> AtlasStops, IReadOnlyList<GtfsMapMatch> Matches, GtfsMapMeta Meta);

public sealed record GtfsSearchEcho(string Kind, string Value);

/// <param name="EntityType"><c>gtfs</c> or <c>atlas</c>; with <paramref name="Id"/> what /popup takes.</param>
public sealed record GtfsSearchTarget(string EntityType, string Id, string? Name, double Lat, double Lon, bool Matched);

/// <param name="Bounds">[[min_lat, min_lon], [max_lat, max_lon]] of the targets.</param>
public sealed record GtfsSearchResponse(GtfsSearchEcho Search, IReadOnlyList<GtfsSearchTarget> Targets, GtfsPoint Center, double[][] Bounds);

public sealed record GtfsPoint(double Lat, double Lon);

public sealed record GtfsMethodCount(string Method, long Count, double Confidence);

public sealed record GtfsSideCounts(long Total, long Matched, long Unmatched, double? CoveragePercent);

/// <param name="Available">False when the live dataset has no GTFS stops (table missing or empty): <paramref name="Message"/> says so.</param>
/// <param name="OneToOne">Matched GTFS stops that resolved to exactly one SLOID.</param>
/// <param name="OneToMany">Matched GTFS stops that resolved to several SLOIDs (ATLAS duplicates).</param>
public sealed record GtfsStopsSummary(
    bool Available, string? Message, GtfsSideCounts GtfsStops, GtfsSideCounts AtlasStops, IReadOnlyList<GtfsMethodCount> ByMethod,
    IReadOnlyDictionary<string, long> ByIdentityLevel, long OneToOne, long OneToMany)
{
    public const string NoDataMessage = "No GTFS identity data in the live dataset.";

    public static GtfsStopsSummary Empty(long atlasTotal) => new(
        false, NoDataMessage, new GtfsSideCounts(0, 0, 0, null), new GtfsSideCounts(atlasTotal, 0, atlasTotal, null),
        [.. GtfsResolutionMethods.All.Select(m => new GtfsMethodCount(m, 0, Confidence(m)))], new Dictionary<string, long>(), 0, 0);

    /// <summary>The fixed confidence of each tier (docs/06-sources.md, "GTFS timetable").</summary>
    public static double Confidence(string method) => method switch
    {
        GtfsResolutionMethods.OriginalStopId => 1.0,
        GtfsResolutionMethods.UicPlatform => 0.95,
        GtfsResolutionMethods.CoordinateProximity => 0.85,
        GtfsResolutionMethods.UniqueNumber => 0.6,
        _ => 0.0,
    };
}

public sealed record GtfsPopupStop(
    string StopId, string Name, double Lat, double Lon, string? StopCode, string? UicNumber, string? LocalRef, string? PlatformCode,
    string? OriginalStopId, string? LocationType, string? ParentStation, string IdentityLevel, string ResolutionMethod,
    string ResolutionExplanation, double Confidence, double? DistanceM, bool Matched);

/// <param name="DistanceM">From the stop the popup is about.</param>
public sealed record AtlasPreview(string Sloid, string? Name, string? Designation, string? UicRef, string? Operator, double Lat, double Lon, double DistanceM);

/// <param name="DistanceM">From the stop the popup is about.</param>
public sealed record GtfsPreview(
    string StopId, string Name, string? PlatformCode, string ResolutionMethod, double Confidence, string? ResolvedSloid, double Lat, double Lon, double DistanceM);

/// <param name="Resolved">The ATLAS platforms this stop_id resolved to.</param>
/// <param name="SameUicCandidates">Other ATLAS platforms with the stop's UIC number, nearest first (at most
/// <see cref="GtfsStopQueries.MaxCandidates"/>; <paramref name="SameUicCandidateCount"/> counts all).</param>
public sealed record GtfsStopPopup(
    string EntityType, GtfsPopupStop Stop, IReadOnlyList<AtlasPreview> Resolved, IReadOnlyList<AtlasPreview> SameUicCandidates, int SameUicCandidateCount);

public sealed record AtlasPopupStop(string Sloid, string? Name, string? Designation, string? UicRef, string? Operator, double Lat, double Lon, bool Matched);

/// <param name="ResolvedBy">The GTFS stops that resolved to this SLOID, with their method and confidence.</param>
/// <param name="SameUicCandidates">Other GTFS stops with this platform's UIC number, nearest first (at most
/// <see cref="GtfsStopQueries.MaxCandidates"/>; <paramref name="SameUicCandidateCount"/> counts all).</param>
public sealed record AtlasStopPopup(
    string EntityType, AtlasPopupStop Stop, IReadOnlyList<GtfsPreview> ResolvedBy, IReadOnlyList<GtfsPreview> SameUicCandidates, int SameUicCandidateCount);
