using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using StopSync.Tests.Infrastructure;
using StopSync.Tests.Web.Api.ReviewMap;

namespace StopSync.Tests.Web.Api;

/// <summary>Per-client limits of the JSON API, counted in Redis (docs/05-api.md, "Rate limits").</summary>
public sealed class RateLimitTests(ReviewMapFixture fixture) : IClassFixture<ReviewMapFixture>
{
    private StopSyncAppFactory App(string keyPrefix, int permits, string? redis = null)
    {
        var settings = StopSyncAppFactory.DefaultSettings(fixture.ConnectionString, fixture.Prefix);
        foreach (var (key, value) in ApiTestSettings.RateLimitSettings(keyPrefix, permits))
        {
            settings[key] = value;
        }

        if (redis is not null)
        {
            settings["ConnectionStrings:Redis"] = redis;
        }

        return new StopSyncAppFactory(settings);
    }

    [Fact]
    public async Task Data_Answers429WithRetryAfterAndProblem_OnceTheLimitIsSpent()
    {
        await using var app = App(fixture.Prefix + $"rl-{Guid.NewGuid():N}:", permits: 3);
        using var client = app.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            using var allowed = await client.GetAsync("/api/data?bbox=46,6,48,10");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var refused = await client.GetAsync("/api/data?bbox=46,6,48,10");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var retryAfter = Assert.Single(refused.Headers.GetValues("Retry-After"));
        Assert.InRange(int.Parse(retryAfter, System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Equal(429, json.RootElement.GetProperty("status").GetInt32());
        // Another policy has its own budget.
        using var other = await client.GetAsync("/api/global_stats");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task DefaultPolicy_LimitsApiEndpointsWithoutAPolicy_ButNotPages()
    {
        await using var app = App(fixture.Prefix + $"rl-{Guid.NewGuid():N}:", permits: 2);
        using var client = app.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.GetAsync("/api/cantons");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        for (var i = 0; i < 3; i++)
        {
            using var page = await client.GetAsync("/docs");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }
    }

    [Fact]
    public async Task PipelineStatus_IsLimitedByItsPolicy()
    {
        await using var app = App(fixture.Prefix + $"rl-{Guid.NewGuid():N}:", permits: 1);
        using var client = app.CreateClient();

        using var first = await client.GetAsync("/api/system/pipeline_status");
        using var second = await client.GetAsync("/api/system/pipeline_status");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
    }

    [Fact]
    public async Task TwoAppInstances_ShareOneCount_ThroughRedis()
    {
        var prefix = fixture.Prefix + $"rl-{Guid.NewGuid():N}:";
        await using var first = App(prefix, permits: 4);
        await using var second = App(prefix, permits: 4);
        using var a = first.CreateClient();
        using var b = second.CreateClient();

        var statuses = new List<HttpStatusCode>();
        foreach (var client in new[] { a, b, a, b, a, b })
        {
            using var response = await client.GetAsync("/api/top_matches");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(
            [HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests],
            statuses);
    }

    [Fact]
    public async Task Limits_LetRequestsThrough_WhenRedisIsDown()
    {
        // Nothing listens on port 1: the counters cannot be reached, the API must still answer.
        await using var app = App(fixture.Prefix + $"rl-{Guid.NewGuid():N}:", permits: 1, redis: "127.0.0.1:1,abortConnect=false,connectTimeout=200");
        using var client = app.CreateClient();

        for (var i = 0; i < 4; i++)
        {
            using var response = await client.GetAsync("/api/data?bbox=46,6,48,10");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task Limits_AreOff_WhenDisabled()
    {
        await using var app = App(fixture.Prefix + $"rl-{Guid.NewGuid():N}:", permits: 1);
        using var client = app.WithWebHostBuilder(b => b.UseSetting("RateLimits:Enabled", "false")).CreateClient();

        for (var i = 0; i < 3; i++)
        {
            using var response = await client.GetAsync("/api/global_stats");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task StartUp_Fails_WhenAPermitLimitIsNotPositive()
    {
        var settings = StopSyncAppFactory.DefaultSettings(fixture.ConnectionString, fixture.Prefix);
        settings["RateLimits:Data:PermitLimit"] = "0";
        await using var app = new StopSyncAppFactory(settings);

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        var validation = Assert.IsType<OptionsValidationException>(error is AggregateException aggregate ? aggregate.InnerException : error);
        Assert.Contains("PermitLimit", validation.Message, StringComparison.Ordinal);
    }
}
