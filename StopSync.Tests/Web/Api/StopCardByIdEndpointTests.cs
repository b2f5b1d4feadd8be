using System.Net;
using StopSync.Tests.Infrastructure;
using static StopSync.Tests.Web.Api.StopCardApi;

namespace StopSync.Tests.Web.Api;

/// <summary><c>/api/stop_by_id</c> on the stop card fixture's dataset.</summary>
[Collection(StopCardGroup.Name)]
public sealed class StopCardByIdEndpointTests(StopCardFixture fixture)
{
    [Theory]
    // A SLOID with two matches opens the nearer one.
    [InlineData("sloid", "ch:1:sloid:3000:0:1", StopCardFixture.ExactRow, "atlas")]
    [InlineData("sloid", "ch:1:sloid:9999:0:1", StopCardFixture.IsolatedAtlasRow, "atlas")]
    // A station opens its first platform by SLOID; a UIC only OSM carries still finds the element.
    [InlineData("station", "8503000", StopCardFixture.ExactRow, "atlas")]
    [InlineData("station", "8503000:1", StopCardFixture.ExactRow, "atlas")]
    [InlineData("station", "8599999", StopCardFixture.WayRow, "osm")]
    [InlineData("osm", "1001", StopCardFixture.ExactRow, "osm")]
    [InlineData("osm_node_id", "node/1001", StopCardFixture.ExactRow, "osm")]
    [InlineData("osm", "n1001", StopCardFixture.ExactRow, "osm")]
    [InlineData("osm", " N1001 ", StopCardFixture.ExactRow, "osm")]
    [InlineData("osm", "node_1001", StopCardFixture.ExactRow, "osm")]
    [InlineData("osm", "4002", StopCardFixture.TrioMiddleRow, "osm")]
    [InlineData("osm", "way/45", StopCardFixture.WayRow, "osm")]
    [InlineData("osm", "w45", StopCardFixture.WayRow, "osm")]
    [InlineData("osm_node_id", "way_45", StopCardFixture.WayRow, "osm")]
    // An element matched to two ATLAS platforms opens the nearer match.
    [InlineData("osm", "2001", StopCardFixture.DuplicateRepresentativeRow, "osm")]
    public async Task StopById_FindsTheMostRelevantRow_ForEachIdentifierForm(string type, string identifier, long expectedId, string viewType)
    {
        using var client = fixture.Factory.CreateClient();

        var json = await GetJsonAsync(client, $"/api/stop_by_id?identifier_type={type}&identifier={Uri.EscapeDataString(identifier)}");

        Assert.Equal(expectedId, json.GetProperty("stop").GetProperty("id").GetInt64());
        Assert.Equal(viewType, json.Text("popup_view_type"));
    }

    [Fact]
    public async Task StopById_CentresOnTheOsmElement_ForAnOsmLookupOfAMatchedRow()
    {
        using var client = fixture.Factory.CreateClient();

        var json = await GetJsonAsync(client, "/api/stop_by_id?identifier_type=osm&identifier=1001");

        Assert.Equal(47.37802, json.GetProperty("center_lat").GetDouble());
        Assert.Equal(8.54003, json.GetProperty("center_lon").GetDouble());
        var stop = json.GetProperty("stop");
        Assert.Equal("ch:1:sloid:3000:0:1", stop.Text("sloid"));
        Assert.Equal("matched", stop.Text("stop_type"));
        Assert.Equal("exact", stop.Text("match_type"));
        Assert.Equal("1001", stop.Text("osm_node_id"));
        Assert.Equal(47.378, stop.GetProperty("lat").GetDouble());
        Assert.Equal(8.54, stop.GetProperty("lon").GetDouble());
        Assert.Equal(47.378, stop.GetProperty("atlas_lat").GetDouble());
        Assert.Equal(47.37802, stop.GetProperty("osm_lat").GetDouble());
        Assert.Equal(3.2, stop.GetProperty("distance_m").GetDouble());
    }

    [Fact]
    public async Task StopById_CentresOnTheAtlasPlatform_AndLeavesOutNulls_ForASloid()
    {
        using var client = fixture.Factory.CreateClient();

        var json = await GetJsonAsync(client, "/api/stop_by_id?identifier_type=sloid&identifier=ch:1:sloid:9999:0:1");

        Assert.Equal(46.1, json.GetProperty("center_lat").GetDouble());
        Assert.Equal(7.1, json.GetProperty("center_lon").GetDouble());
        var stop = json.GetProperty("stop");
        Assert.Equal("no_nearby_counterpart", stop.Text("match_type"));
        Assert.False(stop.TryGetProperty("osm_node_id", out _), stop.ToString());
        Assert.False(stop.TryGetProperty("distance_m", out _), stop.ToString());
        Assert.Equal(1, stop.GetProperty("problem_priority").GetInt32());
    }

    [Theory]
    [InlineData("sloid", "ch:1:sloid:0:0:0", "No stop found for sloid: ch:1:sloid:0:0:0. No ATLAS SLOID matches it.")]
    [InlineData("station", "8500000", "No stop found for station: 8500000. No UIC station matches it.")]
    [InlineData("osm", "99999", "No stop found for osm: 99999. No OSM node matches it.")]
    [InlineData("osm_node_id", "node/99999", "No stop found for osm_node_id: node/99999. No OSM node matches it.")]
    [InlineData("osm", "w99999", "No stop found for osm: w99999. No OSM way matches it.")]
    [InlineData("route", "1-2-j25", "No stop found for route: 1-2-j25. No line with that route id calls at a published stop.")]
    public async Task StopById_Answers404WithTheContractsDetail_WhenNothingMatches(string type, string identifier, string detail)
    {
        using var client = fixture.Factory.CreateClient();

        var actual = await GetProblemAsync(client, $"/api/stop_by_id?identifier_type={type}&identifier={Uri.EscapeDataString(identifier)}", HttpStatusCode.NotFound);

        Assert.Equal(detail, actual);
    }

    [Theory]
    [InlineData("?identifier=1001", "identifier_type is required")]
    [InlineData("?identifier=1001&identifier_type=", "identifier_type is required")]
    [InlineData("?identifier=1001&identifier_type=relation", "identifier_type must be one of sloid, station, osm, osm_node_id, route")]
    [InlineData("?identifier_type=sloid", "identifier is required")]
    [InlineData("?identifier_type=sloid&identifier=%20", "identifier is required")]
    [InlineData("?identifier_type=station&identifier=850300", "identifier must be a 7-digit UIC number")]
    [InlineData("?identifier_type=station&identifier=85030000", "identifier must be a 7-digit UIC number")]
    [InlineData("?identifier_type=station&identifier=Bern", "identifier must be a 7-digit UIC number")]
    [InlineData("?identifier_type=osm&identifier=relation/5", "identifier must be an OSM node or way id")]
    [InlineData("?identifier_type=osm&identifier=node/", "identifier must be an OSM node or way id")]
    [InlineData("?identifier_type=osm_node_id&identifier=0", "identifier must be an OSM node or way id")]
    [InlineData("?identifier_type=osm&identifier=99999999999999999999", "identifier must be an OSM node or way id")]
    [InlineData("?identifier_type=route&identifier=91-10-A%20dir:2", "identifier takes a direction as ' dir:0' or ' dir:1'")]
    [InlineData("?identifier_type=route&identifier=route:%20dir:1", "identifier must name a line")]
    public async Task StopById_Answers400NamingTheParameter_WhenAValueIsBad(string query, string detail)
    {
        using var client = fixture.Factory.CreateClient();

        Assert.Contains(detail, await GetProblemAsync(client, "/api/stop_by_id" + query, HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopById_Answers400_ForAnIdentifierLongerThan100Characters()
    {
        using var client = fixture.Factory.CreateClient();

        var detail = await GetProblemAsync(client, "/api/stop_by_id?identifier_type=sloid&identifier=" + new string('x', 101), HttpStatusCode.BadRequest);

        Assert.Contains("identifier must be at most 100 characters", detail, StringComparison.Ordinal);
    }
}
