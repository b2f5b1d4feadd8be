using StopSync.Jobs.Matching.Routes;

namespace StopSync.Tests.Jobs.Matching.Routes;

/// <summary>
/// Hand-made line families. A stop is written as a token: <c>"100/1"</c> is platform 1 of station 100 (SLOID
/// <c>ch:1:sloid:100:1</c>, keys <c>sloid:…</c> and <c>uic:100</c>); <c>"100"</c> is the station without a platform
/// (key <c>uic:100</c> only); <c>"osm:7"</c> is an OSM element without identity. OSM calls carry element <c>n&lt;token&gt;</c>.
/// </summary>
internal static class RouteMatchingTestData
{
    public static string SloidOf(string token) => "ch:1:sloid:" + token.Replace('/', ':');

    public static string OsmIdOf(string token) => "n" + token.Replace('/', '_').Replace(':', '_');

    public static LineFamily Atlas(
        string routeId, IReadOnlyList<Itinerary> itineraries, string? lineRef = "10", string mode = RouteModes.Bus,
        string? op = "Verkehrsbetriebe Muster VBM", string? network = null) =>
        new(RouteSides.Atlas, routeId, "gtfs_route", "3", mode, RouteIds.Display(routeId), routeId, RouteIds.Normalize(routeId),
            lineRef, lineRef, op, network, "agency", null, false, itineraries);

    public static LineFamily Osm(
        string familyId, string? gtfsRouteId, IReadOnlyList<Itinerary> itineraries, string? lineRef = "10", string mode = RouteModes.Bus,
        string? op = "VBM", string? network = null) =>
        new(RouteSides.Osm, familyId, "route_master", "bus", mode,
            gtfsRouteId is null ? lineRef ?? familyId : RouteIds.Display(gtfsRouteId), gtfsRouteId,
            gtfsRouteId is null ? null : RouteIds.Normalize(gtfsRouteId), lineRef, lineRef, op, network, null, null, false, itineraries);

    public static Itinerary AtlasItinerary(string id, string? direction, params string[] stops) =>
        new(id, direction, "to", "from", "to", "from → to", 3, null, [.. stops.Select((t, k) => AtlasCall(k + 1, t))]);

    public static Itinerary OsmItinerary(string id, string? direction, params string[] stops) =>
        new(id, direction, "to", "from", "to", "name", 0, id, [.. stops.Select((t, k) => OsmCall(k + 1, t))]);

    /// <summary>Stops <c>from</c>, <c>from+1</c>… as platforms 1: <c>"1000/1", "1001/1"</c>…</summary>
    public static string[] Platforms(int from, int count) =>
        [.. Enumerable.Range(from, count).Select(k => $"{k}/1")];

    public static StopCall AtlasCall(int sequence, string token)
    {
        var (sloid, uic) = Identity(token);
        List<string> keys = sloid is null ? [uic is null ? "gtfs:" + token : "uic:" + uic] : ["sloid:" + sloid, "uic:" + uic];
        return new StopCall(sequence, token, sloid, sloid is null ? [] : [sloid], null, keys, token, uic, null, 47, 8, null);
    }

    public static StopCall OsmCall(int sequence, string token)
    {
        var (sloid, uic) = Identity(token);
        List<string> keys = sloid is null ? [uic is null ? token : "uic:" + uic] : ["sloid:" + sloid, "uic:" + uic];
        return new StopCall(sequence, OsmIdOf(token), sloid, sloid is null ? [] : [sloid], OsmIdOf(token), keys, token, uic, null, 47, 8, "platform");
    }

    private static (string? Sloid, string? Uic) Identity(string token)
    {
        if (token.StartsWith("osm:", StringComparison.Ordinal))
        {
            return (null, null);
        }

        var slash = token.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (null, token) : (SloidOf(token), token[..slash]);
    }
}
