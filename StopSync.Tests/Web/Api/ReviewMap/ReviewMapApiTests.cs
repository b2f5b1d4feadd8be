using System.Net;
using System.Text.Json;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Web.Api.ReviewMap;

/// <summary>The map API on the hand-made dataset of <see cref="ReviewMapFixture"/>: every filter selects known rows.</summary>
public sealed class ReviewMapApiTests(ReviewMapFixture fixture) : IClassFixture<ReviewMapFixture>
{
    // Holds Zürich and Bern, so every row of the fixture.
    private const string Everywhere = "bbox=46.0,6.0,48.0,10.0";

    [Theory]
    [InlineData("", new long[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 })]
    [InlineData("stop_filter=matched", new long[] { 1, 2, 3, 7, 9, 10, 11 })]
    [InlineData("stop_filter=atlas_unmatched", new long[] { 4, 5 })]
    [InlineData("stop_filter=osm_unmatched", new long[] { 6, 8 })]
    [InlineData("stop_filter=atlas_unmatched,osm_unmatched", new long[] { 4, 5, 6, 8 })]
    [InlineData("match_method=exact", new long[] { 1 })]
    [InlineData("match_method=distance_matching_1", new long[] { 2 })]
    [InlineData("match_method=route_gtfs", new long[] { 3 })]
    [InlineData("match_method=distance_matching_trio", new long[] { 9, 10, 11 })]
    [InlineData("match_method=exact,name", new long[] { 1, 7 })]
    [InlineData("match_method=no_nearby_counterpart", new long[] { 4 })]
    [InlineData("match_method=osm_within_50m", new long[] { 5 })]
    [InlineData("stop_filter=matched&match_method=no_nearby_counterpart", new long[] { 1, 2, 3, 4, 7, 9, 10, 11 })]
    [InlineData("stop_filter=matched&match_method=exact", new long[] { 1, 2, 3, 7, 9, 10, 11 })]
    [InlineData("stop_filter=bogus", new long[0])]
    [InlineData("match_method=bogus", new long[0])]
    [InlineData("atlas_operator=VBZ", new long[] { 2, 3, 7 })]
    [InlineData("atlas_operator=VBZ,BLS", new long[] { 2, 3, 4, 7 })]
    [InlineData("osm_operator=SBB", new long[] { 1, 3 })]
    [InlineData("transport_types=tram_stop", new long[] { 2 })]
    [InlineData("transport_types=platform", new long[] { 1, 2, 9, 10, 11 })]
    [InlineData("transport_types=station,ferry_terminal", new long[] { 3, 6 })]
    [InlineData("transport_types=stop_position", new long[] { 7, 8 })]
    [InlineData("transport_types=bogus", new long[0])]
    [InlineData("osm_entity_types=way", new long[] { 3 })]
    [InlineData("osm_entity_types=node", new long[] { 1, 2, 6, 7, 8, 9, 10, 11 })]
    [InlineData("osm_group_types=all", new long[] { 7, 8, 9, 10, 11 })]
    [InlineData("osm_group_types=osm_trio", new long[] { 9, 10, 11 })]
    [InlineData("osm_group_types=osm_pair_uic", new long[] { 7, 8 })]
    [InlineData("canton=be", new long[] { 4 })]
    [InlineData("canton=ZH", new long[] { 1, 2, 3, 5, 6, 7, 8, 9, 10, 11 })]
    [InlineData("problem_type=unmatched", new long[] { 4, 5, 6 })]
    [InlineData("problem_priority=1", new long[] { 3 })]
    [InlineData("problem_type=unmatched&problem_priority=3", new long[] { 5, 6 })]
    [InlineData("problem_type=attributes,distance", new long[] { 2, 3 })]
    [InlineData("show_duplicates_only=true", new long[] { 3, 7 })]
    [InlineData("top_n=2", new long[] { 2, 3 })]
    [InlineData("stop_filter=matched&canton=ZH&atlas_operator=VBZ&osm_group_types=all", new long[] { 7 })]
    [InlineData("stop_filter=matched,atlas_unmatched&canton=ZH&problem_type=unmatched,distance", new long[] { 3, 5 })]
    [InlineData("match_method=distance_matching_trio&transport_types=platform&osm_operator=PAG", new long[] { 9, 10, 11 })]
    public async Task Data_ReturnsExactlyTheRowsTheFilterSelects(string filter, long[] expected)
    {
        using var client = fixture.Factory.CreateClient();

        var ids = await IdsAsync(client, $"/api/data?{Everywhere}&{filter}");

        Assert.Equal(expected.Order(), ids.Order());
    }

    [Fact]
    public async Task Data_KeepsOnlyRowsInsideTheViewport()
    {
        using var client = fixture.Factory.CreateClient();

        // Around Bern only; the separate-corner form of the viewport.
        var ids = await IdsAsync(client, "/api/data?min_lat=46.9&max_lat=47.0&min_lon=7.4&max_lon=7.5");

        Assert.Equal([4L], ids);
    }

    [Fact]
    public async Task Data_OrdersUnmatchedFirst_AndReportsHasMore_WhenLimited()
    {
        using var client = fixture.Factory.CreateClient();

        using var json = JsonDocument.Parse(await client.GetStringAsync($"/api/data?{Everywhere}&limit=5&include_meta=1"));

        var ids = json.RootElement.GetProperty("stops").EnumerateArray().Select(r => r.GetProperty("id").GetInt64()).ToList();
        Assert.Equal([4L, 5, 6, 8, 9], ids);
        var meta = json.RootElement.GetProperty("meta");
        Assert.True(meta.GetProperty("has_more").GetBoolean());
        Assert.Equal(5, meta.GetProperty("returned").GetInt32());
        Assert.Equal(5, meta.GetProperty("limit").GetInt32());
        Assert.Equal(0, meta.GetProperty("offset").GetInt32());

        using var next = JsonDocument.Parse(await client.GetStringAsync($"/api/data?{Everywhere}&limit=5&offset=10&include_meta=yes"));
        Assert.Equal([11L], next.RootElement.GetProperty("stops").EnumerateArray().Select(r => r.GetProperty("id").GetInt64()));
        Assert.False(next.RootElement.GetProperty("meta").GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task Data_RowHasPairPartner_AndOmitsNulls()
    {
        using var client = fixture.Factory.CreateClient();

        var row = await RowAsync(client, 7);

        var partner = row.GetProperty("osm_group_partner");
        Assert.Equal("105", partner.GetProperty("partner_node_id").GetString());
        Assert.Equal("osm_pair_uic", partner.GetProperty("group_type").GetString());
        Assert.Equal(47.374206, partner.GetProperty("partner_osm_lat").GetDouble());
        Assert.Equal(8.545206, partner.GetProperty("partner_osm_lon").GetDouble());
        Assert.Equal("name", row.GetProperty("match_type").GetString());
        Assert.True(row.GetProperty("has_atlas_duplicate").GetBoolean());
        Assert.False(row.TryGetProperty("osm_trio_links", out _));
        Assert.False(row.TryGetProperty("problem_priority", out _));
        Assert.Equal(47.374005, row.GetProperty("lat").GetDouble());

        var unmatched = await RowAsync(client, 4);
        Assert.False(unmatched.TryGetProperty("osm_node_id", out _));
        Assert.False(unmatched.TryGetProperty("osm_lat", out _));
        Assert.Equal(2, unmatched.GetProperty("problem_priority").GetInt32());
    }

    [Fact]
    public async Task Data_TrioMiddleLinksToBothSides_AndSideOnlyToMiddle()
    {
        using var client = fixture.Factory.CreateClient();

        var middle = await RowAsync(client, 9);
        var side = await RowAsync(client, 10);

        var middleLinks = middle.GetProperty("osm_trio_links").EnumerateArray().ToList();
        Assert.Equal(["107", "108"], middleLinks.Select(l => l.GetProperty("partner_node_id").GetString()));
        Assert.All(middleLinks, l => Assert.True(l.GetProperty("is_middle").GetBoolean()));
        Assert.All(middleLinks, l => Assert.False(l.GetProperty("partner_is_middle").GetBoolean()));
        var sideLink = Assert.Single(side.GetProperty("osm_trio_links").EnumerateArray());
        Assert.Equal("106", sideLink.GetProperty("partner_node_id").GetString());
        Assert.True(sideLink.GetProperty("partner_is_middle").GetBoolean());
        Assert.Equal(47.380507, sideLink.GetProperty("partner_osm_lat").GetDouble());
        // The middle is only effectively matched (both sides are), it has no match of its own.
        Assert.False(side.GetProperty("is_trio_middle_matched").GetBoolean());
    }

    [Theory]
    [InlineData("", "bbox")]
    [InlineData("bbox=47,8,46", "bbox")]
    [InlineData("bbox=48,8,47,9", "bbox")]
    [InlineData("min_lat=47&max_lat=48&min_lon=8", "max_lon")]
    [InlineData("min_lat=47&max_lat=x&min_lon=8&max_lon=9", "max_lat")]
    [InlineData($"{Everywhere}&canton=XX", "canton")]
    [InlineData($"{Everywhere}&problem_type=bogus", "problem_type")]
    [InlineData($"{Everywhere}&problem_priority=4", "problem_priority")]
    [InlineData($"{Everywhere}&top_n=0", "top_n")]
    [InlineData($"{Everywhere}&top_n=1001", "top_n")]
    [InlineData($"{Everywhere}&limit=5001", "limit")]
    [InlineData($"{Everywhere}&limit=-1", "limit")]
    [InlineData($"{Everywhere}&offset=x", "offset")]
    [InlineData($"{Everywhere}&include_meta=maybe", "include_meta")]
    [InlineData($"{Everywhere}&show_duplicates_only=perhaps", "show_duplicates_only")]
    public async Task Data_Answers400NamingTheParameter_WhenInvalid(string query, string parameter)
    {
        using var client = fixture.Factory.CreateClient();

        using var response = await client.GetAsync($"/api/data?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(parameter, json.RootElement.GetProperty("parameter").GetString());
        Assert.Contains(parameter.Split('_')[0], json.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", 8, 6, 6, 5, 9, 7, 3)]
    [InlineData("stop_filter=matched", 6, 6, 5, 5, 7, 7, 0)]
    [InlineData("stop_filter=atlas_unmatched,osm_unmatched", 2, 0, 2, 0, 2, 0, 4)]
    [InlineData("canton=BE", 1, 0, 0, 0, 0, 0, 1)]
    [InlineData("top_n=2", 2, 2, 2, 2, 2, 2, 0)]
    public async Task GlobalStats_CountsTheFilteredRows(
        string filter, long atlas, long matchedAtlas, long units, long matchedUnits, long nodes, long matchedRows, long unmatched)
    {
        using var client = fixture.Factory.CreateClient();

        using var json = JsonDocument.Parse(await client.GetStringAsync($"/api/global_stats?{filter}"));

        var root = json.RootElement;
        Assert.Equal(atlas, root.GetProperty("total_atlas_stops").GetInt64());
        Assert.Equal(matchedAtlas, root.GetProperty("matched_atlas_stops").GetInt64());
        Assert.Equal(units, root.GetProperty("total_osm_stops").GetInt64());
        Assert.Equal(matchedUnits, root.GetProperty("matched_osm_stops").GetInt64());
        Assert.Equal(nodes, root.GetProperty("total_osm_nodes").GetInt64());
        Assert.Equal(matchedRows, root.GetProperty("matched_osm_nodes").GetInt64());
        Assert.Equal(matchedRows, root.GetProperty("matched_pairs_count").GetInt64());
        Assert.Equal(unmatched, root.GetProperty("unmatched_entities_count").GetInt64());
    }

    [Fact]
    public async Task GlobalStats_Answers400_ForAnUnknownCanton()
    {
        using var client = fixture.Factory.CreateClient();

        using var response = await client.GetAsync("/api/global_stats?canton=ZH,QQ");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("QQ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TopMatches_ListsMatchedRowsByDistanceDescending_WithNames()
    {
        using var client = fixture.Factory.CreateClient();

        using var json = JsonDocument.Parse(await client.GetStringAsync("/api/top_matches?limit=3"));

        var rows = json.RootElement.EnumerateArray().ToList();
        Assert.Equal([3L, 2, 11], rows.Select(r => r.GetProperty("id").GetInt64()));
        Assert.Equal("Stop 4", rows[0].GetProperty("name").GetString());
        Assert.Equal(80, rows[0].GetProperty("distance_m").GetDouble());

        using var filtered = JsonDocument.Parse(await client.GetStringAsync("/api/top_matches?osm_group_types=all"));
        Assert.Equal([11L, 10, 7], filtered.RootElement.EnumerateArray().Select(r => r.GetProperty("id").GetInt64()));
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=101")]
    public async Task TopMatches_Answers400_ForALimitOutsideTheRange(string query)
    {
        using var client = fixture.Factory.CreateClient();

        using var response = await client.GetAsync($"/api/top_matches?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task RandomStop_PicksOnlyRowsTheFilterSelects()
    {
        using var client = fixture.Factory.CreateClient();

        for (var i = 0; i < 8; i++)
        {
            using var json = JsonDocument.Parse(await client.GetStringAsync("/api/random_stop?stop_filter=osm_unmatched"));
            var stop = json.RootElement.GetProperty("stop");
            Assert.Contains(stop.GetProperty("id").GetInt64(), new long[] { 6, 8 });
            Assert.Equal("osm", json.RootElement.GetProperty("popup_view_type").GetString());
            Assert.Equal(stop.GetProperty("lat").GetDouble(), json.RootElement.GetProperty("center_lat").GetDouble());
        }

        using var top = JsonDocument.Parse(await client.GetStringAsync("/api/random_stop?top_n=1"));
        Assert.Equal(3, top.RootElement.GetProperty("stop").GetProperty("id").GetInt64());
        Assert.Equal("atlas", top.RootElement.GetProperty("popup_view_type").GetString());
    }

    [Fact]
    public async Task RandomStop_Answers404Problem_WhenNoRowPassesTheFilters()
    {
        using var client = fixture.Factory.CreateClient();

        using var response = await client.GetAsync("/api/random_stop?canton=GE");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("No stop found for the current filters.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/atlas_operators", new[] { "BLS", "PAG", "SBB", "VBZ" })]
    [InlineData("/api/osm_operators", new[] { "PAG", "SBB", "SGV", "VBZ" })]
    public async Task Operators_ListsDistinctSortedValues(string path, string[] expected)
    {
        using var client = fixture.Factory.CreateClient();

        using var json = JsonDocument.Parse(await client.GetStringAsync(path));

        Assert.Equal(expected, json.RootElement.GetProperty("operators").EnumerateArray().Select(o => o.GetString()));
        Assert.Equal(expected.Length, json.RootElement.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Cantons_Lists26InStatisticalOfficeOrder()
    {
        using var client = fixture.Factory.CreateClient();

        using var json = JsonDocument.Parse(await client.GetStringAsync("/api/cantons"));

        var cantons = json.RootElement.GetProperty("cantons").EnumerateArray().ToList();
        Assert.Equal(26, cantons.Count);
        Assert.Equal("ZH", cantons[0].GetProperty("code").GetString());
        Assert.Equal("Zürich", cantons[0].GetProperty("name").GetString());
        Assert.Equal("JU", cantons[25].GetProperty("code").GetString());
    }

    [Fact]
    public async Task Endpoints_AnswerHeadLikeGet_WithoutBody()
    {
        // On Kestrel: the in-process test server would pass a HEAD response's body through, Kestrel drops it.
        await using var factory = new StopSyncAppFactory(StopSyncAppFactory.DefaultSettings(fixture.ConnectionString, fixture.Prefix));
        var baseUrl = factory.StartKestrel();
        using var client = new HttpClient();

        foreach (var url in (string[])["/api/data?" + Everywhere, "/api/global_stats", "/api/top_matches", "/api/random_stop",
            "/api/atlas_operators", "/api/osm_operators", "/api/cantons"])
        {
            using var get = await client.GetAsync(baseUrl + url);
            using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, baseUrl + url));
            var body = await head.Content.ReadAsByteArrayAsync();

            Assert.Equal($"{url}: 200 {get.Content.Headers.ContentType?.MediaType} 0 bytes",
                $"{url}: {(int)head.StatusCode} {head.Content.Headers.ContentType?.MediaType} {body.Length} bytes");
        }
    }

    [Theory]
    [InlineData("br")]
    [InlineData("gzip")]
    public async Task Data_IsCompressed_WhenTheClientAcceptsIt(string encoding)
    {
        using var client = fixture.Factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/data?{Everywhere}");
        request.Headers.AcceptEncoding.ParseAdd(encoding);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([encoding], response.Content.Headers.ContentEncoding);
    }

    [Fact]
    public async Task OpenApi_ListsDataWithItsParameters()
    {
        using var client = fixture.Factory.CreateClient();

        using var json = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));

        var paths = json.RootElement.GetProperty("paths");
        var data = paths.GetProperty("/api/data").GetProperty("get");
        var parameters = data.GetProperty("parameters").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!);
        foreach (var name in new[] { "bbox", "stop_filter", "match_method", "canton", "problem_type", "top_n", "limit", "include_meta" })
        {
            Assert.True(parameters.ContainsKey(name), $"/api/data lacks parameter {name}");
        }

        Assert.Contains("canton codes", parameters["canton"].GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.True(paths.TryGetProperty("/api/global_stats", out _));
        Assert.True(paths.TryGetProperty("/api/system/pipeline_status", out _));
        Assert.False(paths.TryGetProperty("/health", out _));
    }

    private static async Task<List<long>> IdsAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {body}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.EnumerateArray().Select(r => r.GetProperty("id").GetInt64()).ToList();
    }

    private static async Task<JsonElement> RowAsync(HttpClient client, long id)
    {
        using var json = JsonDocument.Parse(await client.GetStringAsync($"/api/data?{Everywhere}"));
        return json.RootElement.EnumerateArray().Single(r => r.GetProperty("id").GetInt64() == id).Clone();
    }
}
