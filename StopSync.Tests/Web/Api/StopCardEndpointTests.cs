using System.Net;
using System.Text.Json;
using StopSync.Tests.Infrastructure;
using static StopSync.Tests.Web.Api.StopCardApi;

namespace StopSync.Tests.Web.Api;

[Collection(StopCardGroup.Name)]
public sealed class StopCardEndpointTests(StopCardFixture fixture)
{
    private async Task<JsonElement> CardAsync(long id, string? viewType = null)
    {
        using var client = fixture.Factory.CreateClient();
        var json = await GetJsonAsync(client, $"/api/stop_popup?stop_id={id}" + (viewType is null ? "" : $"&view_type={viewType}"));
        return json.GetProperty("stop");
    }

    [Fact]
    public async Task StopPopup_ReturnsBothSidesInFull_ForAMatchedPair()
    {
        var stop = await CardAsync(StopCardFixture.ExactRow);

        Assert.Equal(StopCardFixture.ExactRow, stop.GetProperty("id").GetInt64());
        Assert.Equal("matched", stop.Text("stop_type"));
        Assert.Equal("exact", stop.Text("match_type"));
        Assert.Equal(3.2, stop.GetProperty("distance_m").GetDouble());
        Assert.Equal("ZH", stop.Text("canton"));
        Assert.Equal("atlas", stop.Text("view_type"));

        var atlas = stop.GetProperty("atlas");
        Assert.Equal("ch:1:sloid:3000:0:1", atlas.Text("sloid"));
        Assert.Equal("8503000", atlas.Text("uic_ref"));
        Assert.Equal("1", atlas.Text("designation"));
        Assert.Equal("Zürich HB", atlas.Text("designation_official"));
        Assert.Equal("ZUE", atlas.Text("designation_operational"));
        Assert.Equal("SBB", atlas.Text("business_org_abbr"));
        Assert.Equal("Schweizerische Bundesbahnen SBB", atlas.Text("business_org_name"));
        Assert.Equal("ch:1:sboid:100001", atlas.Text("business_org_sboid"));
        Assert.Equal("ch:1:sloid:3000", atlas.Text("parent_service_point_sloid"));
        Assert.Equal("BOARDING_PLATFORM", atlas.Text("element_type"));
        Assert.Equal("2020-01-01", atlas.Text("valid_from"));
        Assert.Equal("2099-12-31", atlas.Text("valid_to"));
        Assert.Equal(270, atlas.GetProperty("compass_direction").GetDouble());
        Assert.Equal(2683252, atlas.GetProperty("lv95_east").GetDouble());
        Assert.Equal(1248103, atlas.GetProperty("lv95_north").GetDouble());
        Assert.Equal("2025-06-30T08:15:00", atlas.Text("edition_date"));
        Assert.Equal(47.378, atlas.GetProperty("lat").GetDouble());
        Assert.Equal(0, atlas.GetProperty("duplicate_group_sloids").GetArrayLength());
        Assert.Equal("https://atlas.app.sbb.ch/service-point-directory/service-points/8503000/service-point", atlas.Text("atlas_url"));

        var osm = stop.GetProperty("osm");
        Assert.Equal("1001", osm.Text("osm_node_id"));
        Assert.Equal("node", osm.Text("element_type"));
        Assert.Equal(1001, osm.GetProperty("osm_id").GetInt64());
        Assert.Equal("8503000", osm.Text("uic_ref"));
        Assert.Equal("1", osm.Text("local_ref"));
        Assert.Equal("Q83835", osm.Text("operator_wikidata"));
        Assert.Equal(7, osm.GetProperty("version").GetInt32());
        Assert.Equal("mapper1", osm.Text("user"));
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 10, 0, 0, TimeSpan.Zero), osm.GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal("platform", osm.GetProperty("tags").GetProperty("public_transport").GetString());
        Assert.Equal("https://www.openstreetmap.org/node/1001", osm.Text("osm_url"));
        Assert.Equal("single", osm.GetProperty("stop_unit").Text("stop_kind"));

        // Platform 1 is linked to two OSM elements (1→N exact): both are listed, nearest first.
        Assert.Equal([StopCardFixture.ExactRow, StopCardFixture.SecondExactRow],
            stop.GetProperty("osm_matches").EnumerateArray().Select(m => m.GetProperty("id").GetInt64()).ToList());
        Assert.Equal(["ch:1:sloid:3000:0:1"], stop.GetProperty("atlas_matches").EnumerateArray().Select(m => m.Text("sloid")).ToList());
        Assert.Contains("8503000", stop.Text("match_explanation"), StringComparison.Ordinal);
        Assert.Contains("local_ref 1", stop.Text("match_explanation"), StringComparison.Ordinal);
        Assert.Contains("3.2 m apart", stop.Text("match_explanation"), StringComparison.Ordinal);
        Assert.Contains("takes every OSM element of the UIC (2)", stop.Text("match_explanation"), StringComparison.Ordinal);
        Assert.Equal(["uic_ref", "local_ref", "name", "operator"],
            stop.GetProperty("attributes").EnumerateArray().Select(a => a.Text("attribute")).ToList());
        Assert.All(stop.GetProperty("attributes").EnumerateArray(), a => Assert.False(a.GetProperty("differs").GetBoolean()));
        Assert.Empty(stop.GetProperty("missing_osm_tags").EnumerateObject());
        Assert.Equal(0, stop.GetProperty("problems").GetArrayLength());
    }

    [Fact]
    public async Task StopPopup_SuggestsUicRefAndLocalRef_WhenTheMatchedOsmElementHasNeither()
    {
        var stop = await CardAsync(StopCardFixture.MissingTagsRow);

        var missing = stop.GetProperty("missing_osm_tags");
        Assert.Equal(["local_ref", "uic_ref"], missing.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList());
        Assert.Equal("8503000", missing.GetProperty("uic_ref").GetString());
        Assert.Equal("2", missing.GetProperty("local_ref").GetString());
        Assert.Contains("Only candidate", stop.Text("match_explanation"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopPopup_NeverSuggestsOverwriting_AndDescribesTheConflictWithBothValues()
    {
        var stop = await CardAsync(StopCardFixture.ConflictRow);

        Assert.Empty(stop.GetProperty("missing_osm_tags").EnumerateObject());
        var attributes = stop.GetProperty("attributes").EnumerateArray().ToDictionary(a => a.Text("attribute")!);
        Assert.True(attributes["uic_ref"].GetProperty("differs").GetBoolean());
        Assert.Equal("8503000", attributes["uic_ref"].Text("atlas"));
        Assert.Equal("8503001", attributes["uic_ref"].Text("osm"));
        Assert.True(attributes["local_ref"].GetProperty("differs").GetBoolean());
        Assert.False(attributes["name"].GetProperty("differs").GetBoolean());

        var problems = stop.GetProperty("problems").EnumerateArray().ToList();
        Assert.Equal(["attributes", "distance"], problems.Select(p => p.Text("problem_type")).ToList());
        Assert.Equal([1, 3], problems.Select(p => p.GetProperty("priority").GetInt32()).ToList());
        var attributesProblem = problems[0].Text("description")!;
        Assert.Contains("OSM uic_ref 8503001, ATLAS number 8503000", attributesProblem, StringComparison.Ordinal);
        Assert.Contains("OSM local_ref 4, ATLAS designation 3", attributesProblem, StringComparison.Ordinal);
        Assert.Contains("30.4 m", problems[1].Text("description"), StringComparison.Ordinal);
        Assert.Contains("SBB", problems[1].Text("description"), StringComparison.Ordinal);
        Assert.Contains("Zürich HB", stop.Text("match_explanation"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopPopup_ShowsTheDuplicateGroup_ForAnAtlasDuplicate()
    {
        var stop = await CardAsync(StopCardFixture.DuplicatePropagationRow);

        var atlas = stop.GetProperty("atlas");
        Assert.Equal("ch:1:sloid:7000:0:1", atlas.Text("representative_sloid"));
        Assert.Equal(["ch:1:sloid:7000:0:1", "ch:1:sloid:7000:0:9"],
            atlas.GetProperty("duplicate_group_sloids").EnumerateArray().Select(s => s.GetString()).ToList());
        Assert.Contains("ch:1:sloid:7000:0:1", stop.Text("match_explanation"), StringComparison.Ordinal);
        var problem = Assert.Single(stop.GetProperty("problems").EnumerateArray());
        Assert.Equal("duplicates", problem.Text("problem_type"));
        Assert.Contains("ch:1:sloid:7000:0:9", problem.Text("description"), StringComparison.Ordinal);
        Assert.Contains("8507000", problem.Text("description"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopPopup_ListsEveryAtlasPlatform_OfAnOsmElementMatchedToTwo()
    {
        var stop = await CardAsync(StopCardFixture.DuplicateRepresentativeRow, "osm");

        Assert.Equal("osm", stop.Text("view_type"));
        var matches = stop.GetProperty("atlas_matches").EnumerateArray().ToList();
        Assert.Equal(["ch:1:sloid:7000:0:1", "ch:1:sloid:7000:0:9"], matches.Select(m => m.Text("sloid")).ToList());
        Assert.Equal(["exact", "duplicate_propagation"], matches.Select(m => m.Text("match_type")).ToList());
        Assert.Equal("Bern", matches[0].Text("designation_official"));
        Assert.Equal("BLS", matches[1].Text("business_org_abbr"));
        Assert.Equal(4.1, matches[1].GetProperty("distance_m").GetDouble());
        // The second platform came by propagation: the exact stage linked one platform to one element.
        Assert.DoesNotContain("takes every", stop.Text("match_explanation"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopPopup_ShowsThePairWithRolesAndPositions_ForAPairMember()
    {
        var stop = await CardAsync(StopCardFixture.PairPropagationRow);

        var unit = stop.GetProperty("osm").GetProperty("stop_unit");
        Assert.Equal("pair", unit.Text("stop_kind"));
        Assert.Equal("osm_pair_uic_equal_15m", unit.Text("group_kind"));
        var members = unit.GetProperty("members").EnumerateArray().ToList();
        Assert.Equal([("3001", "pair_a"), ("3002", "pair_b")], members.Select(m => (m.Text("node_id"), m.Text("member_role"))).ToList());
        Assert.Equal(47.36672, members[0].GetProperty("lat").GetDouble());
        Assert.Equal(8.54812, members[0].GetProperty("lon").GetDouble());
        Assert.Contains("3001", stop.Text("match_explanation"), StringComparison.Ordinal);
        // The SLOID's two matches: the platform and, by propagation, the stop position.
        Assert.Equal([StopCardFixture.PairPlatformRow, StopCardFixture.PairPropagationRow],
            stop.GetProperty("osm_matches").EnumerateArray().Select(m => m.GetProperty("id").GetInt64()).ToList());
    }

    [Fact]
    public async Task StopPopup_ShowsTheTrio_ForItsEffectivelyMatchedMiddle()
    {
        var stop = await CardAsync(StopCardFixture.TrioMiddleRow);

        Assert.Equal("effectively_matched", stop.Text("stop_type"));
        Assert.Equal(JsonValueKind.Null, stop.GetProperty("atlas").ValueKind);
        Assert.Equal("osm", stop.Text("view_type"));
        Assert.StartsWith("Effectively matched", stop.Text("match_explanation"), StringComparison.Ordinal);
        var unit = stop.GetProperty("osm").GetProperty("stop_unit");
        Assert.Equal("osm_trio", unit.Text("group_kind"));
        Assert.Equal(["trio_middle", "trio_side", "trio_side"], unit.GetProperty("members").EnumerateArray().Select(m => m.Text("member_role")).ToList());
        Assert.Empty(stop.GetProperty("missing_osm_tags").EnumerateObject());
        Assert.Equal(0, stop.GetProperty("attributes").GetArrayLength());
    }

    [Fact]
    public async Task StopPopup_ExplainsTheTrioStage_ForATrioSide()
    {
        var stop = await CardAsync(StopCardFixture.TrioSideRow);

        Assert.StartsWith("Trio:", stop.Text("match_explanation"), StringComparison.Ordinal);
        Assert.Contains("8503200", stop.Text("match_explanation"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopPopup_ReturnsMarkupInAnOsmNameAsPlainJsonText_ForAWay()
    {
        using var client = fixture.Factory.CreateClient();

        var response = await client.GetAsync($"/api/stop_popup?stop_id={StopCardFixture.WayRow}");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        // Data, never markup: served as JSON that browsers may not sniff as HTML; the page inserts the value as text.
        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
        using var json = JsonDocument.Parse(body);
        var osm = json.RootElement.GetProperty("stop").GetProperty("osm");
        Assert.Equal(StopCardFixture.XssName, osm.Text("name"));
        Assert.Equal(StopCardFixture.XssName, osm.GetProperty("tags").GetProperty("name").GetString());
        Assert.Equal("way_45", osm.Text("osm_node_id"));
        Assert.Equal("way", osm.Text("element_type"));
        Assert.Equal(45, osm.GetProperty("osm_id").GetInt64());
        Assert.Equal("https://www.openstreetmap.org/way/45", osm.Text("osm_url"));
        var stop = json.RootElement.GetProperty("stop");
        Assert.Contains("no ATLAS platform has the number 8599999", Assert.Single(stop.GetProperty("problems").EnumerateArray()).Text("description"),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopPopup_SaysNoOsmElementWithin50m_ForAnIsolatedAtlasPlatform()
    {
        var stop = await CardAsync(StopCardFixture.IsolatedAtlasRow);

        Assert.Equal(JsonValueKind.Null, stop.GetProperty("osm").ValueKind);
        Assert.Equal("Unmatched ATLAS platform: no OSM element within 50 m.", stop.Text("match_explanation"));
        var problem = Assert.Single(stop.GetProperty("problems").EnumerateArray());
        Assert.Contains("no OSM element carries uic_ref 8509999", problem.Text("description"), StringComparison.Ordinal);
        Assert.Empty(stop.GetProperty("osm_matches").EnumerateArray());
    }

    [Theory]
    [InlineData("", "stop_id is required")]
    [InlineData("?stop_id=", "stop_id is required")]
    [InlineData("?stop_id=abc", "stop_id must be a whole number")]
    [InlineData("?stop_id=0", "stop_id must be a whole number")]
    [InlineData("?stop_id=-1", "stop_id must be a whole number")]
    [InlineData("?stop_id=1.5", "stop_id must be a whole number")]
    [InlineData("?stop_id=9223372036854775808", "stop_id must be a whole number")]
    [InlineData("?stop_id=1&view_type=map", "view_type must be atlas or osm")]
    public async Task StopPopup_Answers400NamingTheParameter_WhenAValueIsBad(string query, string detail)
    {
        using var client = fixture.Factory.CreateClient();

        Assert.Contains(detail, await GetProblemAsync(client, "/api/stop_popup" + query, HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopPopup_Answers404ProblemJson_ForAnUnknownStopId()
    {
        using var client = fixture.Factory.CreateClient();

        Assert.Equal("No stop found with stop_id 999999.", await GetProblemAsync(client, "/api/stop_popup?stop_id=999999", HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task StopPopup_AnswersHead_LikeGet()
    {
        using var client = fixture.Factory.CreateClient();

        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/api/stop_popup?stop_id={StopCardFixture.ExactRow}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
