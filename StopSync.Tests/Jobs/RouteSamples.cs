using System.Collections;
using System.Reflection;
using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Matching.Routes;
using StopSync.Jobs.Publication;
using StopSync.Jobs.Sources.Gtfs;

namespace StopSync.Tests.Jobs;

/// <summary>
/// A hand-made route matching result on the stops of a real stop result (so its problems land on published rows):
/// one matched line with two matched directions and one OSM itinerary left over, one timetable line without OSM
/// counterpart and one OSM-only tourist line; and three GTFS stops resolved in three ways.
/// </summary>
internal static class RouteSamples
{
    public const string AtlasLine = "91-10-A-j26-1";
    public const string AtlasLonely = "92-5-j26-1";
    public const string OsmMaster = "route_master:555";
    public const string OsmTourist = "relation:2001";
    public const string Outbound = AtlasLine + "|0|0123456789ab";
    public const string Inbound = AtlasLine + "|1|ba9876543210";
    public const string LonelyItinerary = AtlasLonely + "|-|00aa11bb22cc";

    /// <summary>The three matched pairs of <paramref name="input"/> the lines call at (distinct SLOIDs and OSM elements).</summary>
    public static IReadOnlyList<AtlasOsmMatch> Stops(PublicationInput input) =>
        [.. input.Matches.DistinctBy(m => m.Sloid).DistinctBy(m => m.OsmId).Take(3)];

    public static RouteMatchingOutput Routes(PublicationInput input)
    {
        var stops = Stops(input);
        Assert.Equal(3, stops.Count);
        StopCall Atlas(int sequence, AtlasOsmMatch m) => new(
            sequence, "gtfs-" + m.Sloid, m.Sloid, [m.Sloid], null, ["sloid:" + m.Sloid, "uic:" + m.Atlas.Number], m.Atlas.Designation, m.Atlas.Number,
            "A", m.Atlas.Lat, m.Atlas.Lon, null);
        StopCall Osm(int sequence, AtlasOsmMatch m, string role) => new(
            sequence, m.OsmId, m.Sloid, [m.Sloid], m.OsmId, ["sloid:" + m.Sloid, "uic:" + m.Atlas.Number], "Platform, \"" + m.OsmId + "\"", m.Atlas.Number,
            null, m.Osm.Lat, m.Osm.Lon, role);

        var atlasLine = new LineFamily(RouteSides.Atlas, AtlasLine, "gtfs_route", "700", "bus", "91-10-A", AtlasLine, "91-10-A-jXX-1", "10", "10",
            "Verkehrsbetriebe \"Zürich\", AG", null, "3849", null, false,
            [
                new Itinerary(Outbound, "0", "Bahnhof", stops[0].Atlas.Designation, stops[2].Atlas.Designation, "A → C", 12, null,
                    [Atlas(1, stops[0]), Atlas(2, stops[1]), Atlas(3, stops[2])]),
                new Itinerary(Inbound, "1", "Zentrum", stops[2].Atlas.Designation, stops[0].Atlas.Designation, "C → A", 11, null,
                    [Atlas(1, stops[2]), Atlas(2, stops[0])]),
            ]);
        var lonely = new LineFamily(RouteSides.Atlas, AtlasLonely, "gtfs_route", "401", "rail", "92-5", AtlasLonely, "92-5-jXX-1", null, null,
            "Schweizerische Bundesbahnen SBB", null, "11", null, false,
            [
                new Itinerary(LonelyItinerary, null, null, "Nowhere, upper", "Nowhere, upper", "Nowhere, upper → Nowhere, upper", 1, null,
                    [new StopCall(1, "8599999", null, [], null, ["uic:8599999"], "Nowhere, upper", "8599999", null, 46.5, 7.5, null)]),
            ]);
        var master = new LineFamily(RouteSides.Osm, OsmMaster, "route_master", "bus", "bus", "91-10-A", "91-10-A-j25-1", "91-10-A-jXX-1", "10", "10",
            "VBZ", "ZVV", null, "555", false,
            [
                new Itinerary("1001", "0", "C", "A", "C", "Bus 10: A => C", 0, "1001", [Osm(1, stops[0], "platform"), Osm(2, stops[1], ""), Osm(3, stops[2], "platform")]),
                new Itinerary("1002", "1", "A", "C", "A", "Bus 10: C => A", 0, "1002", [Osm(1, stops[2], "platform"), Osm(2, stops[0], "stop")]),
                new Itinerary("1003", null, null, null, null, "Bus 10 (Nachtkurs)", 0, "1003", [Osm(1, stops[1], "platform")]),
            ]);
        var tourist = new LineFamily(RouteSides.Osm, OsmTourist, "relation", "bus", "bus", "Tourist", null, null, "Tourist", "Tourist", null, null, null,
            null, true, [new Itinerary("2001", null, "Aussicht", "Tal", "Aussicht", "Tourist", 0, "2001", [Osm(1, stops[2], "platform")])]);
        var problems = new List<DetectedProblem>
        {
            new("f00000000000000000000001", "route_membership", 2, stops[1].Sloid, stops[1].OsmId),
            new("f00000000000000000000002", "route_unmatched", 3, stops[0].Sloid, null),
        };
        return new RouteMatchingOutput(
            [atlasLine, lonely, master, tourist],
            [new LineFamilyMatch(AtlasLine, OsmMaster, "normalized_route_id", 0.95)],
            [
                new ItineraryMatch(AtlasLine, OsmMaster, Outbound, "1001", 1.0, 1.0, null, 1.0, 3, "ordered_stop_match"),
                new ItineraryMatch(AtlasLine, OsmMaster, Inbound, "1002", 1.0, 2 / 3.0, null, (1.0 + (2 / 3.0)) / 2, 2, "ordered_stop_match"),
            ],
            problems,
            new RouteMatchingSummary(2, 2, 1, 3, 4, 13, 1, 2, [new("normalized_route_id", 1)], [new("route_membership", 1), new("route_unmatched", 1)]));
    }

    public static GtfsStopIdentities Gtfs(PublicationInput input)
    {
        var stops = Stops(input);
        var a = stops[0].Atlas;
        var b = stops[1].Atlas;
        return new GtfsStopIdentities(
            [
                new GtfsStop("8500001:0:1", "Alpha, \"Gleis\" 1", a.Lat, a.Lon, "A1", a.Number, "1", "1", "1", a.Sloid, null, "Parent8500001", null, GtfsIdentityLevel.Platform),
                new GtfsStop("Parent8500001", "Alpha", a.Lat + 0.0001, a.Lon, null, a.Number, null, null, null, null, "1", null, "8500001", GtfsIdentityLevel.Station),
                new GtfsStop("8500002", "Beta", b.Lat, b.Lon - 0.0002, null, b.Number, null, null, null, null, null, null, null, GtfsIdentityLevel.Stop),
            ],
            [
                new GtfsStopResolution("8500001:0:1", [a.Sloid], GtfsResolutionMethod.OriginalStopId, 1.0, null),
                new GtfsStopResolution("Parent8500001", [], GtfsResolutionMethod.Unmatched, 0.0, null),
                new GtfsStopResolution("8500002", [b.Sloid, stops[2].Sloid], GtfsResolutionMethod.CoordinateProximity, 0.85, 14.25),
            ]);
    }

    /// <summary>The stop result with the sample's routes, GTFS stops and route problems, as a run hands it to publication.</summary>
    public static PublicationInput WithRoutes(PublicationInput input)
    {
        var routes = Routes(input);
        return input with
        {
            Problems = [.. input.Problems.Concat(routes.Problems).OrderBy(p => p.Priority).ThenBy(p => p.Type, StringComparer.Ordinal).ThenBy(p => p.Id, StringComparer.Ordinal)],
            Routes = routes,
            GtfsIdentity = Gtfs(input),
        };
    }

    /// <summary>
    /// Every public property of every record, lists element by element: records holding lists do not compare so. A member
    /// added to a route record later is compared too, so a bundle that loses it fails here.
    /// </summary>
    public static void AssertDeepEqual(object? expected, object? actual, string path = "$")
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{path}: expected {expected ?? "null"}, got {actual ?? "null"}");
            return;
        }

        var type = expected.GetType();
        if (expected is string || type.IsPrimitive || type.IsEnum || expected is decimal)
        {
            Assert.True(expected.Equals(actual), $"{path}: expected {expected}, got {actual}");
            return;
        }

        if (expected is IEnumerable sequence)
        {
            var left = sequence.Cast<object?>().ToList();
            var right = Assert.IsAssignableFrom<IEnumerable>(actual).Cast<object?>().ToList();
            Assert.True(left.Count == right.Count, $"{path}: expected {left.Count} items, got {right.Count}");
            for (var k = 0; k < left.Count; k++)
            {
                AssertDeepEqual(left[k], right[k], $"{path}[{k}]");
            }

            return;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            AssertDeepEqual(property.GetValue(expected), property.GetValue(actual), $"{path}.{property.Name}");
        }
    }
}
