namespace StopSync.Data.Routes;

/// <summary>
/// One line as one side knows it (docs/07-matching.md#lines-and-itineraries): ATLAS a GTFS route, OSM a route_master or
/// the relations grouped in its place. Ids are assigned at publication; <see cref="SourceFamilyId"/> is the stable key.
/// </summary>
public sealed class LineFamily
{
    public long Id { get; set; }

    /// <summary><c>atlas</c> or <c>osm</c>.</summary>
    public required string Source { get; set; }
    public required string SourceFamilyId { get; set; }
    public required string FamilyOrigin { get; set; }
    public string? RouteType { get; set; }
    public required string Mode { get; set; }
    public required string DisplayRouteId { get; set; }
    public string? GtfsRouteId { get; set; }
    public string? NormalizedRouteId { get; set; }
    public string? PublicName { get; set; }
    public string? Ref { get; set; }

    /// <summary>ATLAS the GTFS agency name; OSM the operator tag.</summary>
    public string? Operator { get; set; }
    public string? Network { get; set; }
    public string? AgencyId { get; set; }
    public string? RouteMasterId { get; set; }

    /// <summary>An OSM family with no timetable counterpart, left out of route matching.</summary>
    public bool IsNonGtfs { get; set; }
    public int ItineraryCount { get; set; }

    /// <summary>Distinct stops over all its itineraries.</summary>
    public int StopCount { get; set; }

    /// <summary>The other side's family when matched; copied from <see cref="LineFamilyMatch"/> so the route list pages in one query.</summary>
    public long? MatchedFamilyId { get; set; }

    public List<Itinerary> Itineraries { get; set; } = [];
}
