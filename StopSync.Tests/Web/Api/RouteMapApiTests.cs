using System.Net;
using System.Text.Json;
using static StopSync.Tests.Web.Api.StopCardApi;

namespace StopSync.Tests.Web.Api;

/// <summary>
/// The map's lines on the stop card fixture's dataset (its route rows): "Lines calling here" in /api/stop_popup, the route
/// filter of the map's row endpoints and /api/stop_by_id for a line.
/// </summary>
[Collection(StopCardGroup.Name)]
public sealed class RouteMapApiTests(StopCardFixture fixture)
{
    private const string Everywhere = "bbox=45.5,5.5,48.0,10.6";

    // Every row some itinerary of tram 10 (either side) calls at: the SLOIDs 3000:0:1, 3100:0:1, 3200:0:1, 3200:0:2 and
    // the OSM elements 1001, 3001, 4001.
    private static readonly long[] TramRows =
    [
        StopCardFixture.ExactRow, StopCardFixture.PairPlatformRow, StopCardFixture.PairPropagationRow, StopCardFixture.TrioSideRow,
        StopCardFixture.TrioOtherSideRow, StopCardFixture.SecondExactRow,
    ];

    private async Task<JsonElement> CardAsync(long id)
    {
        using var client = fixture.Factory.CreateClient();
        return (await GetJsonAsync(client, $"/api/stop_popup?stop_id={id}")).GetProperty("stop");
    }

    private static List<string?> Ids(JsonElement side) => [.. side.GetProperty("lines").EnumerateArray().Select(l => l.Text("display_route_id"))];

    [Fact]
    public async Task StopPopup_ListsTheLinesCallingAtEachSide_WithDirectionsAndCounterpart()
    {
        var lines = (await CardAsync(StopCardFixture.ExactRow)).GetProperty("lines");

        var atlas = lines.GetProperty("atlas");
        Assert.Equal(2, atlas.GetProperty("total").GetInt32());
        // By mode, then by ref: the bus before the tram.
        Assert.Equal([StopCardFixture.BusLine, StopCardFixture.TramLine], Ids(atlas));
        var tram = atlas.GetProperty("lines")[1];
        Assert.Equal(StopCardFixture.TramGtfsId, tram.Text("source_family_id"));
        Assert.Equal("10", tram.Text("ref"));
        Assert.Equal("tram", tram.Text("mode"));
        Assert.Equal("VBZ", tram.Text("operator"));
        Assert.Equal(
            [("0", "Bellevue", true), ("1", "Zürich HB", false)],
            tram.GetProperty("directions").EnumerateArray().Select(d => (d.Text("direction_id"), d.Text("headsign"), d.GetProperty("matched").GetBoolean())).ToList());
        var counterpart = tram.GetProperty("matched_to");
        Assert.Equal("route_master:501", counterpart.Text("source_family_id"));
        Assert.Equal(StopCardFixture.TramLine, counterpart.Text("display_route_id"));
        Assert.Equal("normalized_route_id", counterpart.Text("match_method"));
        Assert.Equal(JsonValueKind.Null, atlas.GetProperty("lines")[0].GetProperty("matched_to").ValueKind);

        var osm = lines.GetProperty("osm");
        Assert.Equal(1, osm.GetProperty("total").GetInt32());
        var osmTram = Assert.Single(osm.GetProperty("lines").EnumerateArray());
        Assert.Equal("route_master:501", osmTram.Text("source_family_id"));
        Assert.Equal(StopCardFixture.TramGtfsId, osmTram.GetProperty("matched_to").Text("source_family_id"));
        Assert.Equal([("0", "Bellevue", true)],
            osmTram.GetProperty("directions").EnumerateArray().Select(d => (d.Text("direction_id"), d.Text("headsign"), d.GetProperty("matched").GetBoolean())).ToList());
    }

    [Fact]
    public async Task StopPopup_ShowsAnOsmOnlyLineAsNonGtfsAndUnmatched_ForAWayWithoutAtlasSide()
    {
        var lines = (await CardAsync(StopCardFixture.WayRow)).GetProperty("lines");

        Assert.Equal(0, lines.GetProperty("atlas").GetProperty("total").GetInt32());
        var line = Assert.Single(lines.GetProperty("osm").GetProperty("lines").EnumerateArray());
        Assert.Equal(StopCardFixture.TouristLine, line.Text("display_route_id"));
        Assert.True(line.GetProperty("is_non_gtfs").GetBoolean());
        Assert.Equal(JsonValueKind.Null, line.GetProperty("matched_to").ValueKind);
        var direction = Assert.Single(line.GetProperty("directions").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, direction.GetProperty("direction_id").ValueKind);
        Assert.Equal("Nirgendwo", direction.Text("headsign"));
        Assert.False(direction.GetProperty("matched").GetBoolean());
    }

    [Fact]
    public async Task StopPopup_ListsAtMost30LinesPerSide_AndCountsThemAll()
    {
        var atlas = (await CardAsync(StopCardFixture.KappaLinesRow)).GetProperty("lines").GetProperty("atlas");

        Assert.Equal(StopCardFixture.KappaLines, atlas.GetProperty("total").GetInt32());
        Assert.Equal(30, atlas.GetProperty("lines").GetArrayLength());
        // Refs in numeric order (shorter first), so the card shows lines 1 to 30.
        Assert.Equal(Enumerable.Range(1, 30).Select(n => (string?)$"90-{n}").ToList(), Ids(atlas));
    }

    [Fact]
    public async Task StopPopup_HasNoLines_WhereNoLineCalls()
    {
        var lines = (await CardAsync(StopCardFixture.MissingTagsRow)).GetProperty("lines");

        Assert.Equal(0, lines.GetProperty("atlas").GetProperty("total").GetInt32());
        Assert.Equal(0, lines.GetProperty("osm").GetProperty("total").GetInt32());
        Assert.Equal(0, lines.GetProperty("atlas").GetProperty("lines").GetArrayLength());
    }

    [Fact]
    public async Task StopPopup_ReturnsMarkupInALineNameAndHeadsignAsPlainJsonText()
    {
        using var client = fixture.Factory.CreateClient();
        var response = await client.GetAsync($"/api/stop_popup?stop_id={StopCardFixture.IsolatedAtlasRow}");
        var body = await response.Content.ReadAsStringAsync();

        // JSON, never HTML: the page inserts the values as text (checked in the browser by RouteMapBrowserTests).
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        var line = Assert.Single(json.RootElement.GetProperty("stop").GetProperty("lines").GetProperty("atlas").GetProperty("lines").EnumerateArray());
        Assert.Equal(StopCardFixture.XssName, line.Text("name"));
        Assert.Equal(StopCardFixture.XssName, line.GetProperty("directions")[0].Text("headsign"));
    }

    [Fact]
    public async Task StopPopup_DescribesARouteProblem_FromItsEvidence()
    {
        var stop = await CardAsync(StopCardFixture.TrioOtherSideRow);

        var problem = Assert.Single(stop.GetProperty("problems").EnumerateArray());
        Assert.Equal("route_membership", problem.Text("problem_type"));
        Assert.Equal("Line 91-10-A: the timetable calls at this stop, the OSM route does not.", problem.Text("description"));
    }

    public static TheoryData<string, long[]> RouteFilters => new()
    {
        // Display id, the ATLAS GTFS id, another timetable year's id, the normalised id, the search token's prefix.
        { "route=91-10-A", TramRows },
        { "route=91-10-A-j26-1", TramRows },
        { "route=91-10-A-j24-1", TramRows },
        { "route=91-10-A-jXX-1", TramRows },
        { "route=route%3A91-10-A", TramRows },
        // Direction 1 runs only in the timetable (not via 4001 / 3200:0:1); direction 0 not via 3200:0:2.
        { "route=91-10-A%20dir%3A1", [StopCardFixture.ExactRow, StopCardFixture.PairPlatformRow, StopCardFixture.PairPropagationRow, StopCardFixture.TrioOtherSideRow, StopCardFixture.SecondExactRow] },
        { "route=91-10-A+dir:0", [StopCardFixture.ExactRow, StopCardFixture.PairPlatformRow, StopCardFixture.PairPropagationRow, StopCardFixture.TrioSideRow, StopCardFixture.SecondExactRow] },
        // An OSM-only line by its ref: the way and both rows of the element 2001.
        { "route=T", [StopCardFixture.DuplicateRepresentativeRow, StopCardFixture.DuplicatePropagationRow, StopCardFixture.WayRow] },
        { "route=92-33", [StopCardFixture.ExactRow, StopCardFixture.IsolatedAtlasRow, StopCardFixture.SecondExactRow] },
        { "route=92-33&stop_filter=atlas_unmatched", [StopCardFixture.IsolatedAtlasRow] },
        { "route=99-99", [] },
        { "route=", [.. Enumerable.Range(1, 16).Select(i => (long)i)] },
    };

    [Theory]
    [MemberData(nameof(RouteFilters))]
    public async Task Data_KeepsTheRowsTheLineCallsAt_ByAnyOfItsIds(string filter, long[] expected)
    {
        using var client = fixture.Factory.CreateClient();

        var rows = await GetJsonAsync(client, $"/api/data?{Everywhere}&{filter}");

        var ids = rows.EnumerateArray().Select(r => r.GetProperty("id").GetInt64()).Where(id => id < 1000).Order().ToArray();
        Assert.Equal(expected.Order().ToArray(), ids);
    }

    [Fact]
    public async Task GlobalStatsTopMatchesAndRandomStop_TakeTheRouteFilterToo()
    {
        using var client = fixture.Factory.CreateClient();

        var stats = await GetJsonAsync(client, "/api/global_stats?route=T");
        var top = await GetJsonAsync(client, "/api/top_matches?route=92-33&limit=100");
        var random = await GetJsonAsync(client, "/api/random_stop?route=92-33&stop_filter=atlas_unmatched");
        var none = await GetProblemAsync(client, "/api/random_stop?route=99-99", HttpStatusCode.NotFound);

        Assert.Equal(2, stats.GetProperty("total_osm_nodes").GetInt64());
        Assert.Equal(2, stats.GetProperty("total_atlas_stops").GetInt64());
        Assert.Equal([StopCardFixture.SecondExactRow, StopCardFixture.ExactRow], top.EnumerateArray().Select(r => r.GetProperty("id").GetInt64()).ToList());
        Assert.Equal(StopCardFixture.IsolatedAtlasRow, random.GetProperty("stop").GetProperty("id").GetInt64());
        Assert.Contains("No stop found", none, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("route=91-10-A%20dir:2", "direction")]
    [InlineData("route=dir:1", "must name a line")]
    [InlineData("route=route:", "must name a line")]
    [InlineData("route=91%0A10", "printable")]
    public async Task Data_Answers400NamingRoute_WhenTheRouteIsBad(string filter, string detail)
    {
        using var client = fixture.Factory.CreateClient();

        var response = await client.GetAsync($"/api/data?{Everywhere}&{filter}");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("route", json.RootElement.GetProperty("parameter").GetString());
        Assert.Contains(detail, json.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Data_Answers400_ForARouteLongerThan100Characters()
    {
        using var client = fixture.Factory.CreateClient();

        var detail = await GetProblemAsync(client, $"/api/data?{Everywhere}&route={new string('9', 101)}", HttpStatusCode.BadRequest);

        Assert.Contains("at most 100", detail, StringComparison.Ordinal);
    }

    [Theory]
    // The first call of the line's longest ATLAS itinerary (by id among equals): 3000:0:1, whose nearer match is row 1.
    // The box spans every call of either side: Stadelhofen (3100:0:1, 47.3667) to the element 1001 (47.37802).
    [InlineData("91-10-A", StopCardFixture.ExactRow, "atlas", 47.3667, 47.37802)]
    [InlineData("route:91-10-A-j25-1", StopCardFixture.ExactRow, "atlas", 47.3667, 47.37802)]
    // Direction 1 only: the timetable's calls, from 3200:0:2 to 3000:0:1.
    [InlineData("91-10-A dir:1", StopCardFixture.TrioOtherSideRow, "atlas", 47.3667, 47.378)]
    // An OSM-only line without SLOIDs opens its first element: the way, then the element 2001 in Bern.
    [InlineData("route:T", StopCardFixture.WayRow, "osm", 46.5, 46.94882)]
    public async Task StopById_OpensTheLinesFirstStop_AndSendsTheBoxAroundItsStops(string identifier, long expectedId, string viewType, double minLat, double maxLat)
    {
        using var client = fixture.Factory.CreateClient();

        var json = await GetJsonAsync(client, $"/api/stop_by_id?identifier_type=route&identifier={Uri.EscapeDataString(identifier)}");

        Assert.Equal(expectedId, json.GetProperty("stop").GetProperty("id").GetInt64());
        Assert.Equal(viewType, json.Text("popup_view_type"));
        var bounds = json.GetProperty("bounds");
        Assert.Equal(minLat, bounds.GetProperty("min_lat").GetDouble(), 6);
        Assert.Equal(maxLat, bounds.GetProperty("max_lat").GetDouble(), 6);
        Assert.Equal((minLat + maxLat) / 2, json.GetProperty("center_lat").GetDouble(), 6);
    }
}
