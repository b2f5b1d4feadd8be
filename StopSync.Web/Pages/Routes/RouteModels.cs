namespace StopSync.Web.Pages.Routes;

/// <summary>One side of a line as the route pages show it (a row of <c>line_families</c>).</summary>
public sealed record FamilyView(
    long Id, string Source, string SourceFamilyId, string FamilyOrigin, string? RouteType, string Mode, string DisplayRouteId,
    string? GtfsRouteId, string? NormalizedRouteId, string? PublicName, string? Ref, string? Operator, string? Network,
    string? AgencyId, string? RouteMasterId, bool IsNonGtfs, int ItineraryCount, int StopCount)
{
    public string? RouteMasterUrl => RouteMasterId is { Length: > 0 } id ? OsmLinks.Relation(id) : null;
}

/// <summary>One itinerary (GTFS stop pattern or OSM route relation) on a card.</summary>
public sealed record ItineraryView(
    long Id, long FamilyId, string Source, string SourceItineraryId, string? DirectionId, string? Headsign, string? FromName,
    string? ToName, string? DisplayName, int TripCount, int StopCount, string? RelationId, long? MatchedItineraryId)
{
    public string? RelationUrl => RelationId is { Length: > 0 } id ? OsmLinks.Relation(id) : null;

    /// <summary>What a reader recognises the itinerary by: its destination, else its name, else its id.</summary>
    public string Title => Source == "osm"
        ? ToName ?? DisplayName ?? Headsign ?? SourceItineraryId
        : Headsign ?? DisplayName ?? SourceItineraryId;
}

/// <summary>An ATLAS itinerary paired with an OSM one by route matching.</summary>
public sealed record ItineraryPairView(ItineraryView Atlas, ItineraryView Osm, double StopScore, int MatchedStops);

/// <summary>The itineraries of one direction on a card: pairs first, then each side's unpaired ones.</summary>
public sealed record DirectionGroup(string? DirectionId, IReadOnlyList<ItineraryPairView> Pairs, IReadOnlyList<ItineraryView> AtlasOnly, IReadOnlyList<ItineraryView> OsmOnly)
{
    public string Label => DirectionId is null ? "Direction unknown" : $"Dir: {DirectionId}";
}

/// <summary>One card of /routes: a matched pair of line families, or one side alone.</summary>
public sealed record RouteCard(
    FamilyView? Atlas, FamilyView? Osm, string? MatchMethod, double? MatchScore, int MatchedItineraries, IReadOnlyList<DirectionGroup> Directions)
{
    public bool IsMatched => Atlas is not null && Osm is not null;

    public string DisplayRouteId => Atlas?.DisplayRouteId ?? Osm!.DisplayRouteId;

    public string? Name => Atlas?.PublicName ?? Osm?.PublicName;

    public string Mode => Atlas?.Mode ?? Osm!.Mode;

    public int AtlasVariants => Atlas?.ItineraryCount ?? 0;

    public int OsmVariants => Osm?.ItineraryCount ?? 0;
}

public sealed record RouteCardPage(IReadOnlyList<RouteCard> Cards, int Total);

/// <summary>The values the operator filters take: each side's distinct, non-empty operators.</summary>
public sealed record RouteOperatorOptions(IReadOnlyList<string> Atlas, IReadOnlyList<string> Osm);

/// <summary><c>GET /api/osm_route_operators</c>: the same shape as the map's operator lists.</summary>
public sealed record OperatorListResponse(IReadOnlyList<string> Operators, int Total);

/// <summary>One call of an itinerary in a comparison.</summary>
public sealed record StopCallView(
    int Sequence, string SourceStopId, string Label, string? Sloid, IReadOnlyList<string> SloidVariants, string? OsmNodeId,
    string? UicRef, string? PlatformCode, double Lat, double Lon, string? MemberRole, IReadOnlyList<string> StopKeys);

/// <summary>An itinerary with its line, as the comparison and its picker name it.</summary>
public sealed record ItinerarySummary(
    long Id, long FamilyId, string Source, string SourceItineraryId, string RouteId, string? RouteName, string? Ref, string? Operator,
    string Mode, string? DirectionId, string? Headsign, string? FromName, string? ToName, string? DisplayName, int TripCount,
    int StopCount, string? RelationId, string? RouteMasterId, long? MatchedItineraryId)
{
    public bool IsMatched => MatchedItineraryId is not null;
}

/// <summary>A candidate of the comparison picker, with how well it fits the fixed itinerary when one is given.</summary>
public sealed record ComparisonOption(ItinerarySummary Itinerary, double? StopScore, int? MatchedStops);

public sealed record ComparisonRow(StopCallView? Atlas, StopCallView? Osm, string Status);

/// <summary>The pair as route matching stored it, when the two itineraries are a published match.</summary>
public sealed record SavedMatch(double StopScore, double OverallScore, int MatchedStops, string MatchReason);

/// <summary><c>GET /api/routes/comparison</c>.</summary>
public sealed record ComparisonResponse(
    ItinerarySummary? Atlas, ItinerarySummary? Osm, IReadOnlyList<ComparisonRow> Rows, int MatchedStops, int AtlasStopCount,
    int OsmStopCount, double? StopScore, string DirectionStatus, SavedMatch? SavedMatch, IReadOnlyDictionary<string, int> Differences);

/// <summary><c>GET /api/routes/comparison/options</c>.</summary>
public sealed record ComparisonOptionsResponse(IReadOnlyList<ComparisonOption> Items, ComparisonOption? Best, int Page, int Pages, int Total, int PerPage);

/// <summary><c>GET /api/routes/comparison/best</c>: per requested itinerary id, its best candidate on the other side, or null.</summary>
public sealed record ComparisonBestResponse(IReadOnlyDictionary<string, ComparisonOption?> Items);

/// <summary>One stop of <c>/api/route_stops</c>.</summary>
public sealed record RouteStopView(string Source, int Sequence, string Label, string? Sloid, string? OsmNodeId, string? UicRef, double Lat, double Lon);

/// <summary><c>GET /api/route_stops</c>.</summary>
public sealed record RouteStopsResponse(string RouteId, string? Direction, IReadOnlyList<string> Families, IReadOnlyList<RouteStopView> Stops, int Total);

public static class OsmLinks
{
    public static string Relation(string id) => $"https://www.openstreetmap.org/relation/{Uri.EscapeDataString(id)}";
}
