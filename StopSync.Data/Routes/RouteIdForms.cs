using System.Text.RegularExpressions;

namespace StopSync.Data.Routes;

/// <summary>
/// The one rule for the timetable year in GTFS route ids, shared by the pipeline (which stores <c>normalized_route_id</c>)
/// and the site (which searches and filters by it): docs/07-matching.md#lines-and-itineraries.
/// </summary>
public static partial class RouteIdForms
{
    /// <summary>Timetable years change route ids every December: <c>-j25</c> and <c>-j26</c> both become <c>-jXX</c>.</summary>
    /// <param name="ignoreCase">For what people type (<c>-J26</c>); ids read from the sources are compared as written.</param>
    public static string Normalize(string routeId, bool ignoreCase = false) =>
        (ignoreCase ? YearSegmentAnyCase() : YearSegment()).Replace(routeId.Trim(), "-jXX");

    [GeneratedRegex(@"-j\d+", RegexOptions.CultureInvariant)]
    private static partial Regex YearSegment();

    [GeneratedRegex(@"-j\d+", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex YearSegmentAnyCase();
}
