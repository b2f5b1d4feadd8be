using StopSync.Jobs.Runs;
using StopSync.Jobs.Sources;
using StopSync.Jobs.Sources.Osm;

namespace StopSync.Tests.Jobs.Sources;

public sealed class OverpassXmlReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("stopsync-osm-").FullName;

    [Fact]
    public void RouteRelations_KeepTheirTagsAndMembersInOrder_AndTakeDirectionFromRefTrips()
    {
        var result = Read(
            Node("1", "A-Dorf", "8500001"), Node("2", "Mitte", "8500002"), Node("3", "B-Stadt", "8500003"),
            """
            <relation id="500"><member type="node" ref="1" role="platform"/><member type="node" ref="2" role="stop"/>
              <member type="node" ref="3" role="platform"/>
              <tag k="type" v="route"/><tag k="route" v="bus"/><tag k="name" v="Bus 1"/><tag k="gtfs:route_id" v="91-1-A-j26-1"/>
              <tag k="ref_trips" v="12.TA.91-1-A-j26-1.3.R, 13.TA.91-1-A-j26-1.4.H"/><tag k="wheelchair" v="yes"/></relation>
            """);

        var relation = Assert.Single(result.Relations);
        Assert.Equal(["1", "2", "3"], relation.Members.Select(m => m.ElementId));
        Assert.Equal(["platform", "stop", "platform"], relation.Members.Select(m => m.Role));
        Assert.Equal("1", relation.DirectionId);
        Assert.Equal("91-1-A-jXX-1", relation.RouteIdNormalized);
        Assert.False(relation.Tags.ContainsKey("wheelchair"));
    }

    [Fact]
    public void RouteIndex_FansOutUnknownDirections_AndGivesDirectionStringsFromFirstAndLastMember()
    {
        var result = Read(
            Node("1", "A-Dorf", "8500001"), Node("2", "Mitte", "8500002"), Node("3", "B-Stadt", "8500003"),
            """
            <relation id="500"><member type="node" ref="1"/><member type="node" ref="2"/><member type="node" ref="3"/>
              <tag k="type" v="route"/><tag k="route" v="bus"/><tag k="gtfs:route_id" v="91-1-A-j26-1"/></relation>
            <relation id="501"><member type="node" ref="2"/><member type="node" ref="99"/>
              <tag k="type" v="route"/><tag k="route" v="bus"/><tag k="ref_trips" v="7.TA.x.H"/></relation>
            """);

        var index = new OsmRouteIndex(result.Elements, result.Relations);

        Assert.Equal(["0", "1"], index.RoutesOf("1").Select(r => r.DirectionId));
        Assert.Equal(["500", "500", "501"], index.RoutesOf("2").Select(r => r.RelationId));
        Assert.Equal(["A-Dorf → B-Stadt"], index.NameDirectionsOf("3"));
        Assert.Equal(["8500001 → 8500003"], index.UicDirectionsOf("2"));
        // Relation 501 ends in an element that is not a stop, so it gives no direction string.
        Assert.DoesNotContain(index.NameDirectionsOf("2"), d => d.Contains("Mitte →", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("route-j25", "route-jXX")]
    [InlineData("route-j1-j2", "route-jXX-jXX")]
    [InlineData("plain-route", "plain-route")]
    [InlineData(" 11-4-A-j25-1 ", "11-4-A-jXX-1")]
    public void NormalizeRouteId_ReplacesTimetableYears(string routeId, string expected) =>
        Assert.Equal(expected, OsmRouteRelation.NormalizeRouteId(routeId));

    [Fact]
    public void HikingRoutesAndOtherRelations_AreSkipped()
    {
        var result = Read(
            Node("1", "A", "8500001"),
            """
            <relation id="1"><member type="node" ref="1"/><tag k="type" v="route"/><tag k="route" v="hiking"/></relation>
            <relation id="2"><member type="node" ref="1"/><tag k="type" v="stop_area"/></relation>
            """);

        Assert.Empty(result.Relations);
        Assert.Equal(2, result.Counts.SkippedRelations);
    }

    [Fact]
    public void Operator_IsNormalised_AndTheRawTagKept()
    {
        var result = Read("""<node id="1" lat="47" lon="8"><tag k="operator" v=" CFF "/><tag k="public_transport" v="platform"/></node>""",
            """<node id="2" lat="47" lon="8"><tag k="operator" v="BLS"/><tag k="public_transport" v="platform"/></node>""");

        Assert.Equal("SBB", result.Elements[0].Operator);
        Assert.Equal(" CFF ", result.Elements[0].Tags["operator"]);
        Assert.Equal("BLS", result.Elements[1].Operator);
    }

    [Fact]
    public void OperatorNormalizer_ReadsNamesThatContainCommasAndParentheses() =>
        Assert.Equal("CGN", new OperatorNormalizer().Normalize("Compagnie générale de navigation sur le lac Léman (CGN)"));

    [Fact]
    public void Way_WithoutCenter_SitsAtTheMeanOfItsKnownNodes()
    {
        var result = Read(
            """<node id="1" lat="47.0" lon="8.0"><tag k="public_transport" v="platform"/></node>""",
            """<node id="2" lat="47.2" lon="8.2"><tag k="public_transport" v="platform"/></node>""",
            """<way id="9"><nd ref="1"/><nd ref="2"/><nd ref="77"/><tag k="uic_ref" v="8509999"/></way>""",
            """<way id="10"><nd ref="78"/><tag k="uic_ref" v="8509998"/></way>""");

        var way = Assert.Single(result.Elements, e => e.ElementType == "way");
        Assert.Equal("way_9", way.Id);
        Assert.Equal(47.1, way.Lat, 9);
        Assert.Equal(8.1, way.Lon, 9);
        Assert.Equal(1, result.Counts.Malformed);
    }

    [Fact]
    public void NodeWithoutCoordinates_IsCountedAndSkipped()
    {
        var result = Read("""<node id="1" lat="x" lon="8"><tag k="public_transport" v="platform"/></node>""", Node("2", "B", "8500002"));

        Assert.Equal(["2"], result.Elements.Select(e => e.Id));
        Assert.Equal(1, result.Counts.Malformed);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("<html><body>Too many requests</body></html>", "no <osm> root")]
    [InlineData("<osm><remark>runtime error: Query timed out in \"query\" at line 3 after 361 seconds.</remark></osm>", "incomplete Overpass answer")]
    public void UnusableAnswer_FailsWithOneMessageNamingTheFile(string content, string reason)
    {
        var path = Path.Combine(_dir, "osm.xml");
        File.WriteAllText(path, content);

        var error = Assert.Throws<SourceFormatException>(() => SourceReaderTests.Osm().Read(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Meta_IsReadFromNodesAndWays_WhenTheAnswerHasIt()
    {
        var result = Read(
            """<node id="7" lat="47.1" lon="8.1" version="12" timestamp="2024-03-05T10:20:30Z" changeset="1" uid="5" user="Zoë &amp; co"><tag k="public_transport" v="platform"/></node>""",
            """<way id="9" version="3" timestamp="2019-01-02T03:04:05Z" user="mapper"><center lat="46.5" lon="7.5"/><tag k="uic_ref" v="8500009"/></way>""");

        var node = Assert.Single(result.Elements, e => e.Id == "7");
        Assert.Equal(12, node.Version);
        Assert.Equal(new DateTimeOffset(2024, 3, 5, 10, 20, 30, TimeSpan.Zero), node.Timestamp);
        Assert.Equal(TimeSpan.Zero, node.Timestamp!.Value.Offset);
        Assert.Equal("Zoë & co", node.User);
        var way = Assert.Single(result.Elements, e => e.Id == "way_9");
        Assert.Equal((3, new DateTimeOffset(2019, 1, 2, 3, 4, 5, TimeSpan.Zero), "mapper"), (way.Version!.Value, way.Timestamp!.Value, way.User));
    }

    [Fact]
    public void Meta_IsNull_WhenAbsentOrUnreadable_AndTheElementIsKept()
    {
        var result = Read(
            Node("1", "A", "8500001"),
            """<node id="2" lat="47.2" lon="8.2" version="x" timestamp="yesterday" user=""><tag k="public_transport" v="platform"/></node>""");

        Assert.Equal(2, result.Elements.Count);
        Assert.Equal(0, result.Malformed);
        Assert.All(result.Elements, e => Assert.Equal((null, null, null), (e.Version, e.Timestamp, e.User)));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Node(string id, string name, string uic) =>
        $"""<node id="{id}" lat="47.{id}" lon="8.{id}"><tag k="name" v="{name}"/><tag k="uic_ref" v="{uic}"/><tag k="public_transport" v="platform"/></node>""";

    private OsmReadResult Read(params string[] elements)
    {
        var path = Path.Combine(_dir, $"osm-{Guid.NewGuid():N}.xml");
        File.WriteAllText(path, $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<osm version=\"0.6\">\n{string.Join('\n', elements)}\n</osm>");
        return SourceReaderTests.Osm().Read(path);
    }
}
