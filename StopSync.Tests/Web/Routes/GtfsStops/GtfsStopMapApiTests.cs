using System.Net;
using System.Text.Json;
using static StopSync.Tests.Web.Api.StopCardApi;
using F = StopSync.Tests.Web.Routes.GtfsStops.GtfsStopsFixture;

namespace StopSync.Tests.Web.Routes.GtfsStops;

/// <summary>/api/routes/gtfs-stop-id-sloid/map: parameters, box, filters, caps and the searched stops (docs/05-api.md).</summary>
[Collection(GtfsStopsGroup.Name)]
public sealed class GtfsStopMapApiTests(GtfsStopsFixture fixture)
{
    private const string Map = "/api/routes/gtfs-stop-id-sloid/map";
    private const string Box = "min_lat=46&min_lon=7&max_lat=47&max_lon=8";

    public static TheoryData<string, string> InvalidQueries => new()
    {
        { "", "min_lat" },
        { "min_lat=46&min_lon=7&max_lat=47", "max_lon" },
        { "min_lat=abc&min_lon=7&max_lat=47&max_lon=8", "min_lat" },
        { "min_lat=NaN&min_lon=7&max_lat=47&max_lon=8", "min_lat" },
        { "min_lat=46&min_lon=Infinity&max_lat=47&max_lon=8", "min_lon" },
        { "min_lat=46&min_lon=7&max_lat=91&max_lon=8", "max_lat" },
        { "min_lat=46&min_lon=-181&max_lat=47&max_lon=8", "min_lon" },
        { "min_lat=47&min_lon=7&max_lat=47&max_lon=8", "max_lat" },
        { "min_lat=46&min_lon=8&max_lat=47&max_lon=7", "max_lon" },
        { Box + "&zoom=abc", "zoom" },
        { Box + "&zoom=-1", "zoom" },
        { Box + "&zoom=25", "zoom" },
        { Box + "&zoom=11.5", "zoom" },
        { Box + "&limit=0", "limit" },
        { Box + "&limit=10001", "limit" },
        { Box + "&limit=-5", "limit" },
        { Box + "&limit=many", "limit" },
        { Box + "&include_matches=2", "include_matches" },
        { Box + "&include_matches=yes", "include_matches" },
        { Box + "&status=open", "status" },
        { Box + "&status=matched,bogus", "status" },
        { Box + "&status=matched&status=bogus", "status" },
        { Box + "&match_method=exact", "match_method" },
        { Box + "&search_kind=osm&search_value=1", "search_kind" },
        { Box + "&kind=osm&value=1", "kind" },
        { Box + "&search_kind=sloid", "search_value" },
        { Box + "&search_value=ch:1:sloid:1", "search_kind" },
    };

    [Theory]
    [MemberData(nameof(InvalidQueries))]
    public async Task Map_Answers400NamingTheParameter_WhenAParameterIsInvalid(string query, string parameter)
    {
        await AssertInvalidAsync(query, parameter);
    }

    [Fact]
    public async Task Map_Answers400_WhenMatchMethodHasMoreThan20Values()
    {
        var methods = string.Join(",", Enumerable.Repeat("unmatched", 21));

        await AssertInvalidAsync($"{Box}&match_method={methods}", "match_method");
    }

    [Fact]
    public async Task Map_Answers400_WhenAMatchMethodValueIsLongerThan100Characters()
    {
        await AssertInvalidAsync($"{Box}&match_method={new string('u', 101)}", "match_method");
    }

    [Theory]
    [InlineData("search_kind=sloid&search_value=", "search_value")]
    [InlineData("kind=sloid&value=", "search_value")]
    public async Task Map_Answers400_WhenASearchValueIsMissing(string search, string parameter)
    {
        await AssertInvalidAsync($"{Box}&{search}", parameter);
    }

    [Theory]
    [InlineData("search_kind=sloid&search_value=", "search_value")]
    [InlineData("kind=sloid&value=", "value")]
    public async Task Map_Answers400_WhenASearchValueIsLongerThan255Characters(string search, string parameter)
    {
        await AssertInvalidAsync($"{Box}&{search}{new string('x', 256)}", parameter);
    }

    [Theory]
    [InlineData("&limit=all")]
    [InlineData("&limit=ALL")]
    [InlineData("&limit=1")]
    [InlineData("&limit=10000")]
    [InlineData("&zoom=0&include_matches=0")]
    [InlineData("&zoom=24&include_matches=1")]
    [InlineData("&status=matched&status=unmatched")]
    [InlineData("&status=Matched,unmatched")]
    [InlineData("&match_method=original_stop_id,uic_platform&match_method=unique_number")]
    [InlineData("&search_kind=uic&search_value=8503000")]
    [InlineData("&kind=stop_id&value=8503000:0:1")]
    [InlineData("&kind=gtfs_stop_id&value=nothing-like-it")]
    public async Task Map_Answers200_ForEveryValidForm(string extra)
    {
        using var client = fixture.Factory.CreateClient();

        var json = await GetJsonAsync(client, $"{Map}?{Box}{extra}");

        Assert.Equal(JsonValueKind.Array, json.GetProperty("gtfs_stops").ValueKind);
    }

    [Fact]
    public async Task Map_ReturnsTheStopsInsideTheBox_WithALineFromEachResolvedStopToItsSloid()
    {
        var json = await MapAsync($"{F.ZurichBox}&zoom=15");

        Assert.Equal([F.ZurichStop1, F.ZurichStop2, F.ZurichStop3, F.ZurichStop7, F.ZurichStation], GtfsIds(json));
        Assert.Equal([F.ZurichSloid1, F.ZurichSloid2, F.ZurichSloid3, F.ZurichSloid4], AtlasIds(json));
        Assert.Equal([F.ZurichStop1, F.ZurichStop2, F.ZurichStop3], Gtfs(json).Where(s => s.GetProperty("matched").GetBoolean()).Select(s => s.Text("stop_id")).Order(StringComparer.Ordinal));
        Assert.Equal([F.ZurichSloid1, F.ZurichSloid2, F.ZurichSloid3], Atlas(json).Where(s => s.GetProperty("matched").GetBoolean()).Select(s => s.Text("sloid")).Order(StringComparer.Ordinal));
        var lines = Lines(json);
        Assert.Equal([$"{F.ZurichStop1}→{F.ZurichSloid1}", $"{F.ZurichStop2}→{F.ZurichSloid2}", $"{F.ZurichStop3}→{F.ZurichSloid3}"], lines.Keys.Order(StringComparer.Ordinal));
        var first = lines[$"{F.ZurichStop1}→{F.ZurichSloid1}"];
        Assert.Equal("original_stop_id", first.Text("method"));
        Assert.Equal(1.0, first.GetProperty("confidence").GetDouble());
        Assert.Equal(47.37801, first.GetProperty("gtfs_lat").GetDouble());
        Assert.Equal(47.378, first.GetProperty("atlas_lat").GetDouble());
        Assert.InRange(first.GetProperty("distance_m").GetDouble(), 1.2, 1.5);
        var meta = json.GetProperty("meta");
        Assert.Equal("detail", meta.Text("mode"));
        Assert.Equal(15, meta.GetProperty("zoom").GetInt32());
        Assert.False(meta.GetProperty("capped").GetBoolean());
        Assert.Equal(5, meta.GetProperty("gtfs_total").GetInt64());
        Assert.Equal(4, meta.GetProperty("atlas_total").GetInt64());
    }

    [Fact]
    public async Task Map_DrawsALineToEverySloid_OfAStopThatResolvedToSeveral()
    {
        var json = await MapAsync("min_lat=46.9&min_lon=7.4&max_lat=47&max_lon=7.5&zoom=16");

        Assert.Equal([$"{F.BernStop}→{F.BernSloidA}", $"{F.BernStop}→{F.BernSloidB}"], Lines(json).Keys.Order(StringComparer.Ordinal));
        Assert.All(Atlas(json), a => Assert.True(a.GetProperty("matched").GetBoolean()));
    }

    [Fact]
    public async Task Map_SearchForTheSecondSloidOfAStop_BringsThatStop()
    {
        var json = await MapAsync($"{F.ZurichBox}&search_kind=sloid&search_value={Uri.EscapeDataString(F.BernSloidB)}");

        Assert.Contains(F.BernStop, GtfsIds(json));
        Assert.True(Atlas(json).Single(a => a.Text("sloid") == F.BernSloidB).GetProperty("matched").GetBoolean());
        Assert.Contains($"{F.BernStop}→{F.BernSloidB}", Lines(json).Keys);
    }

    [Fact]
    public async Task Map_LeavesTheLinesOut_WithIncludeMatches0()
    {
        var json = await MapAsync($"{F.ZurichBox}&include_matches=0");

        Assert.Empty(json.GetProperty("matches").EnumerateArray());
        Assert.Equal(5, Gtfs(json).Count);
    }

    [Fact]
    public async Task Map_KeepsOnlyTheAskedStatus_OnBothSides()
    {
        var unmatched = await MapAsync($"{F.ZurichBox}&status=unmatched");
        var matched = await MapAsync($"{F.ZurichBox}&status=matched");

        Assert.Equal([F.ZurichStop7, F.ZurichStation], GtfsIds(unmatched));
        Assert.Equal([F.ZurichSloid4], AtlasIds(unmatched));
        Assert.Empty(unmatched.GetProperty("matches").EnumerateArray());
        Assert.Equal([F.ZurichStop1, F.ZurichStop2, F.ZurichStop3], GtfsIds(matched));
        Assert.Equal([F.ZurichSloid1, F.ZurichSloid2, F.ZurichSloid3], AtlasIds(matched));
    }

    [Fact]
    public async Task Map_KeepsTheStopsOfTheAskedMethods_AndThePlatformsTheyReach()
    {
        var json = await MapAsync($"{F.ZurichBox}&match_method=uic_platform&status=matched");
        var withUnmatched = await MapAsync($"{F.ZurichBox}&match_method=uic_platform,unmatched");

        Assert.Equal([F.ZurichStop2], GtfsIds(json));
        Assert.Equal([F.ZurichSloid2], AtlasIds(json));
        Assert.Equal([$"{F.ZurichStop2}→{F.ZurichSloid2}"], Lines(json).Keys);
        Assert.Equal([F.ZurichStop2, F.ZurichStop7, F.ZurichStation], GtfsIds(withUnmatched));
        Assert.Equal([F.ZurichSloid2, F.ZurichSloid4], AtlasIds(withUnmatched));
    }

    [Fact]
    public async Task Map_CapsEachSide_HalfMatchedHalfUnmatched_AndSaysItIsCapped()
    {
        var json = await MapAsync($"{F.BulkBox}&limit=10");

        Assert.Equal((5, 5), Split(Gtfs(json)));
        Assert.Equal((5, 5), Split(Atlas(json)));
        var meta = json.GetProperty("meta");
        Assert.True(meta.GetProperty("capped").GetBoolean());
        Assert.Equal("overview", meta.Text("mode"));
        Assert.Equal(10, meta.GetProperty("limit").GetInt32());
        Assert.Equal(F.BulkGtfsMatched + F.BulkGtfsUnmatched, meta.GetProperty("gtfs_total").GetInt64());
        Assert.Equal(F.BulkAtlasMatched + F.BulkAtlasUnmatched, meta.GetProperty("atlas_total").GetInt64());
        Assert.Equal(10, meta.GetProperty("gtfs_returned").GetInt32());
    }

    [Theory]
    [InlineData(50, 30, 20, 25, 25)]
    [InlineData(70, 50, 20, 40, 30)]
    [InlineData(80, F.BulkGtfsMatched, F.BulkGtfsUnmatched, 50, 30)]
    public async Task Map_GivesTheUnusedShareOfTheSmallerHalf_ToTheOther(int limit, int gtfsMatched, int gtfsUnmatched, int atlasMatched, int atlasUnmatched)
    {
        var json = await MapAsync($"{F.BulkBox}&limit={limit}");

        Assert.Equal((gtfsMatched, gtfsUnmatched), Split(Gtfs(json)));
        Assert.Equal((atlasMatched, atlasUnmatched), Split(Atlas(json)));
        Assert.Equal(limit < 80, json.GetProperty("meta").GetProperty("capped").GetBoolean());
    }

    [Fact]
    public async Task Map_SamplesTheSameStops_OnEveryRequest()
    {
        var first = GtfsIds(await MapAsync($"{F.BulkBox}&limit=10"));
        var second = GtfsIds(await MapAsync($"{F.BulkBox}&limit=10"));

        Assert.Equal(first, second);
    }

    [Theory]
    [InlineData("", GtfsStopsFixtureCaps.Overview, "overview", true)]
    [InlineData("&zoom=10", GtfsStopsFixtureCaps.Overview, "overview", true)]
    [InlineData("&zoom=11", GtfsStopsFixtureCaps.Detail, "detail", true)]
    [InlineData("&zoom=11&limit=all", F.BigGtfsCount, "detail", false)]
    [InlineData("&zoom=5&limit=4000", 4000, "overview", true)]
    public async Task Map_CapsByZoom_3000BelowZoom11And5000From11_UnlessALimitIsGiven(string extra, int expected, string mode, bool capped)
    {
        var json = await MapAsync($"{F.BigBox}&include_matches=0{extra}");

        Assert.Equal(expected, Gtfs(json).Count);
        Assert.Equal(mode, json.GetProperty("meta").Text("mode"));
        Assert.Equal(capped, json.GetProperty("meta").GetProperty("capped").GetBoolean());
        Assert.Equal(F.BigGtfsCount, json.GetProperty("meta").GetProperty("gtfs_total").GetInt64());
    }

    [Fact]
    public async Task Map_AddsTheSearchedStops_AndWhatTheyConnectTo_WhereverTheyAre()
    {
        // Chur is far outside the Zürich box: its platform comes with the stop resolved to it and their line.
        var json = await MapAsync($"{F.ZurichBox}&zoom=15&search_kind=sloid&search_value={Uri.EscapeDataString(F.ChurSloid)}");
        var byStopId = await MapAsync($"{F.BulkBox}&limit=2&kind=stop_id&value=bulk:61");

        Assert.Contains(F.ChurSloid, AtlasIds(json));
        Assert.Contains(F.ChurStop, GtfsIds(json));
        Assert.Contains($"{F.ChurStop}→{F.ChurSloid}", Lines(json).Keys);
        var meta = json.GetProperty("meta");
        Assert.Equal(5, meta.GetProperty("gtfs_returned").GetInt32());
        Assert.Equal("sloid", meta.GetProperty("search").Text("kind"));
        Assert.Equal(F.ChurSloid, meta.GetProperty("search").Text("value"));
        Assert.Contains("bulk:61", GtfsIds(byStopId));
    }

    [Fact]
    public async Task Map_ReturnsNamesAsData_UnchangedAndUnencoded()
    {
        var json = await MapAsync(F.ZurichBox);

        // Text in JSON, never HTML: the page inserts it as text (checked in the browser test).
        Assert.Equal(F.XssName, Gtfs(json).Single(s => s.Text("stop_id") == F.ZurichStop1).Text("name"));
    }

    private async Task AssertInvalidAsync(string query, string parameter)
    {
        using var client = fixture.Factory.CreateClient();
        var url = $"{Map}?{query}";
        var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{url}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(parameter, json.RootElement.GetProperty("parameter").GetString());
        Assert.Contains(parameter, json.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private async Task<JsonElement> MapAsync(string query)
    {
        using var client = fixture.Factory.CreateClient();
        return await GetJsonAsync(client, $"{Map}?{query}");
    }

    private static List<JsonElement> Gtfs(JsonElement json) => [.. json.GetProperty("gtfs_stops").EnumerateArray()];

    private static List<JsonElement> Atlas(JsonElement json) => [.. json.GetProperty("atlas_stops").EnumerateArray()];

    private static List<string> GtfsIds(JsonElement json) => [.. Gtfs(json).Select(s => s.Text("stop_id")!).Order(StringComparer.Ordinal)];

    private static List<string> AtlasIds(JsonElement json) => [.. Atlas(json).Select(s => s.Text("sloid")!).Order(StringComparer.Ordinal)];

    private static Dictionary<string, JsonElement> Lines(JsonElement json) =>
        json.GetProperty("matches").EnumerateArray().ToDictionary(m => $"{m.Text("stop_id")}→{m.Text("sloid")}");

    private static (int Matched, int Unmatched) Split(List<JsonElement> stops)
    {
        var matched = stops.Count(s => s.GetProperty("matched").GetBoolean());
        return (matched, stops.Count - matched);
    }
}

/// <summary>The caps the map API documents, restated so that a changed constant fails a test.</summary>
internal static class GtfsStopsFixtureCaps
{
    public const int Overview = 3000;
    public const int Detail = 5000;
}
