using StopSync.Jobs.Sources.Acquisition;
using StopSync.Jobs.Sources.Osm;

namespace StopSync.Tests.Jobs.Sources.Osm;

/// <summary>The route_master relations of docs/06-sources.md#openstreetmap-overpass-xml.</summary>
public sealed class RouteMasterReadingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("stopsync-osm-masters-").FullName;

    [Fact]
    public void RouteMaster_KeepsItsKeptTagsAndMemberRouteIdsInOrder_AndTheRouteRelationsStayAsTheyWere()
    {
        var result = Read(
            Node("1"), Node("2"),
            """
            <relation id="501"><member type="node" ref="1" role="platform"/><member type="node" ref="2" role="platform"/>
              <tag k="type" v="route"/><tag k="route" v="bus"/><tag k="ref" v="5"/><tag k="ref_trips" v="1.TA.x.H"/></relation>
            <relation id="502"><member type="node" ref="2" role="platform"/><member type="node" ref="1" role="platform"/>
              <tag k="type" v="route"/><tag k="route" v="bus"/><tag k="ref" v="5"/></relation>
            <relation id="900"><member type="relation" ref="502" role=""/><member type="node" ref="1" role=""/>
              <member type="relation" ref="501" role=""/><member type="relation" ref="777" role=""/>
              <tag k="type" v="route_master"/><tag k="route_master" v="bus"/><tag k="ref" v="5"/><tag k="name" v="Bus 5"/>
              <tag k="operator" v="VBZ"/><tag k="network" v="ZVV"/><tag k="gtfs:route_id" v="91-5-A-j26-1"/><tag k="wheelchair" v="yes"/></relation>
            """);

        var master = Assert.Single(result.RouteMasters);
        Assert.Equal("900", master.Id);
        Assert.Equal(["502", "501", "777"], master.RouteIds);
        Assert.Equal("bus", master.Tag("route_master"));
        Assert.Equal("91-5-A-j26-1", master.Tag("gtfs:route_id"));
        Assert.Equal(("Bus 5", "VBZ", "ZVV", "5"), (master.Tag("name"), master.Tag("operator"), master.Tag("network"), master.Tag("ref")));
        Assert.False(master.Tags.ContainsKey("wheelchair"));
        Assert.Equal(["501", "502"], result.Relations.Select(r => r.Id));
        Assert.Equal(["1", "2"], result.Relations[0].Members.Select(m => m.ElementId));
        Assert.Equal("0", result.Relations[0].DirectionId);
        Assert.Equal((2, 1, 0, 0), (result.Counts.RouteRelations, result.Counts.RouteMasters, result.Counts.SkippedRelations, result.Counts.Malformed));
    }

    [Fact]
    public void RouteMaster_WithoutId_IsCountedAsMalformed_AndAHikingMasterIsSkipped()
    {
        var result = Read(
            Node("1"),
            """
            <relation><member type="relation" ref="501" role=""/><tag k="type" v="route_master"/><tag k="route_master" v="bus"/></relation>
            <relation id="901"><member type="relation" ref="502" role=""/><tag k="type" v="route_master"/><tag k="route_master" v="hiking"/></relation>
            <relation id="902"><tag k="type" v="route_master"/><tag k="route_master" v="tram"/></relation>
            """);

        Assert.Equal(["902"], result.RouteMasters.Select(m => m.Id));
        Assert.Empty(result.RouteMasters[0].RouteIds);
        Assert.Equal((1, 1, 1), (result.Counts.Malformed, result.Counts.SkippedRelations, result.Counts.RouteMasters));
    }

    [Fact]
    public void ReadResult_BuiltWithoutRouteMasters_HasNone()
    {
        var result = new OsmReadResult([], [], new OsmReadCounts(0, 0, 0, 0, 0));

        Assert.Empty(result.RouteMasters);
        Assert.Equal(0, result.Counts.RouteMasters);
    }

    [Fact]
    public void DefaultOverpassQuery_AlsoPullsTheParentRouteMasters_AndTheirOtherRoutes()
    {
        var query = OverpassQuery.Default;

        Assert.Contains("relation(br.stop_routes)[type=route_master]->.route_masters;", query, StringComparison.Ordinal);
        Assert.Contains("relation(r.route_masters)[type=route]->.sibling_routes;", query, StringComparison.Ordinal);
        var output = query[query.LastIndexOf('(')..];
        Assert.Contains(".stop_routes;", output, StringComparison.Ordinal);
        Assert.Contains(".route_masters;", output, StringComparison.Ordinal);
        Assert.Contains(".sibling_routes;", output, StringComparison.Ordinal);
        Assert.EndsWith("out meta;", query, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Node(string id) =>
        $"""<node id="{id}" lat="47.{id}" lon="8.{id}"><tag k="uic_ref" v="850000{id}"/><tag k="public_transport" v="platform"/></node>""";

    private OsmReadResult Read(params string[] elements)
    {
        var path = Path.Combine(_dir, $"osm-{Guid.NewGuid():N}.xml");
        File.WriteAllText(path, $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<osm version=\"0.6\">\n{string.Join('\n', elements)}\n</osm>");
        return SourceReaderTests.Osm().Read(path);
    }
}
