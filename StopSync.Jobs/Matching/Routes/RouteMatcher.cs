namespace StopSync.Jobs.Matching.Routes;

/// <summary>Line families, then itineraries inside matched families, then route problems (docs/07-matching.md#lines-and-itineraries).</summary>
public static class RouteMatcher
{
    public static RouteMatchingOutput Match(IReadOnlyList<LineFamily> atlas, IReadOnlyList<LineFamily> osm)
    {
        ArgumentNullException.ThrowIfNull(atlas);
        ArgumentNullException.ThrowIfNull(osm);
        return RouteMatchingOutput.Empty with { Families = [.. atlas, .. osm] };
    }
}
