using System.Net;
using System.Text.Json;

namespace StopSync.Tests.Web.Routes;

/// <summary>/api/routes/comparison*, /api/route_stops and /api/osm_route_operators on the seeded route dataset.</summary>
[Collection(RouteGroup.Name)]
public sealed class RouteApiTests(RouteFixture fixture)
{
    private async Task<(HttpStatusCode Status, JsonElement Json, string? ContentType)> GetAsync(string url)
    {
        using var client = fixture.Factory.CreateClient();
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(body).RootElement.Clone(), response.Content.Headers.ContentType?.MediaType);
    }

    private static string[] Statuses(JsonElement comparison) =>
        [.. comparison.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("status").GetString()!)];

    private static string Label(JsonElement row, string side) =>
        row.GetProperty(side).ValueKind == JsonValueKind.Null ? "-" : row.GetProperty(side).GetProperty("label").GetString()!;

    [Fact]
    public async Task Comparison_AlignsInOrder_AndNamesEachDifference()
    {
        var (status, c, _) = await GetAsync($"/api/routes/comparison?atlas_itinerary_id={RouteFixture.Tram10Out}&osm_itinerary_id={RouteFixture.OsmTram10Out}");

        Assert.Equal(HttpStatusCode.OK, status);
        // Timetable A B C D E(platform 1); OSM A C B X E(platform 2).
        Assert.Equal(["same", "out_of_order", "same", "missing_in_osm", "out_of_order", "extra_in_osm", "other_platform"], Statuses(c));
        Assert.Equal(
            ["Zürich HB|Zürich HB", "Stadelhofen|-", "Bellevue|Bellevue", "Kunsthaus|-", "-|Stadelhofen", "-|Extra Halt", "Bahnhofplatz|Bahnhofplatz"],
            c.GetProperty("rows").EnumerateArray().Select(r => $"{Label(r, "atlas")}|{Label(r, "osm")}"));
        Assert.Equal(3, c.GetProperty("matched_stops").GetInt32());
        Assert.Equal(0.6, c.GetProperty("stop_score").GetDouble(), 6);
        Assert.Equal("match", c.GetProperty("direction_status").GetString());
        Assert.Equal(JsonValueKind.Null, c.GetProperty("saved_match").ValueKind);
        Assert.Equal(2, c.GetProperty("differences").GetProperty("out_of_order").GetInt32());
        Assert.Equal(1, c.GetProperty("differences").GetProperty("missing_in_osm").GetInt32());
        Assert.Equal("7001", c.GetProperty("osm").GetProperty("relation_id").GetString());
        Assert.Equal("91-10-A", c.GetProperty("atlas").GetProperty("route_id").GetString());
    }

    [Fact]
    public async Task Comparison_OfAPublishedPair_IsAllSame_WithTheSavedMatch()
    {
        var (_, c, _) = await GetAsync($"/api/routes/comparison?atlas_itinerary_id={RouteFixture.Tram10Back}&osm_itinerary_id={RouteFixture.OsmTram10Back}");

        Assert.All(Statuses(c), s => Assert.Equal("same", s));
        Assert.Equal(1.0, c.GetProperty("stop_score").GetDouble());
        Assert.Equal("ordered_stop_match", c.GetProperty("saved_match").GetProperty("match_reason").GetString());
        Assert.Empty(c.GetProperty("differences").EnumerateObject());
    }

    [Fact]
    public async Task Comparison_AlignsStationLevelTimetableStops_WithAnyPlatformOfTheStation()
    {
        var (_, c, _) = await GetAsync($"/api/routes/comparison?atlas_itinerary_id={RouteFixture.S5}&osm_itinerary_id={RouteFixture.OsmS5}");

        Assert.Equal(["same", "same", "same"], Statuses(c));
        Assert.Equal(1.0, c.GetProperty("stop_score").GetDouble());
    }

    [Fact]
    public async Task Comparison_OfOneSide_ListsItsCallsUnpaired_WithoutScore()
    {
        var (status, c, _) = await GetAsync($"/api/routes/comparison?osm_itinerary_id={RouteFixture.OsmTram10Out}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(Enumerable.Repeat("unpaired", 5), Statuses(c));
        Assert.Equal(JsonValueKind.Null, c.GetProperty("stop_score").ValueKind);
        Assert.Equal(JsonValueKind.Null, c.GetProperty("atlas").ValueKind);
        Assert.Equal("unknown", c.GetProperty("direction_status").GetString());
    }

    [Theory]
    [InlineData("/api/routes/comparison", "atlas_itinerary_id")]
    [InlineData("/api/routes/comparison?atlas_itinerary_id=0", "atlas_itinerary_id")]
    [InlineData("/api/routes/comparison?atlas_itinerary_id=abc", "atlas_itinerary_id")]
    [InlineData("/api/routes/comparison?osm_itinerary_id=2147483648", "osm_itinerary_id")]
    [InlineData("/api/routes/comparison/options", "source")]
    [InlineData("/api/routes/comparison/options?source=bus", "source")]
    [InlineData("/api/routes/comparison/options?source=osm&per_page=101", "per_page")]
    [InlineData("/api/routes/comparison/options?source=osm&page=0", "page")]
    [InlineData("/api/routes/comparison/options?source=osm&unmatched=yes", "unmatched")]
    [InlineData("/api/routes/comparison/options?source=osm&anchor_id=-1", "anchor_id")]
    [InlineData("/api/routes/comparison/options?source=atlas&fixed_itinerary_id=11", "fixed_itinerary_id")]
    [InlineData("/api/routes/comparison/best", "itinerary_id")]
    [InlineData("/api/routes/comparison/best?itinerary_id=11,x", "itinerary_id")]
    [InlineData("/api/route_stops", "route_id")]
    [InlineData("/api/route_stops?route_id=91-10-A&direction=2", "direction")]
    public async Task RouteApis_Answer400ProblemNamingTheParameter(string url, string parameter)
    {
        var (status, problem, contentType) = await GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", contentType);
        Assert.Equal(parameter, problem.GetProperty("parameter").GetString());
    }

    [Fact]
    public async Task RouteApis_Answer400_ForAQueryTooLong_AndTooManyIds()
    {
        var (longStatus, longProblem, _) = await GetAsync("/api/routes/comparison/options?source=osm&q=" + new string('x', 256));
        var ids = string.Join('&', Enumerable.Range(1, 101).Select(i => $"itinerary_id={i}"));
        var (manyStatus, manyProblem, _) = await GetAsync("/api/routes/comparison/best?" + ids);

        Assert.Equal(HttpStatusCode.BadRequest, longStatus);
        Assert.Equal("q", longProblem.GetProperty("parameter").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, manyStatus);
        Assert.Equal("itinerary_id", manyProblem.GetProperty("parameter").GetString());
    }

    [Theory]
    [InlineData("/api/routes/comparison?atlas_itinerary_id=111")]
    [InlineData("/api/routes/comparison?osm_itinerary_id=11")]
    [InlineData("/api/routes/comparison?atlas_itinerary_id=99999")]
    [InlineData("/api/routes/comparison/options?source=osm&fixed_itinerary_id=99999")]
    [InlineData("/api/routes/comparison/best?itinerary_id=11&itinerary_id=99999")]
    public async Task RouteApis_Answer404_ForAnItineraryThatIsNotThere(string url)
    {
        var (status, _, contentType) = await GetAsync(url);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("application/problem+json", contentType);
    }

    [Fact]
    public async Task Options_WithAFixedItinerary_RankByStopScore_ThenTheRestInRouteOrder()
    {
        var (status, o, _) = await GetAsync($"/api/routes/comparison/options?source=osm&fixed_itinerary_id={RouteFixture.Tram10Out}");

        Assert.Equal(HttpStatusCode.OK, status);
        var items = o.GetProperty("items").EnumerateArray().ToList();
        // 111 shares 3 of 5 stops in order; 112 and 141 one each (ties by id); 131 none; the non-GTFS 151 is never offered.
        Assert.Equal([RouteFixture.OsmTram10Out, RouteFixture.OsmTram10Back, RouteFixture.OsmStale, RouteFixture.OsmS5],
            items.Select(i => i.GetProperty("itinerary").GetProperty("id").GetInt64()));
        Assert.Equal(0.6, items[0].GetProperty("stop_score").GetDouble(), 6);
        Assert.Equal(0.2, items[1].GetProperty("stop_score").GetDouble(), 6);
        Assert.Equal(0, items[3].GetProperty("stop_score").GetDouble());
        Assert.Equal(4, o.GetProperty("total").GetInt32());
        Assert.Equal(RouteFixture.OsmTram10Out, o.GetProperty("best").GetProperty("itinerary").GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Options_PageTheRankedAndTheRest_AsOneList()
    {
        var first = await GetAsync($"/api/routes/comparison/options?source=osm&fixed_itinerary_id={RouteFixture.Tram10Out}&per_page=3");
        var second = await GetAsync($"/api/routes/comparison/options?source=osm&fixed_itinerary_id={RouteFixture.Tram10Out}&per_page=3&page=2");

        Assert.Equal([RouteFixture.OsmTram10Out, RouteFixture.OsmTram10Back, RouteFixture.OsmStale],
            first.Json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("itinerary").GetProperty("id").GetInt64()));
        Assert.Equal([RouteFixture.OsmS5],
            second.Json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("itinerary").GetProperty("id").GetInt64()));
        Assert.Equal(2, second.Json.GetProperty("pages").GetInt32());
    }

    [Fact]
    public async Task Options_WithoutAFixedItinerary_ListUnmatchedInRouteOrder_AndFindTheAnchorsPage()
    {
        var (_, all, _) = await GetAsync("/api/routes/comparison/options?source=atlas");
        var (_, anchored, _) = await GetAsync($"/api/routes/comparison/options?source=atlas&per_page=1&anchor_id={RouteFixture.Hostile}");
        var (_, searched, _) = await GetAsync("/api/routes/comparison/options?source=atlas&unmatched=0&q=s5");

        Assert.Equal([RouteFixture.Tram10Out, RouteFixture.Bus33, RouteFixture.Hostile],
            all.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("itinerary").GetProperty("id").GetInt64()));
        Assert.All(all.GetProperty("items").EnumerateArray(), i => Assert.Equal(JsonValueKind.Null, i.GetProperty("stop_score").ValueKind));
        Assert.Equal(3, anchored.GetProperty("page").GetInt32());
        Assert.Equal(RouteFixture.Hostile, anchored.GetProperty("items")[0].GetProperty("itinerary").GetProperty("id").GetInt64());
        Assert.Equal([RouteFixture.S5], searched.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("itinerary").GetProperty("id").GetInt64()));
    }

    [Fact]
    public async Task Best_GivesEachItineraryItsBestCandidateOnTheOtherSide()
    {
        var (status, b, _) = await GetAsync($"/api/routes/comparison/best?itinerary_id={RouteFixture.Tram10Out}&itinerary_id={RouteFixture.OsmStale},{RouteFixture.Hostile}");

        Assert.Equal(HttpStatusCode.OK, status);
        var items = b.GetProperty("items");
        Assert.Equal(RouteFixture.OsmTram10Out, items.GetProperty("11").GetProperty("itinerary").GetProperty("id").GetInt64());
        // X A against the timetable: Bus 33 (A F) keeps half of its stops, Tram 10's itineraries a fifth.
        Assert.Equal(RouteFixture.Bus33, items.GetProperty("141").GetProperty("itinerary").GetProperty("id").GetInt64());
        Assert.Equal(0.5, items.GetProperty("141").GetProperty("stop_score").GetDouble(), 6);
        Assert.Equal(JsonValueKind.Null, items.GetProperty("41").ValueKind);
    }

    [Fact]
    public async Task RouteStops_ListsTheLinesStops_OfAnyTimetableYear_AndOneDirection()
    {
        var (status, all, _) = await GetAsync("/api/route_stops?route_id=91-10-A-j25-1");
        var (_, back, _) = await GetAsync("/api/route_stops?route_id=91-10-A&direction=1");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["atlas:91-10-A-j26-1", "osm:route_master:5001"], all.GetProperty("families").EnumerateArray().Select(f => f.GetString()));
        // The ATLAS side calls at five platforms; OSM at six (E's other platform) and the extra stop.
        Assert.Equal(5, all.GetProperty("stops").EnumerateArray().Count(s => s.GetProperty("source").GetString() == "atlas"));
        Assert.Equal(7, all.GetProperty("stops").EnumerateArray().Count(s => s.GetProperty("source").GetString() == "osm"));
        Assert.Equal(10, back.GetProperty("total").GetInt32());
        Assert.Equal("Bahnhofplatz", back.GetProperty("stops")[0].GetProperty("label").GetString());
    }

    [Fact]
    public async Task OsmRouteOperators_ListsEachOperatorOnce_Sorted()
    {
        var (status, o, _) = await GetAsync("/api/osm_route_operators");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["PostAuto", "SBB", "Tourist Co", "VBZ"], o.GetProperty("operators").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(4, o.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task RouteApis_AnswerHeadLikeGet()
    {
        using var client = fixture.Factory.CreateClient();

        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/osm_route_operators"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task OpenApi_ListsTheRouteEndpointsWithTheirParameters()
    {
        var (status, json, _) = await GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, status);
        var paths = json.GetProperty("paths");
        var comparison = paths.GetProperty("/api/routes/comparison").GetProperty("get").GetProperty("parameters").EnumerateArray()
            .Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Equal(["atlas_itinerary_id", "osm_itinerary_id"], comparison);
        foreach (var path in (string[])["/api/routes/comparison/options", "/api/routes/comparison/best", "/api/route_stops", "/api/osm_route_operators"])
        {
            Assert.True(paths.TryGetProperty(path, out _), $"OpenAPI lacks {path}");
        }
    }
}
