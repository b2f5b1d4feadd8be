namespace StopSync.Jobs.Matching.Routes;

/// <summary>How a family pair or an itinerary pair was matched (docs/07-matching.md#matching).</summary>
public static class RouteMatchMethods
{
    public const string ExactGtfsRouteId = "exact_gtfs_route_id";
    public const string NormalizedRouteId = "normalized_route_id";
    public const string DisplayRouteId = "display_route_id";

    /// <summary>Beyond upstream: an OSM family without any GTFS id, recognised by its ref and its stops.</summary>
    public const string RefAndStops = "ref_and_stops";

    public const string OrderedStopMatch = "ordered_stop_match";

    /// <summary>The family methods from the strongest tier down.</summary>
    public static IReadOnlyList<string> FamilyMethods { get; } = [ExactGtfsRouteId, NormalizedRouteId, DisplayRouteId, RefAndStops];
}
