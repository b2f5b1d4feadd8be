using System.Net;
using System.Text.Json;
using StopSync.Web.Pages.Data;
using F = StopSync.Tests.Web.Data.AnalyticsFixture;

namespace StopSync.Tests.Web.Data;

/// <summary><c>GET /api/analytics</c> over the seeded statistics rows of <see cref="AnalyticsFixture"/>.</summary>
[Collection(AnalyticsGroup.Name)]
public sealed class AnalyticsApiTests(AnalyticsFixture fixture)
{
    [Fact]
    public async Task Analytics_GivesTheLivePublicationsFiguresAndDetails()
    {
        using var json = await GetAsync("/api/analytics");
        var root = json.RootElement;
        var current = root.GetProperty("current");

        Assert.True(root.GetProperty("available").GetBoolean());
        Assert.Equal("all", root.GetProperty("scope").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("scope_name").ValueKind);
        Assert.Equal(F.LiveRun, root.GetProperty("run_id").GetGuid());
        Assert.Equal(F.LivePublishedAt, root.GetProperty("published_at").GetDateTimeOffset());
        Assert.Equal(
            [12000, 10600, 800, 600, 11500, 10700, 800, 1350, 120, 700, 530, 10050],
            ((string[])["atlas_platforms", "atlas_matched", "atlas_effectively_matched", "atlas_unmatched", "osm_nodes", "osm_matched",
                "osm_unmatched", "problems", "problems_p1", "problems_p2", "problems_p3", "within_50m"]).Select(p => current.GetProperty(p).GetInt32()));
        Assert.Equal(0.883333, current.GetProperty("match_rate").GetDouble());
        var exact = current.GetProperty("match_methods")[0];
        Assert.Equal(("exact", 9100, 4.2, 3.1, 12.5), (exact.GetProperty("method").GetString(), exact.GetProperty("count").GetInt32(),
            exact.GetProperty("distance_mean").GetDouble(), exact.GetProperty("distance_median").GetDouble(), exact.GetProperty("distance_p95").GetDouble()));
        Assert.Equal(JsonValueKind.Null, current.GetProperty("match_methods")[2].GetProperty("distance_mean").ValueKind);
        Assert.Equal(190, current.GetProperty("unmatched").GetProperty("atlas_with_counterpart_nearby").GetInt32());
        Assert.Equal(80, current.GetProperty("unmatched").GetProperty("osm_with_counterpart_nearby").GetInt32());
        Assert.Equal("<b>attributes</b>", current.GetProperty("problem_types")[1].GetProperty("type").GetString());
        Assert.Equal(250, current.GetProperty("problem_types")[1].GetProperty("p3").GetInt32());
        Assert.Equal(("osm_pair_uic", 650), (current.GetProperty("stop_units")[1].GetProperty("kind").GetString(), current.GetProperty("stop_units")[1].GetProperty("count").GetInt32()));
    }

    [Fact]
    public async Task Analytics_Trend_HoldsPublishedRunsOnly_OldestFirst()
    {
        using var json = await GetAsync("/api/analytics");
        var trend = json.RootElement.GetProperty("trend").EnumerateArray().ToList();

        Assert.Equal([F.FirstRun, F.SecondRun, F.LiveRun], trend.Select(p => p.GetProperty("run_id").GetGuid()));
        Assert.Equal([F.LivePublishedAt.AddDays(-2), F.LivePublishedAt.AddDays(-1), F.LivePublishedAt], trend.Select(p => p.GetProperty("published_at").GetDateTimeOffset()));
        Assert.Equal([0.8, 0.83682, 0.883333], trend.Select(p => p.GetProperty("match_rate").GetDouble()));
        Assert.Equal([300, 200, 120], trend.Select(p => p.GetProperty("problems_p1").GetInt32()));
        Assert.Equal([9520, 10000, 10600], trend.Select(p => p.GetProperty("atlas_matched").GetInt32()));
    }

    [Theory]
    [InlineData("operator:SBB", "Schweizerische Bundesbahnen SBB", 2)]
    [InlineData("canton:ZH", "Zürich", 1)]
    public async Task Analytics_OfAnOperatorOrCanton_GivesThatScopesRowsAndTrend(string scope, string name, int points)
    {
        using var json = await GetAsync("/api/analytics?scope=" + Uri.EscapeDataString(scope));
        var root = json.RootElement;

        Assert.True(root.GetProperty("available").GetBoolean());
        Assert.Equal(scope, root.GetProperty("scope").GetString());
        Assert.Equal(name, root.GetProperty("scope_name").GetString());
        Assert.Equal(points, root.GetProperty("trend").GetArrayLength());
        Assert.Equal(F.LiveRun, root.GetProperty("trend")[points - 1].GetProperty("run_id").GetGuid());
        // Rows written before the details existed read as empty parts.
        Assert.Equal(0, root.GetProperty("current").GetProperty("match_methods").GetArrayLength());
    }

    [Fact]
    public async Task Analytics_OfAnOperatorWithoutARow_IsUnavailable()
    {
        using var json = await GetAsync("/api/analytics?scope=operator:NOPE");

        Assert.False(json.RootElement.GetProperty("available").GetBoolean());
        Assert.Equal("operator:NOPE", json.RootElement.GetProperty("scope").GetString());
        Assert.Contains("operator:NOPE", json.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("region:ZH")]
    [InlineData("canton:")]
    [InlineData("operator")]
    public async Task Analytics_WithAMalformedScope_Answers400NamingTheParameter(string scope)
    {
        using var client = fixture.Factory.CreateClient();

        using var response = await client.GetAsync("/api/analytics?scope=" + Uri.EscapeDataString(scope));
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("scope", problem.RootElement.GetProperty("parameter").GetString());
    }

    [Fact]
    public async Task Analytics_BeforeTheFirstPublication_Answers200Unavailable()
    {
        using var client = fixture.EmptyFactory.CreateClient();

        using var response = await client.GetAsync("/api/analytics");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(json.RootElement.GetProperty("available").GetBoolean());
        Assert.Equal("all", json.RootElement.GetProperty("scope").GetString());
        Assert.False(json.RootElement.TryGetProperty("current", out _));
    }

    [Fact]
    public async Task OpenApi_DescribesTheScopeParameter_AndTheAnswersFields()
    {
        using var json = await GetAsync("/openapi/v1.json");

        var get = json.RootElement.GetProperty("paths").GetProperty("/api/analytics").GetProperty("get");
        var schema = get.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString();
        var properties = json.RootElement.GetProperty("components").GetProperty("schemas").GetProperty(schema!.Split('/')[^1]).GetProperty("properties");

        Assert.Equal("scope", get.GetProperty("parameters")[0].GetProperty("name").GetString());
        foreach (var name in (string[])["available", "scope", "scope_name", "run_id", "published_at", "current", "trend", "reason"])
        {
            Assert.True(properties.TryGetProperty(name, out _), $"the answer's schema lacks {name}");
        }
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    [InlineData("""{"match_methods": [null, {"method": "exact", "count": 3}], "unmatched": null}""")]
    public void Details_ThatAreMalformedOrPartial_GiveEmptyPartsRatherThanAnError(string json)
    {
        var details = AnalyticsDetails.Parse(json);

        Assert.True(details.Methods.Count <= 1);
        Assert.All(details.Methods, m => Assert.Equal(("exact", 3), (m.Method, m.Count)));
        Assert.Null(details.Unmatched);
        Assert.Empty(details.ProblemTypes);
        Assert.Null(details.Within50M);
    }

    private async Task<JsonDocument> GetAsync(string url)
    {
        using var client = fixture.Factory.CreateClient();
        using var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}
