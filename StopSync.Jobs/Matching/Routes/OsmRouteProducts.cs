using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Sources.Osm;

namespace StopSync.Jobs.Matching.Routes;

/// <summary>OSM's line families and itineraries (docs/07-matching.md#lines-and-itineraries).</summary>
public static class OsmRouteProducts
{
    /// <summary>Families ordered by family id; stop identities come from the stop matching's result.</summary>
    public static IReadOnlyList<LineFamily> Build(OsmReadResult osm, MatchingOutput stops)
    {
        ArgumentNullException.ThrowIfNull(osm);
        ArgumentNullException.ThrowIfNull(stops);
        return [];
    }
}
