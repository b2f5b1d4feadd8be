using System.Net;
using System.Text.Json;
using Npgsql;
using StopSync.Tests.Infrastructure;
using StopSync.Web.Infrastructure;

namespace StopSync.Tests.Web.Api.Problems;

/// <summary>/api/problems and /api/problems/stats on <see cref="ProblemsFixture"/>: every filter selects known stops.</summary>
public sealed class ProblemApiTests(ProblemsFixture fixture) : IClassFixture<ProblemsFixture>
{
    [Theory]
    // Priority sort: stops by their most urgent (filtered) problem, then stop id.
    [InlineData("", new long[] { 1, 2, 4, 5, 3, 6 })]
    [InlineData("problem_type=all", new long[] { 1, 2, 4, 5, 3, 6 })]
    [InlineData("problem_type=distance", new long[] { 4, 1 })]
    [InlineData("problem_type=isolated", new long[] { 2, 3 })]
    [InlineData("problem_type=unmatched,duplicates", new long[] { 2, 5, 3 })]
    [InlineData("problem_type=contradicts_route_matching", new long[] { 4 })]
    [InlineData("priority=1", new long[] { 1, 2, 4 })]
    [InlineData("priority=2,3", new long[] { 1, 4, 5, 3, 6 })]
    [InlineData("atlas_operator=SBB", new long[] { 1, 5, 6 })]
    [InlineData("atlas_operator=SBB,BLS", new long[] { 1, 4, 5, 6 })]
    [InlineData("atlas_operator=NOPE", new long[0])]
    [InlineData("canton=be", new long[] { 4, 3 })]
    [InlineData("canton=GE,BE", new long[] { 4, 5, 3 })]
    [InlineData("state=open", new long[] { 2, 1, 4, 5, 3, 6 })]
    [InlineData("state=decided", new long[] { 1 })]
    [InlineData("state=needs_another_look", new long[] { 4 })]
    [InlineData("state=decided,needs_another_look", new long[] { 1, 4 })]
    [InlineData("state=open,decided,needs_another_look", new long[] { 1, 2, 4, 5, 3, 6 })]
    [InlineData("problem_type=distance&state=open", new long[] { 1 })]
    [InlineData("canton=ZH&priority=1", new long[] { 1, 2 })]
    [InlineData("atlas_operator=SBB&problem_type=attributes", new long[] { 1, 6 })]
    [InlineData("canton=ZH&atlas_operator=VBZ&problem_type=unmatched&priority=1&state=open", new long[] { 2 })]
    [InlineData("canton=BE&state=decided", new long[0])]
    public async Task Problems_ReturnsExactlyTheStopsTheFilterSelects(string filter, long[] expected)
    {
        using var json = await GetAsync($"/api/problems?{filter}");

        Assert.Equal(expected, StopOrder(json));
        Assert.Equal(expected.Length, json.RootElement.GetProperty("total").GetInt64());
    }

    [Theory]
    [InlineData("sort_by=priority&sort_order=asc", new long[] { 1, 2, 4, 5, 3, 6 })]
    [InlineData("sort_by=priority&sort_order=desc", new long[] { 3, 6, 5, 1, 2, 4 })]
    [InlineData("sort_by=distance", new long[] { 5, 1, 4, 2, 3, 6 })]
    [InlineData("sort_by=distance&sort_order=desc", new long[] { 4, 1, 5, 2, 3, 6 })]
    [InlineData("sort_by=default", new long[] { 1, 2, 3, 4, 5, 6 })]
    [InlineData("sort_by=default&sort_order=desc", new long[] { 6, 5, 4, 3, 2, 1 })]
    public async Task Problems_OrdersStops_BySortAndOrder(string sort, long[] expected)
    {
        using var json = await GetAsync($"/api/problems?{sort}");

        Assert.Equal(expected, StopOrder(json));
        Assert.Equal(sort.Contains("distance") ? "distance" : sort.Contains("default") ? "default" : "priority", json.RootElement.GetProperty("sort_by").GetString());
        Assert.Equal(sort.Contains("desc") ? "desc" : "asc", json.RootElement.GetProperty("sort_order").GetString());
    }

    [Fact]
    public async Task Problems_PagesPerStop_AStopWithTwoProblemsCountsOnce_AndPageTwoContinues()
    {
        using var first = await GetAsync("/api/problems?limit=2");
        using var second = await GetAsync("/api/problems?limit=2&page=2");
        using var third = await GetAsync("/api/problems?limit=2&page=3");
        using var beyond = await GetAsync("/api/problems?limit=2&page=4");

        // Stop 1 has two problems, stop 4 two: each still one of the two stops of its page.
        Assert.Equal(["k-attr-1", "k-dist-1", "k-unm-2"], Keys(first));
        Assert.Equal(["k-dist-4", "k-crm-4", "k-dup-5"], Keys(second));
        Assert.Equal(new long[] { 3, 6 }, StopOrder(third));
        Assert.Empty(beyond.RootElement.GetProperty("problems").EnumerateArray());
        foreach (var page in new[] { first, second, third, beyond })
        {
            Assert.Equal(6, page.RootElement.GetProperty("total").GetInt64());
            Assert.Equal(2, page.RootElement.GetProperty("limit").GetInt32());
        }

        Assert.Equal(2, second.RootElement.GetProperty("page").GetInt32());
    }

    [Fact]
    public async Task Problems_ItemsOfOneStopAreConsecutive_ByPriorityThenType()
    {
        using var json = await GetAsync("/api/problems?limit=1000");

        var stops = json.RootElement.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("stop_id").GetInt64()).ToList();
        var runs = stops.Where((s, i) => i == 0 || stops[i - 1] != s).ToList();
        Assert.Equal(runs.Distinct().Count(), runs.Count);
        Assert.Equal(8, stops.Count);
        // The problem of a type the site does not show is left out.
        Assert.DoesNotContain("k-legacy-5", Keys(json));
    }

    [Fact]
    public async Task Problems_ItemCarriesBothSides_Evidence_Description_AndTheDecision()
    {
        using var json = await GetAsync("/api/problems?problem_type=attributes&canton=ZH&atlas_operator=SBB");

        var items = json.RootElement.GetProperty("problems").EnumerateArray().ToList();
        var decided = items.Single(i => i.GetProperty("problem_key").GetString() == "k-attr-1");
        Assert.Equal(1, decided.GetProperty("stop_id").GetInt64());
        Assert.Equal("attributes", decided.GetProperty("problem").GetString());
        Assert.Equal(1, decided.GetProperty("priority").GetInt32());
        Assert.Equal("ch:1:sloid:1", decided.GetProperty("sloid").GetString());
        Assert.Equal("101", decided.GetProperty("osm_node_id").GetString());
        Assert.Equal("matched", decided.GetProperty("stop_type").GetString());
        Assert.Equal(37.4, decided.GetProperty("distance_m").GetDouble());
        Assert.Equal("Stop 1", decided.GetProperty("atlas_name").GetString());
        Assert.Equal("OSM 101", decided.GetProperty("osm_name").GetString());
        Assert.Equal("SBB", decided.GetProperty("atlas_operator").GetString());
        Assert.Equal("ZH", decided.GetProperty("canton").GetString());
        Assert.Equal("8503000", decided.GetProperty("evidence").GetProperty("differences")[0].GetProperty("osm").GetString());
        Assert.Equal("OSM uic_ref 8503000, ATLAS number 8503001; OSM local_ref 3, ATLAS designation 4", decided.GetProperty("description").GetString());
        Assert.Equal("decided", decided.GetProperty("state").GetString());
        Assert.Equal("osm_wrong", decided.GetProperty("solution").GetString());
        Assert.True(decided.GetProperty("is_persistent").GetBoolean());
        Assert.True(decided.GetProperty("decidable").GetBoolean());
        var decision = decided.GetProperty("decision");
        Assert.Equal("osm_wrong", decision.GetProperty("kind").GetString());
        Assert.Equal("Anna", decision.GetProperty("decided_by").GetString());
        Assert.Equal(1, decision.GetProperty("revision").GetInt32());
        Assert.Equal("8503001", decision.GetProperty("chosen_values").GetProperty("uic_ref").GetString());
        Assert.Equal(DateTimeOffset.Parse("2026-12-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
            decision.GetProperty("decided_at").GetDateTimeOffset());

        // Published before keys existed: listed, but not decidable.
        var legacy = items.Single(i => i.GetProperty("stop_id").GetInt64() == 6);
        Assert.Equal(JsonValueKind.Null, legacy.GetProperty("problem_key").ValueKind);
        Assert.False(legacy.GetProperty("decidable").GetBoolean());
        Assert.Equal(JsonValueKind.Null, legacy.GetProperty("evidence").ValueKind);
        Assert.Equal("ATLAS and OSM attributes differ", legacy.GetProperty("description").GetString());
        Assert.Equal("open", legacy.GetProperty("state").GetString());
        Assert.Equal("", legacy.GetProperty("solution").GetString());
        Assert.False(legacy.GetProperty("is_persistent").GetBoolean());
        Assert.Equal(JsonValueKind.Null, legacy.GetProperty("decision").ValueKind);
    }

    [Theory]
    [InlineData("k-dist-1", "ATLAS and OSM 37 m apart (25–50 m)")]
    [InlineData("k-unm-2", "No OSM counterpart within 50 m")]
    [InlineData("k-unm-3", "An ATLAS counterpart is nearby but not matched")]
    [InlineData("k-dup-5", "ATLAS duplicates: ch:1:sloid:5, ch:1:sloid:7")]
    [InlineData("k-crm-4", "The route matching contradicts this match: the routes' stop names disagree")]
    public async Task Problems_DescribesWhatIsWrong_FromTheEvidence(string key, string expected)
    {
        using var json = await GetAsync("/api/problems?limit=1000");

        var item = json.RootElement.GetProperty("problems").EnumerateArray().Single(i => i.GetProperty("problem_key").GetString() == key);
        Assert.Equal(expected, item.GetProperty("description").GetString());
    }

    [Fact]
    public async Task Problems_NeedsAnotherLook_ShowsTheStoredDecisionWithItsState()
    {
        using var json = await GetAsync("/api/problems?state=needs_another_look");

        var item = Assert.Single(json.RootElement.GetProperty("problems").EnumerateArray());
        Assert.Equal("k-dist-4", item.GetProperty("problem_key").GetString());
        Assert.Equal("needs_another_look", item.GetProperty("state").GetString());
        Assert.Equal("needs_another_look", item.GetProperty("decision").GetProperty("state").GetString());
        Assert.Equal("50-80", item.GetProperty("decision").GetProperty("evidence").GetProperty("distance_bucket").GetString());
    }

    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("page=x", "page")]
    [InlineData("page=-1", "page")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("problem_type=bogus", "problem_type")]
    [InlineData("problem_type=distance,bogus", "problem_type")]
    [InlineData("priority=4", "priority")]
    [InlineData("priority=high", "priority")]
    [InlineData("canton=XX", "canton")]
    [InlineData("state=closed", "state")]
    [InlineData("sort_by=name", "sort_by")]
    [InlineData("sort_order=up", "sort_order")]
    public async Task Problems_Answers400NamingTheParameter_WhenAParameterIsBad(string query, string parameter)
    {
        await AssertBadRequestAsync($"/api/problems?{query}", parameter);
    }

    [Theory]
    [InlineData("problem_type=bogus", "problem_type")]
    [InlineData("priority=0", "priority")]
    [InlineData("canton=ZZ", "canton")]
    public async Task Stats_Answers400NamingTheParameter_WhenAParameterIsBad(string query, string parameter)
    {
        await AssertBadRequestAsync($"/api/problems/stats?{query}", parameter);
    }

    [Fact]
    public async Task Stats_CountsProblemsByReviewState_PerTypePriorityOperatorAndCanton()
    {
        using var json = await GetAsync("/api/problems/stats");
        var root = json.RootElement;

        AssertCounts(root.GetProperty("all"), all: 8, solved: 1, unsolved: 6, needsAnotherLook: 1);
        AssertCounts(root.GetProperty("distance"), all: 2, solved: 0, unsolved: 1, needsAnotherLook: 1);
        AssertCounts(root.GetProperty("attributes"), all: 2, solved: 1, unsolved: 1, needsAnotherLook: 0);
        AssertCounts(root.GetProperty("unmatched"), all: 2, solved: 0, unsolved: 2, needsAnotherLook: 0);
        AssertCounts(root.GetProperty("contradicts_route_matching"), all: 1, solved: 0, unsolved: 1, needsAnotherLook: 0);
        AssertCounts(root.GetProperty("duplicates"), all: 1, solved: 0, unsolved: 1, needsAnotherLook: 0);
        AssertCounts(root.GetProperty("by_priority").GetProperty("1"), all: 3, solved: 1, unsolved: 1, needsAnotherLook: 1);
        AssertCounts(root.GetProperty("by_priority").GetProperty("3"), all: 2, solved: 0, unsolved: 2, needsAnotherLook: 0);
        var sbb = root.GetProperty("by_operator").EnumerateArray().Single(o => o.GetProperty("atlas_operator").GetString() == "SBB");
        AssertCounts(sbb, all: 4, solved: 1, unsolved: 3, needsAnotherLook: 0);
        var be = root.GetProperty("by_canton").EnumerateArray().Single(o => o.GetProperty("canton").GetString() == "BE");
        AssertCounts(be, all: 3, solved: 0, unsolved: 2, needsAnotherLook: 1);
        Assert.Equal(["ZH", "BE", "GE"], root.GetProperty("by_canton").EnumerateArray().Select(c => c.GetProperty("canton").GetString()));
        Assert.Equal(2, root.GetProperty("resolved_by_data").GetInt64());
    }

    [Theory]
    [InlineData("")]
    [InlineData("atlas_operator=SBB")]
    [InlineData("priority=1,2")]
    [InlineData("canton=BE,ZH")]
    [InlineData("problem_type=distance,attributes")]
    [InlineData("problem_type=unmatched&atlas_operator=BLS&canton=BE")]
    public async Task Stats_EqualWhatSqlOverTheTablesSays(string filter)
    {
        using var json = await GetAsync($"/api/problems/stats?{filter}");
        var query = System.Web.HttpUtility.ParseQueryString(filter);
        var types = query["problem_type"]?.Split(',') ?? ["distance", "unmatched", "attributes", "contradicts_route_matching", "duplicates"];
        var operators = query["atlas_operator"]?.Split(',');
        var priorities = query["priority"]?.Split(',').Select(int.Parse).ToArray();
        var cantons = query["canton"]?.Split(',');

        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        // Counted independently of the endpoint's query: one problem at a time, its decision looked up by key.
        await using var command = new NpgsqlCommand("""
            SELECT count(*),
                   count(*) FILTER (WHERE EXISTS (SELECT 1 FROM review.decisions d WHERE d.problem_key = p.problem_key AND d.state = 'decided')),
                   count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM review.decisions d WHERE d.problem_key = p.problem_key)),
                   count(*) FILTER (WHERE EXISTS (SELECT 1 FROM review.decisions d WHERE d.problem_key = p.problem_key AND d.state = 'needs_another_look')),
                   (SELECT count(*) FROM review.decisions d WHERE d.state = 'resolved_by_data' AND d.problem_type = ANY(@types)
                        AND (@operators::text[] IS NULL OR d.atlas_operator = ANY(@operators)) AND (@cantons::text[] IS NULL OR d.canton = ANY(@cantons)))
            FROM problems p JOIN stops_matched s ON s.id = p.stop_id
            WHERE p.problem_type = ANY(@types)
              AND (@operators::text[] IS NULL OR s.atlas_operator = ANY(@operators))
              AND (@priorities::int[] IS NULL OR p.priority = ANY(@priorities))
              AND (@cantons::text[] IS NULL OR s.canton = ANY(@cantons))
            """, connection);
        command.Parameters.AddWithValue("types", types);
        command.Parameters.Add(new NpgsqlParameter("operators", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)operators ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("priorities", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Integer) { Value = (object?)priorities ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("cantons", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)cantons ?? DBNull.Value });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();

        AssertCounts(json.RootElement.GetProperty("all"), reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
        Assert.Equal(reader.GetInt64(4), json.RootElement.GetProperty("resolved_by_data").GetInt64());
        var byPriority = json.RootElement.GetProperty("by_priority").EnumerateObject().Sum(p => p.Value.GetProperty("all").GetInt64());
        var byOperator = json.RootElement.GetProperty("by_operator").EnumerateArray().Sum(p => p.GetProperty("all").GetInt64());
        var byCanton = json.RootElement.GetProperty("by_canton").EnumerateArray().Sum(p => p.GetProperty("all").GetInt64());
        Assert.Equal(reader.GetInt64(0), byPriority);
        Assert.Equal(reader.GetInt64(0), byOperator);
        Assert.Equal(reader.GetInt64(0), byCanton);
    }

    [Fact]
    public async Task Stats_TypeEntriesIgnoreTheTypeFilter_WhileAllHonoursIt()
    {
        using var json = await GetAsync("/api/problems/stats?problem_type=distance");

        Assert.Equal(2, json.RootElement.GetProperty("all").GetProperty("all").GetInt64());
        Assert.Equal(2, json.RootElement.GetProperty("unmatched").GetProperty("all").GetInt64());
        Assert.Equal(1, json.RootElement.GetProperty("resolved_by_data").GetInt64());
    }

    [Fact]
    public async Task Context_AnswersTheSameRowsAsTheMapForTheBoxAroundAStop()
    {
        using var client = fixture.Factory.CreateClient();
        const string box = "47.29,8.49,47.31,8.51";

        using var context = JsonDocument.Parse(await client.GetStringAsync($"/api/problems/context?bbox={box}"));
        using var map = JsonDocument.Parse(await client.GetStringAsync($"/api/data?bbox={box}&include_meta=1"));

        var ids = Ids(context);
        Assert.NotEmpty(ids);
        Assert.Equal(Ids(map), ids);
        Assert.False(context.RootElement.GetProperty("meta").GetProperty("has_more").GetBoolean());

        static List<long> Ids(JsonDocument d) => [.. d.RootElement.GetProperty("stops").EnumerateArray().Select(r => r.GetProperty("id").GetInt64()).Order()];
    }

    [Theory]
    [InlineData("bbox=47.0,8.49,47.31,8.51")]
    [InlineData("bbox=47.29,8.0,47.31,8.51")]
    [InlineData("bbox=not-a-box")]
    [InlineData("")]
    public async Task Context_Answers400NamingTheBox_WhenItIsMissingMalformedOrLargerThanAStopsSurroundings(string query)
    {
        using var client = fixture.Factory.CreateClient();

        using var response = await client.GetAsync("/api/problems/context?" + query);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("bbox", problem.RootElement.GetProperty("detail").GetString() + problem.RootElement.GetProperty("title").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Context_CountsAgainstTheQueuesBudget_NotTheMaps()
    {
        var settings = StopSyncAppFactory.DefaultSettings(fixture.ConnectionString, fixture.Prefix);
        foreach (var (key, value) in ApiTestSettings.RateLimitSettings(fixture.Prefix + $"rl-{Guid.NewGuid():N}:", permits: 100))
        {
            settings[key] = value;
        }

        settings["RateLimits:Data:PermitLimit"] = "1";
        await using var app = new StopSyncAppFactory(settings);
        using var client = app.CreateClient();
        const string box = "bbox=47.29,8.49,47.31,8.51";

        var map = new[] { (await client.GetAsync("/api/data?" + box)).StatusCode, (await client.GetAsync("/api/data?" + box)).StatusCode };
        var context = new[] { (await client.GetAsync("/api/problems/context?" + box)).StatusCode, (await client.GetAsync("/api/problems/context?" + box)).StatusCode };

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.TooManyRequests], map);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK], context);
    }

    [Fact]
    public async Task ProblemsAndStats_HaveTheirOwnBudgets_AndAnswer429OnceSpent()
    {
        var settings = StopSyncAppFactory.DefaultSettings(fixture.ConnectionString, fixture.Prefix);
        foreach (var (key, value) in ApiTestSettings.RateLimitSettings(fixture.Prefix + $"rl-{Guid.NewGuid():N}:", permits: 2))
        {
            settings[key] = value;
        }

        await using var app = new StopSyncAppFactory(settings);
        using var client = app.CreateClient();

        var problems = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            problems.Add((await client.GetAsync("/api/problems")).StatusCode);
        }

        var stats = (await client.GetAsync("/api/problems/stats")).StatusCode;

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], problems);
        Assert.Equal(HttpStatusCode.OK, stats);
    }

    [Fact]
    public void RateLimits_Default_To120PerMinuteForReads_And60ForDecisions()
    {
        var options = new RateLimitOptions();

        Assert.Equal(120, options.Rule(RateLimitPolicies.Problems).PermitLimit);
        Assert.Equal(120, options.Rule(RateLimitPolicies.ProblemStats).PermitLimit);
        Assert.Equal(60, options.Rule(RateLimitPolicies.Decisions).PermitLimit);
        Assert.All([RateLimitPolicies.Problems, RateLimitPolicies.ProblemStats, RateLimitPolicies.Decisions],
            p => Assert.Equal(TimeSpan.FromMinutes(1), options.Rule(p).Window));
    }

    private async Task<JsonDocument> GetAsync(string url)
    {
        using var client = fixture.Factory.CreateClient();
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private async Task AssertBadRequestAsync(string url, string parameter)
    {
        using var client = fixture.Factory.CreateClient();
        var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(parameter, json.RootElement.GetProperty("parameter").GetString());
        Assert.Contains(parameter, json.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    /// <summary>The stops of a page in order, each once (items of one stop are consecutive).</summary>
    private static long[] StopOrder(JsonDocument json)
    {
        var stops = json.RootElement.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("stop_id").GetInt64()).ToList();
        return [.. stops.Where((s, i) => i == 0 || stops[i - 1] != s)];
    }

    private static List<string?> Keys(JsonDocument json) =>
        [.. json.RootElement.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("problem_key").GetString())];

    private static void AssertCounts(JsonElement counts, long all, long solved, long unsolved, long needsAnotherLook)
    {
        Assert.Equal(all, counts.GetProperty("all").GetInt64());
        Assert.Equal(solved, counts.GetProperty("solved").GetInt64());
        Assert.Equal(unsolved, counts.GetProperty("unsolved").GetInt64());
        Assert.Equal(needsAnotherLook, counts.GetProperty("needs_another_look").GetInt64());
    }
}
