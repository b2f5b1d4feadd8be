using StopSync.Data.Routes;

namespace StopSync.Jobs.Matching.Routes;

/// <summary>The forms of a GTFS route id that route matching compares (docs/07-matching.md#lines-and-itineraries).</summary>
public static class RouteIds
{
    /// <summary>Timetable years change route ids every December: <c>-j25</c> and <c>-j26</c> both become <c>-jXX</c>.</summary>
    public static string Normalize(string routeId) => RouteIdForms.Normalize(routeId);

    /// <summary>
    /// The line part of a Swiss route id: everything before the timetable-year segment, so <c>91-10-A-j26-1</c> and
    /// <c>91-10-A-j25-2</c> are both <c>91-10-A</c>. An id without a year segment is its own display id.
    /// </summary>
    public static string Display(string routeId)
    {
        var normalized = Normalize(routeId);
        var year = normalized.IndexOf("-jXX", StringComparison.Ordinal);
        return year > 0 ? normalized[..year] : normalized;
    }
}
