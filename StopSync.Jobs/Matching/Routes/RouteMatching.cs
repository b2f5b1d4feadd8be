using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Sources.Gtfs;
using StopSync.Jobs.Sources.Osm;

namespace StopSync.Jobs.Matching.Routes;

/// <summary>The <c>route_matching</c> phase: after stop matching, whose result gives the OSM stops their identities.</summary>
public static class RouteMatching
{
    public static RouteMatchingOutput Run(GtfsReadResult gtfs, OsmReadResult osm, MatchingOutput stops) =>
        RouteMatcher.Match(AtlasRouteProducts.Build(gtfs), OsmRouteProducts.Build(osm, stops));
}
