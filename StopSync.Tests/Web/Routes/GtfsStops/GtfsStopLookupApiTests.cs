using System.Net;
using System.Text.Json;
using static StopSync.Tests.Web.Api.StopCardApi;
using F = StopSync.Tests.Web.Routes.GtfsStops.GtfsStopsFixture;

namespace StopSync.Tests.Web.Routes.GtfsStops;

/// <summary>/summary, /search and /popup of the GTFS stop_id ↔ SLOID map (docs/05-api.md).</summary>
[Collection(GtfsStopsGroup.Name)]
public sealed class GtfsStopLookupApiTests(GtfsStopsFixture fixture)
{
    private const string Api = "/api/routes/gtfs-stop-id-sloid";

    [Fact]
    public async Task Summary_CountsEachResolutionMethod_AndTheCoverageOfBothSides()
    {
        var json = await GetAsync($"{Api}/summary");

        Assert.True(json.GetProperty("available").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("message").ValueKind);
        var methods = json.GetProperty("by_method").EnumerateArray().ToDictionary(m => m.Text("method")!, m => m.GetProperty("count").GetInt64());
        Assert.Equal(["original_stop_id", "uic_platform", "coordinate_proximity", "unique_number", "unmatched"], methods.Keys);
        var unmatched = 2 + F.BulkGtfsUnmatched + F.BigGtfsCount;
        Assert.Equal([1, 2, 1, 1 + F.BulkGtfsMatched, unmatched], methods.Values);
        var total = 7 + F.BulkGtfsMatched + F.BulkGtfsUnmatched + F.BigGtfsCount;
        var gtfs = json.GetProperty("gtfs_stops");
        Assert.Equal(total, gtfs.GetProperty("total").GetInt64());
        Assert.Equal(total - unmatched, gtfs.GetProperty("matched").GetInt64());
        Assert.Equal(Math.Round(100.0 * (total - unmatched) / total, 1), gtfs.GetProperty("coverage_percent").GetDouble());
        var atlas = json.GetProperty("atlas_stops");
        Assert.Equal(7 + F.BulkAtlasMatched + F.BulkAtlasUnmatched, atlas.GetProperty("total").GetInt64());
        // Zürich 1-3, both Bern rows, Chur, and the reached bulk platforms; Zürich 4 and the rest of the bulk are not.
        Assert.Equal(6 + F.BulkAtlasMatched, atlas.GetProperty("matched").GetInt64());
        Assert.Equal(1, json.GetProperty("one_to_many").GetInt64());
        Assert.Equal(total - unmatched - 1, json.GetProperty("one_to_one").GetInt64());
        Assert.Equal(1, json.GetProperty("by_identity_level").GetProperty("station").GetInt64());
        Assert.Equal(1.0, json.GetProperty("by_method")[0].GetProperty("confidence").GetDouble());
    }

    [Fact]
    public async Task Search_BySloid_FindsThePlatform_AndCentresOnIt()
    {
        var json = await GetAsync($"{Api}/search?search_kind=sloid&search_value={Uri.EscapeDataString(F.ZurichSloid1)}");

        var target = Assert.Single(json.GetProperty("targets").EnumerateArray());
        Assert.Equal("atlas", target.Text("entity_type"));
        Assert.Equal(F.ZurichSloid1, target.Text("id"));
        Assert.Equal("Zürich HB", target.Text("name"));
        Assert.True(target.GetProperty("matched").GetBoolean());
        Assert.Equal(47.378, json.GetProperty("center").GetProperty("lat").GetDouble());
        Assert.Equal(8.54, json.GetProperty("center").GetProperty("lon").GetDouble());
        Assert.Equal("sloid", json.GetProperty("search").Text("kind"));
    }

    [Fact]
    public async Task Search_ByUic_FindsEveryPlatformAndStopOfTheNumber_WithTheirBounds()
    {
        var json = await GetAsync($"{Api}/search?kind=uic&value={F.ZurichUic}");

        var targets = json.GetProperty("targets").EnumerateArray().Select(t => $"{t.Text("entity_type")} {t.Text("id")}").ToList();
        Assert.Equal([
            $"atlas {F.ZurichSloid1}", $"atlas {F.ZurichSloid2}", $"atlas {F.ZurichSloid3}", $"atlas {F.ZurichSloid4}",
            $"gtfs {F.ZurichStop1}", $"gtfs {F.ZurichStop2}", $"gtfs {F.ZurichStop3}", $"gtfs {F.ZurichStop7}", $"gtfs {F.ZurichStation}",
        ], targets);
        var bounds = json.GetProperty("bounds");
        Assert.Equal(47.378, bounds[0][0].GetDouble());
        Assert.Equal(8.54, bounds[0][1].GetDouble());
        Assert.Equal(47.3784, bounds[1][0].GetDouble());
        Assert.Equal(8.5404, bounds[1][1].GetDouble());
    }

    [Theory]
    [InlineData("stop_id")]
    [InlineData("gtfs_stop_id")]
    public async Task Search_ByGtfsStopId_FindsTheStop(string kind)
    {
        var json = await GetAsync($"{Api}/search?search_kind={kind}&search_value={Uri.EscapeDataString(F.BernStop)}");

        var target = Assert.Single(json.GetProperty("targets").EnumerateArray());
        Assert.Equal("gtfs", target.Text("entity_type"));
        Assert.Equal(F.BernStop, target.Text("id"));
        Assert.Equal("stop_id", json.GetProperty("search").Text("kind"));
    }

    [Theory]
    [InlineData("sloid", "ch:1:sloid:3000:0:99")]
    [InlineData("uic", "8599999")]
    [InlineData("stop_id", "no-such-stop")]
    // Exact: a prefix of an existing identifier finds nothing.
    [InlineData("sloid", "ch:1:sloid:3000")]
    public async Task Search_Answers404_WhenNothingHasThatIdentifier(string kind, string value)
    {
        using var client = fixture.Factory.CreateClient();

        var detail = await GetProblemAsync(client, $"{Api}/search?search_kind={kind}&search_value={Uri.EscapeDataString(value)}", HttpStatusCode.NotFound);

        Assert.Equal($"No mappable stop found for {kind}: {value}", detail);
    }

    [Theory]
    [InlineData("", "search_kind")]
    [InlineData("search_value=8503000", "search_kind")]
    [InlineData("search_kind=uic", "search_value")]
    [InlineData("search_kind=name&search_value=Bern", "search_kind")]
    [InlineData("kind=name&value=Bern", "kind")]
    public async Task Search_Answers400NamingTheParameter_WhenKindOrValueIsMissingOrUnknown(string query, string parameter)
    {
        using var client = fixture.Factory.CreateClient();

        var response = await client.GetAsync($"{Api}/search?{query}");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(parameter, json.RootElement.GetProperty("parameter").GetString());
    }

    [Fact]
    public async Task Search_Answers400_WhenTheValueIsLongerThan255Characters()
    {
        using var client = fixture.Factory.CreateClient();

        var detail = await GetProblemAsync(client, $"{Api}/search?search_kind=sloid&search_value={new string('x', 256)}", HttpStatusCode.BadRequest);

        Assert.Contains("255", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GtfsPopup_SaysHowTheStopResolved_AndListsTheOtherPlatformsOfItsUicNearestFirst()
    {
        var json = await GetAsync($"{Api}/popup?entity_type=gtfs&id={Uri.EscapeDataString(F.ZurichStop1)}");

        Assert.Equal("gtfs", json.Text("entity_type"));
        var stop = json.GetProperty("stop");
        Assert.Equal(F.XssName, stop.Text("name"));
        Assert.Equal("original_stop_id", stop.Text("resolution_method"));
        Assert.Equal("The stop's original_stop_id is this SLOID.", stop.Text("resolution_explanation"));
        Assert.Equal(1.0, stop.GetProperty("confidence").GetDouble());
        Assert.Equal(F.ZurichSloid1, stop.Text("original_stop_id"));
        Assert.Equal("platform", stop.Text("identity_level"));
        Assert.True(stop.GetProperty("matched").GetBoolean());
        var resolved = Assert.Single(json.GetProperty("resolved").EnumerateArray());
        Assert.Equal(F.ZurichSloid1, resolved.Text("sloid"));
        Assert.InRange(resolved.GetProperty("distance_m").GetDouble(), 1.2, 1.5);
        Assert.Equal([F.ZurichSloid2, F.ZurichSloid3, F.ZurichSloid4],
            json.GetProperty("same_uic_candidates").EnumerateArray().Select(c => c.Text("sloid")));
        Assert.Equal(3, json.GetProperty("same_uic_candidate_count").GetInt32());
    }

    [Fact]
    public async Task GtfsPopup_ListsEverySloid_OfAStopThatResolvedToSeveral_InResolutionOrder()
    {
        var json = await GetAsync($"{Api}/popup?entity_type=gtfs&stop_id={Uri.EscapeDataString(F.BernStop)}");

        Assert.Equal([F.BernSloidA, F.BernSloidB], json.GetProperty("resolved").EnumerateArray().Select(c => c.Text("sloid")));
        Assert.Empty(json.GetProperty("same_uic_candidates").EnumerateArray());
        Assert.Equal(0.95, json.GetProperty("stop").GetProperty("confidence").GetDouble());
    }

    [Fact]
    public async Task GtfsPopup_ShowsTheProximityDistance_OfATier3Resolution()
    {
        var json = await GetAsync($"{Api}/popup?entity_type=gtfs&id={Uri.EscapeDataString(F.ZurichStop3)}");

        Assert.Equal(0.3, json.GetProperty("stop").GetProperty("distance_m").GetDouble());
        Assert.Equal("coordinate_proximity", json.GetProperty("stop").Text("resolution_method"));
    }

    [Fact]
    public async Task AtlasPopup_ListsTheStopsResolvedToThePlatform_AndTheOtherStopsOfItsUic()
    {
        var json = await GetAsync($"{Api}/popup?entity_type=atlas&id={Uri.EscapeDataString(F.ZurichSloid1)}");

        Assert.Equal("atlas", json.Text("entity_type"));
        Assert.True(json.GetProperty("stop").GetProperty("matched").GetBoolean());
        Assert.Equal("8503000", json.GetProperty("stop").Text("uic_ref"));
        var by = Assert.Single(json.GetProperty("resolved_by").EnumerateArray());
        Assert.Equal(F.ZurichStop1, by.Text("stop_id"));
        Assert.Equal(F.XssName, by.Text("name"));
        Assert.Equal("original_stop_id", by.Text("resolution_method"));
        Assert.Equal(1.0, by.GetProperty("confidence").GetDouble());
        Assert.Equal([F.ZurichStop2, F.ZurichStation, F.ZurichStop3, F.ZurichStop7],
            json.GetProperty("same_uic_candidates").EnumerateArray().Select(c => c.Text("stop_id")));
        var distances = json.GetProperty("same_uic_candidates").EnumerateArray().Select(c => c.GetProperty("distance_m").GetDouble()).ToList();
        Assert.Equal(distances.Order(), distances);
    }

    [Fact]
    public async Task AtlasPopup_ListsTheStop_ThatResolvedToThePlatformAfterAnother()
    {
        // Bern's second ATLAS row is the second SLOID of its stop: no index holds that pair.
        var json = await GetAsync($"{Api}/popup?entity_type=atlas&id={Uri.EscapeDataString(F.BernSloidB)}");

        Assert.True(json.GetProperty("stop").GetProperty("matched").GetBoolean());
        Assert.Equal([F.BernStop], json.GetProperty("resolved_by").EnumerateArray().Select(c => c.Text("stop_id")));
        Assert.Equal(F.BernSloidA, json.GetProperty("resolved_by")[0].Text("resolved_sloid"));
    }

    [Fact]
    public async Task AtlasPopup_OfAPlatformNoStopReaches_HasNoResolvingStop()
    {
        var json = await GetAsync($"{Api}/popup?entity_type=atlas&sloid={Uri.EscapeDataString(F.ZurichSloid4)}");

        Assert.False(json.GetProperty("stop").GetProperty("matched").GetBoolean());
        Assert.Empty(json.GetProperty("resolved_by").EnumerateArray());
        Assert.Equal(5, json.GetProperty("same_uic_candidate_count").GetInt32());
    }

    [Theory]
    [InlineData("id=x", "entity_type")]
    [InlineData("entity_type=osm&id=x", "entity_type")]
    [InlineData("entity_type=gtfs", "id")]
    [InlineData("entity_type=atlas&stop_id=8503000:0:1", "id")]
    public async Task Popup_Answers400NamingTheParameter_WhenTypeOrIdIsMissingOrWrong(string query, string parameter)
    {
        using var client = fixture.Factory.CreateClient();

        var response = await client.GetAsync($"{Api}/popup?{query}");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(parameter, json.RootElement.GetProperty("parameter").GetString());
    }

    [Fact]
    public async Task Popup_Answers400_WhenTheIdIsLongerThan255Characters()
    {
        using var client = fixture.Factory.CreateClient();

        await GetProblemAsync(client, $"{Api}/popup?entity_type=gtfs&id={new string('x', 256)}", HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("gtfs", "no-such-stop")]
    [InlineData("atlas", "ch:1:sloid:1:0:1")]
    // The id of the other kind: a stop_id is no SLOID.
    [InlineData("atlas", F.ZurichStop1)]
    public async Task Popup_Answers404_ForAnUnknownId(string type, string id)
    {
        using var client = fixture.Factory.CreateClient();

        var detail = await GetProblemAsync(client, $"{Api}/popup?entity_type={type}&id={Uri.EscapeDataString(id)}", HttpStatusCode.NotFound);

        Assert.EndsWith(id, detail, StringComparison.Ordinal);
    }

    private async Task<JsonElement> GetAsync(string url)
    {
        using var client = fixture.Factory.CreateClient();
        return await GetJsonAsync(client, url);
    }
}
