using StopSync.Jobs.Sources.Gtfs;

namespace StopSync.Jobs.Matching.Routes;

/// <summary>The timetable's line families and itineraries (docs/07-matching.md#lines-and-itineraries).</summary>
public static class AtlasRouteProducts
{
    /// <summary>One family per GTFS route with Swiss stop calls, ordered by family id.</summary>
    public static IReadOnlyList<LineFamily> Build(GtfsReadResult gtfs)
    {
        ArgumentNullException.ThrowIfNull(gtfs);
        return [];
    }
}
