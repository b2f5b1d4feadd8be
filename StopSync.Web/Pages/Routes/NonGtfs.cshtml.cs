namespace StopSync.Web.Pages.Routes;

/// <summary>/routes/non-gtfs: OSM lines without a timetable counterpart, left out of route matching (docs/08-site.md, "Routes").</summary>
public sealed class NonGtfsModel(RouteQueries queries, RouteAvailability availability) : RouteListPage(queries, availability, nonGtfs: true);
