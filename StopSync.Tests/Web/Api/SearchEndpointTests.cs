using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Npgsql;
using StopSync.Tests.Infrastructure;
using StopSync.Web.Pages.Map.Search;
using static StopSync.Tests.Web.Api.StopCardApi;

namespace StopSync.Tests.Web.Api;

/// <summary><c>/api/search</c> on the stop card fixture's dataset.</summary>
[Collection(StopCardGroup.Name)]
public sealed class SearchEndpointTests(StopCardFixture fixture)
{
    private async Task<(List<JsonElement> Atlas, List<JsonElement> Osm)> SearchAsync(string q)
    {
        using var client = fixture.Factory.CreateClient();
        var json = await GetJsonAsync(client, "/api/search?q=" + Uri.EscapeDataString(q));
        return ([.. json.GetProperty("atlas").EnumerateArray()], [.. json.GetProperty("osm").EnumerateArray()]);
    }

    [Fact]
    public async Task Search_FindsAnAtlasPlatform_BySloid()
    {
        var (atlas, _) = await SearchAsync("ch:1:sloid:3100");

        var hit = Assert.Single(atlas);
        Assert.Equal("ch:1:sloid:3100:0:1", hit.Text("sloid"));
        // The SLOID's first row: its exact match, not the propagation.
        Assert.Equal(StopCardFixture.PairPlatformRow, hit.GetProperty("id").GetInt64());
        Assert.Equal("3001", hit.Text("osm_node_id"));
        Assert.Equal("Zürich Stadelhofen", hit.Text("name"));
        Assert.Equal("8503100", hit.Text("uic_ref"));
        Assert.Equal("1", hit.Text("local_ref"));
        Assert.Equal("SBB", hit.Text("operator"));
        Assert.Equal("matched", hit.Text("stop_type"));
        Assert.Equal(47.3667, hit.GetProperty("lat").GetDouble());
        Assert.Equal(8.5481, hit.GetProperty("lon").GetDouble());
        Assert.Equal("atlas", hit.Text("view_type"));
    }

    [Fact]
    public async Task Search_FindsBothSides_ByUic()
    {
        var (atlas, osm) = await SearchAsync("8503100");

        Assert.Equal(["ch:1:sloid:3100:0:1"], atlas.Select(h => h.Text("sloid")).ToList());
        Assert.Equal(["3001", "3002"], osm.Select(h => h.Text("osm_node_id")).Order(StringComparer.Ordinal).ToList());
        Assert.All(osm, h => Assert.Equal("osm", h.Text("view_type")));
        var stopPosition = osm.Single(h => h.Text("osm_node_id") == "3002");
        Assert.Equal(StopCardFixture.PairPropagationRow, stopPosition.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Search_FindsByName_IgnoringCaseAndExtraSpaces()
    {
        var (atlas, osm) = await SearchAsync("  zürich    STADELHOFEN ");

        Assert.Equal(["ch:1:sloid:3100:0:1"], atlas.Select(h => h.Text("sloid")).ToList());
        Assert.Equal(2, osm.Count);
    }

    [Fact]
    public async Task Search_FindsByOperator_OnBothSides()
    {
        var (atlas, osm) = await SearchAsync("bls");

        Assert.Equal(["ch:1:sloid:7000:0:1", "ch:1:sloid:7000:0:9"], atlas.Select(h => h.Text("sloid")).ToList());
        Assert.Equal(["2001"], osm.Select(h => h.Text("osm_node_id")).ToList());
    }

    [Fact]
    public async Task Search_RanksExactHitsFirst_BeforeHitsThatOnlyContainTheTerm()
    {
        var (atlas, _) = await SearchAsync("bern");

        Assert.Equal(["Bern", "Bern", "Aarau Bernstrasse"], atlas.Select(h => h.Text("name")).ToList());
    }

    [Fact]
    public async Task Search_TakesUnderscoreLiterally()
    {
        var (atlas, _) = await SearchAsync("t_p");

        Assert.Equal(["Halt_Punkt"], atlas.Select(h => h.Text("name")).ToList());
    }

    [Fact]
    public async Task Search_TakesPercentLiterally()
    {
        var (atlas, osm) = await SearchAsync("halt%punkt");

        Assert.Empty(atlas);
        Assert.Empty(osm);
    }

    [Fact]
    public async Task Search_ReturnsMarkupInAnOsmNameAsPlainJsonText()
    {
        using var client = fixture.Factory.CreateClient();

        var response = await client.GetAsync("/api/search?q=onerror");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        // Data, never markup: served as JSON that browsers may not sniff as HTML; the page inserts the value as text.
        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
        using var json = JsonDocument.Parse(body);
        var hit = Assert.Single(json.RootElement.GetProperty("osm").EnumerateArray());
        Assert.Equal(StopCardFixture.XssName, hit.Text("name"));
        Assert.Equal("way_45", hit.Text("osm_node_id"));
    }

    [Fact]
    public async Task Search_CapsEachListAt200()
    {
        var (atlas, osm) = await SearchAsync("kappa");

        Assert.True(StopCardFixture.KappaPlatforms > SearchQueries.MaxRowsPerSide);
        Assert.Equal(SearchQueries.MaxRowsPerSide, atlas.Count);
        Assert.Empty(osm);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ab")]
    [InlineData("   a   ")]
    public async Task Search_AnswersEmptyLists_ForTermsShorterThan3Characters(string q)
    {
        var (atlas, osm) = await SearchAsync(q);

        Assert.Empty(atlas);
        Assert.Empty(osm);
    }

    [Fact]
    public async Task Search_Answers400MentioningTheMaximum_ForTermsLongerThan50Characters()
    {
        using var client = fixture.Factory.CreateClient();

        var detail = await GetProblemAsync(client, "/api/search?q=" + new string('a', 51), HttpStatusCode.BadRequest);

        Assert.Contains("q must be at most 50 characters", detail, StringComparison.Ordinal);
        // Collapsed spaces do not count: 50 characters after normalising are fine.
        await SearchAsync(new string('a', 25) + "          " + new string('a', 24));
    }

    [Fact]
    public async Task Search_AnswersEmptyLists_WithoutAskingTheDatabase_ForShortTerms()
    {
        await using var factory = StopCardFixture.WithMapRateLimitPolicies(new StopSyncAppFactory(StopSyncAppFactory.DefaultSettings(
            "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none;Timeout=2", fixture.HangfirePrefix)));
        using var client = factory.CreateClient();

        var json = await GetJsonAsync(client, "/api/search?q=ab");
        var detail = await GetProblemAsync(client, "/api/search?q=abc", HttpStatusCode.ServiceUnavailable);

        Assert.Equal("""{"atlas":[],"osm":[]}""", json.GetRawText());
        // The same app does go to the (unreachable) database for a real term.
        Assert.Contains("database", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_Answers503WithinItsTimeLimit_WhenTheQueryTakesTooLong()
    {
        // A writer's lock makes the OSM half of the search wait until the statement timeout (1.5 s) stops it.
        await using var locker = new NpgsqlConnection(fixture.ConnectionString);
        await locker.OpenAsync();
        await using var transaction = await locker.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand("LOCK TABLE osm_nodes IN ACCESS EXCLUSIVE MODE", locker, transaction))
        {
            await command.ExecuteNonQueryAsync();
        }

        using var client = fixture.Factory.CreateClient();
        var watch = Stopwatch.StartNew();
        var detail = await GetProblemAsync(client, "/api/search?q=zürich", HttpStatusCode.ServiceUnavailable);
        watch.Stop();
        await transaction.RollbackAsync();

        Assert.Equal("Search took too long; narrow the query.", detail);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(1.4), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Search_AnswersHead_LikeGet()
    {
        using var client = fixture.Factory.CreateClient();

        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/search?q=bern"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("atlas", "ix_atlas_stops_search")]
    [InlineData("osm", "ix_osm_nodes_search")]
    public async Task SearchQuery_UsesTheTrigramIndex(string side, string index)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        // Few rows make a sequential scan cheaper; switching it off shows whether the index can serve the predicate.
        await using (var off = new NpgsqlCommand("SET enable_seqscan = off", connection))
        {
            await off.ExecuteNonQueryAsync();
        }

        await using var explain = new NpgsqlCommand("EXPLAIN " + (side == "atlas" ? SearchQueries.AtlasSql : SearchQueries.OsmSql), connection);
        explain.Parameters.Add(new NpgsqlParameter { Value = "bern" });
        explain.Parameters.Add(new NpgsqlParameter { Value = "bern%" });
        explain.Parameters.Add(new NpgsqlParameter { Value = "%bern%" });
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        Assert.Contains(plan, line => line.Contains(index, StringComparison.Ordinal));
    }
}
