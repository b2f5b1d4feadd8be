using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;
using StopSync.Tests.Infrastructure;
using StopSync.Tests.Web.Api.Decisions;

namespace StopSync.Tests.Web.Api.Problems;

/// <summary>
/// <see cref="ProblemDataset"/> plus one matched tram line (two itinerary pairs), one timetable line without OSM route and
/// a route problem of each type, with the web app and test sign-in.
/// </summary>
public sealed class RouteProblemsFixture : IAsyncLifetime
{
    public const string MembershipEvidence =
        """{"line":"91-7","atlas_family":"91-7-jXX-1","osm_family":"route_master:70","kind":"missing_in_osm"}""";

    public const string MetadataEvidence =
        """{"line":"91-7","atlas_family":"91-7-jXX-1","osm_family":"route_master:70","differences":[{"attribute":"operator","atlas":"VBZ","osm":"<b>SBB</b>"}]}""";

    public const string UnmatchedEvidence = """{"line":"91-8","atlas_family":"91-8-jXX-1","stop_count":12}""";

    private TestDatabase? _database;
    private StopSyncAppFactory? _site;
    private WebApplicationFactory<Program>? _factory;

    public string Prefix { get; } = $"stopsync-test:{Guid.NewGuid():N}:";
    public string ConnectionString => _database!.ConnectionString;
    internal WebApplicationFactory<Program> Factory => _factory!;

    public async Task InitializeAsync()
    {
        _database = await ProblemDataset.CreateAsync();
        await using (var c = new NpgsqlConnection(ConnectionString))
        {
            await c.OpenAsync();
            await RouteSeed.FamilyAsync(c, 11, "atlas", "91-7-j26-1", "91-7", "91-7-j26-1", "7", "tram", "Tram 7", "VBZ", matchedFamilyId: 21);
            await RouteSeed.FamilyAsync(c, 21, "osm", "route_master:70", "91-7", "91-7-j26-1", "7", "tram", "Tram 7", "<b>SBB</b>", matchedFamilyId: 11);
            await RouteSeed.FamilyAsync(c, 12, "atlas", "91-8-j26-1", "91-8", "91-8-j26-1", "8", "tram", "Tram 8", "VBZ");
            await RouteSeed.ItineraryAsync(c, 111, 11, "atlas", "91-7-j26-1|0|aaaaaaaaaaaa", "0", "Four", 211, ("ch:1:sloid:1", null), ("ch:1:sloid:4", null));
            await RouteSeed.ItineraryAsync(c, 112, 11, "atlas", "91-7-j26-1|1|bbbbbbbbbbbb", "1", "One", 212, ("ch:1:sloid:4", null), ("ch:1:sloid:1", null));
            await RouteSeed.ItineraryAsync(c, 211, 21, "osm", "701", "0", "Four", 111, ("ch:1:sloid:1", "101"), ("ch:1:sloid:4", "104"));
            await RouteSeed.ItineraryAsync(c, 212, 21, "osm", "702", "1", "One", 112, ("ch:1:sloid:4", "104"), ("ch:1:sloid:1", "101"));
            await RouteSeed.ItineraryAsync(c, 121, 12, "atlas", "91-8-j26-1|0|cccccccccccc", "0", "Two", null, ("ch:1:sloid:2", null), ("ch:1:sloid:5", null));
            await RouteSeed.MatchAsync(c, 1, 11, 21, "exact_gtfs_route_id", (1, 111, 211), (2, 112, 212));

            await ProblemDataset.InsertProblemAsync(c, 101, 4, "route_membership", 2, "k-route-mem-4", MembershipEvidence);
            await ProblemDataset.InsertProblemAsync(c, 102, 1, "route_metadata", 3, "k-route-meta-1", MetadataEvidence);
            await ProblemDataset.InsertProblemAsync(c, 103, 2, "route_unmatched", 2, "k-route-unm-2", UnmatchedEvidence);
        }

        _site = new StopSyncAppFactory(StopSyncAppFactory.DefaultSettings(ConnectionString, Prefix));
        _factory = _site.WithTestReviewers();
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (_site is not null)
        {
            await _site.DisposeAsync();
        }

        await IntegrationFixture.DeleteRedisKeysAsync(Prefix);
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

/// <summary>The three route problem types in /api/problems, its stats, the map's problem filter and decisions.</summary>
public sealed class RouteProblemApiTests(RouteProblemsFixture fixture) : IClassFixture<RouteProblemsFixture>
{
    private async Task<JsonDocument> GetAsync(string url)
    {
        using var client = fixture.Factory.CreateClient();
        var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body);
    }

    private static List<JsonElement> Items(JsonDocument json) => [.. json.RootElement.GetProperty("problems").EnumerateArray()];

    [Theory]
    [InlineData("problem_type=route_membership", new long[] { 4 })]
    [InlineData("problem_type=route_metadata", new long[] { 1 })]
    [InlineData("problem_type=route_unmatched", new long[] { 2 })]
    // By the most urgent route problem (P2, P2, P3), then stop id.
    [InlineData("problem_type=route_unmatched,route_metadata,route_membership", new long[] { 2, 4, 1 })]
    [InlineData("problem_type=route_membership,distance&priority=2", new long[] { 1, 4 })]
    public async Task Problems_FiltersByTheRouteTypes(string filter, long[] expected)
    {
        using var json = await GetAsync($"/api/problems?{filter}");

        Assert.Equal(expected, Items(json).Select(i => i.GetProperty("stop_id").GetInt64()).Distinct().ToArray());
    }

    [Fact]
    public async Task Problems_WithoutTypeFilter_IncludeRouteProblems()
    {
        using var json = await GetAsync("/api/problems?limit=1000");

        var keys = Items(json).Select(i => i.GetProperty("problem_key").GetString()).ToList();
        Assert.Contains("k-route-mem-4", keys);
        Assert.Contains("k-route-meta-1", keys);
        Assert.Contains("k-route-unm-2", keys);
    }

    [Fact]
    public async Task Problems_MembershipItem_NamesItsLine_AndTheItineraryPairToCompare()
    {
        using var json = await GetAsync("/api/problems?problem_type=route_membership");

        var item = Assert.Single(Items(json));
        Assert.Equal("Line 91-7: the timetable calls at this stop, the OSM route does not", item.GetProperty("description").GetString());
        Assert.Equal("missing_in_osm", item.GetProperty("evidence").GetProperty("kind").GetString());
        var route = item.GetProperty("route");
        Assert.Equal("91-7", route.GetProperty("line").GetString());
        Assert.Equal("91-7-jXX-1", route.GetProperty("atlas_family").GetString());
        Assert.Equal("route_master:70", route.GetProperty("osm_family").GetString());
        // Both pairs call at stop 4: the first by match id.
        Assert.Equal(111, route.GetProperty("atlas_itinerary_id").GetInt64());
        Assert.Equal(211, route.GetProperty("osm_itinerary_id").GetInt64());
    }

    [Fact]
    public async Task Problems_MetadataAndUnmatchedItems_TellTheirLine_AndAStopProblemHasNoRoute()
    {
        using var json = await GetAsync("/api/problems?limit=1000");
        var items = Items(json);

        var metadata = items.Single(i => i.GetProperty("problem_key").GetString() == "k-route-meta-1");
        Assert.Equal("Line 91-7: operator ATLAS VBZ, OSM <b>SBB</b>", metadata.GetProperty("description").GetString());
        Assert.Equal(111, metadata.GetProperty("route").GetProperty("atlas_itinerary_id").GetInt64());
        var unmatched = items.Single(i => i.GetProperty("problem_key").GetString() == "k-route-unm-2");
        Assert.Equal("Line 91-8 (12 stops): the timetable line has no OSM route", unmatched.GetProperty("description").GetString());
        Assert.Equal("91-8", unmatched.GetProperty("route").GetProperty("line").GetString());
        Assert.Equal(JsonValueKind.Null, unmatched.GetProperty("route").GetProperty("osm_itinerary_id").ValueKind);
        var distance = items.First(i => i.GetProperty("problem").GetString() == "distance");
        Assert.False(distance.TryGetProperty("route", out _));
    }

    [Fact]
    public async Task Stats_CountEachRouteType_AndAllIncludesThem()
    {
        using var json = await GetAsync("/api/problems/stats");
        using var routesOnly = await GetAsync("/api/problems/stats?problem_type=route_membership,route_unmatched");
        var root = json.RootElement;

        foreach (var type in new[] { "route_unmatched", "route_metadata", "route_membership" })
        {
            Assert.Equal(1, root.GetProperty(type).GetProperty("all").GetInt64());
        }

        // (The route_unmatched problem is the one the decision test decides.)
        Assert.Equal(1, root.GetProperty("route_metadata").GetProperty("unsolved").GetInt64());
        Assert.Equal(1, root.GetProperty("route_membership").GetProperty("unsolved").GetInt64());

        // The eight stop problems of the dataset the site shows, and the three route problems.
        Assert.Equal(11, root.GetProperty("all").GetProperty("all").GetInt64());
        Assert.Equal(2, routesOnly.RootElement.GetProperty("all").GetProperty("all").GetInt64());
        // Type entries ignore the type filter.
        Assert.Equal(1, routesOnly.RootElement.GetProperty("route_metadata").GetProperty("all").GetInt64());
    }

    [Fact]
    public async Task MapData_FiltersByARouteProblemType()
    {
        using var json = await GetAsync("/api/data?bbox=46.0,6.0,48.0,10.0&problem_type=route_unmatched,route_metadata");

        Assert.Equal(new long[] { 1, 2 }, json.RootElement.EnumerateArray().Select(r => r.GetProperty("id").GetInt64()).Order().ToArray());
    }

    [Fact]
    public async Task ProblemsPage_AcceptsTheRouteTypesInItsAddress()
    {
        using var client = fixture.Factory.CreateClient();

        var ok = await client.GetAsync("/problems?problem_type=route_membership,route_unmatched,route_metadata");
        var bad = await client.GetAsync("/problems?problem_type=route_wrong");

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("route_membership", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decision_OnARouteProblem_IsStoredAndShownAsDecided()
    {
        using var reviewer = TestReviewers.Client(fixture.Factory, "Rita", "reviewer");

        var response = await reviewer.PostAsJsonAsync("/api/decisions",
            new Dictionary<string, object?> { ["problem_key"] = "k-route-unm-2", ["kind"] = "osm_wrong", ["note"] = "route missing in OSM", ["revision"] = 0 });
        using var json = await GetAsync("/api/problems?problem_type=route_unmatched");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var item = Assert.Single(Items(json));
        Assert.Equal("decided", item.GetProperty("state").GetString());
        Assert.Equal("osm_wrong", item.GetProperty("decision").GetProperty("kind").GetString());
        Assert.Equal("route_unmatched", item.GetProperty("decision").GetProperty("problem_type").GetString());
        Assert.Equal("91-8", item.GetProperty("decision").GetProperty("evidence").GetProperty("line").GetString());
    }

    [Theory]
    [InlineData("not_same_stop")]
    [InlineData("same_stop")]
    public async Task Decision_OnARouteProblem_RefusesAPairRuling(string kind)
    {
        using var reviewer = TestReviewers.Client(fixture.Factory, "Rita", "reviewer");

        var response = await reviewer.PostAsJsonAsync("/api/decisions",
            new Dictionary<string, object?> { ["problem_key"] = "k-route-mem-4", ["kind"] = kind, ["pair_osm_id"] = kind == "same_stop" ? "900" : null, ["revision"] = 0 });
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("kind", json.RootElement.GetProperty("parameter").GetString());
        Assert.Contains("is about a line", json.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
