using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using StopSync.Data.Status;
using StopSync.Tests.Infrastructure;
using StopSync.Tests.Web.Api;
using StopSync.Web.Pages.Routes;
using static StopSync.Tests.Web.Api.StopCardApi;

namespace StopSync.Tests.Web.Routes.GtfsStops;

/// <summary>
/// The page /routes/gtfs-stop-id-sloid and what guards the route data: maintenance and busy tables answer 503 with
/// Retry-After, a dataset without GTFS stops is no error (docs/08-site.md, "GTFS stops ↔ SLOIDs").
/// </summary>
[Collection(GtfsStopsGroup.Name)]
public sealed partial class GtfsStopPageTests(GtfsStopsFixture fixture)
{
    private const string PagePath = "/routes/gtfs-stop-id-sloid";
    private const string Api = "/api/routes/gtfs-stop-id-sloid";

    private static readonly string[] ApiUrls =
    [
        $"{Api}/summary",
        $"{Api}/map?{GtfsStopsFixture.ZurichBox}",
        $"{Api}/search?search_kind=uic&search_value=8503000",
        $"{Api}/popup?entity_type=gtfs&id=8503000:0:1",
    ];

    [Fact]
    public async Task Page_RendersTheMapShell_UnderTheRouteTabs_WithItsTabCurrent_AndNoInlineScript()
    {
        using var client = fixture.Factory.CreateClient();

        var response = await client.GetAsync(PagePath);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches("<a href=\"/routes/gtfs-stop-id-sloid\" aria-current=\"page\">", html);
        Assert.Matches("<a href=\"/routes\" aria-current=\"false\">", html);
        Assert.Contains("id=\"gtfsMap\"", html, StringComparison.Ordinal);
        Assert.Contains("src=\"/js/routes/gtfs-stops.", html, StringComparison.Ordinal);
        Assert.Contains("src=\"/lib/leaflet/leaflet.", html, StringComparison.Ordinal);
        Assert.All(ScriptTag().Matches(html), m => Assert.Matches("src=\"/|type=\"application/json\"", m.Value));
    }

    [Theory]
    [InlineData("?zoom=12")]
    [InlineData("?x")]
    [InlineData("?search_kind=sloid&search_value=ch:1:sloid:3000:0:1")]
    public async Task Page_RedirectsAnyQueryWith308_ToTheBareAddress(string query)
    {
        using var client = fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.GetAsync(PagePath + query);

        Assert.Equal(HttpStatusCode.PermanentRedirect, response.StatusCode);
        Assert.Equal(PagePath, response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task ApiAndPage_Answer503WithPhaseAndRetryAfter_BeforeTouchingTheDatabase_DuringMaintenance()
    {
        // The database is a closed port: an answer that needed it would be the outage 503, "Data temporarily unavailable".
        var settings = StopSyncAppFactory.DefaultSettings("Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none;Timeout=2", fixture.Prefix);
        settings["Pipeline:KeyPrefix"] = $"{fixture.Prefix}maintenance-{Guid.NewGuid():N}:";
        await using var app = new StopSyncAppFactory(settings);
        var store = app.Services.GetRequiredService<PipelineStatusStore>();
        await store.WriteRunDocumentAsync(new PipelineStatusDocument { Status = PipelineStates.Running, Phase = PipelinePhases.Publish });
        await store.SetBlockingMaintenanceAsync(true);
        using var client = app.CreateClient();

        foreach (var url in ApiUrls)
        {
            var response = await client.GetAsync(url);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{url}: {(int)response.StatusCode} {body}");
            Assert.Equal("30", Assert.Single(response.Headers.GetValues("Retry-After")));
            using var json = JsonDocument.Parse(body);
            Assert.Equal("publish", json.RootElement.GetProperty("phase").GetString());
            Assert.Equal(30, json.RootElement.GetProperty("retry_after_seconds").GetInt32());
            Assert.Equal(RouteGuard.MaintenanceMessage, json.RootElement.GetProperty("error").GetString());
        }

        var page = await client.GetAsync(PagePath);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
        Assert.Equal("30", Assert.Single(page.Headers.GetValues("Retry-After")));
        Assert.Contains("Phase: <span class=\"chip\">publish</span>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("gtfs-stops.js", html, StringComparison.Ordinal);

        // Maintenance off: the same request now reaches the database, which is down.
        await store.SetBlockingMaintenanceAsync(false);
        var outage = await client.GetAsync(ApiUrls[3]);
        using var problem = JsonDocument.Parse(await outage.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, outage.StatusCode);
        Assert.Equal("Data temporarily unavailable", problem.RootElement.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Api_Answers503Busy_WithRetryAfter_WhileAPublicationHoldsTheTable()
    {
        await using var holder = new NpgsqlConnection(fixture.ConnectionString);
        await holder.OpenAsync();
        await using var transaction = await holder.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE gtfs_stops IN ACCESS EXCLUSIVE MODE", holder, transaction))
        {
            await lockTable.ExecuteNonQueryAsync();
        }

        using var client = fixture.Factory.CreateClient();
        var response = await client.GetAsync(ApiUrls[3]);
        await transaction.RollbackAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("30", Assert.Single(response.Headers.GetValues("Retry-After")));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Route data is temporarily busy. Please retry shortly.", json.RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Api_HasItsOwnRateLimit()
    {
        var settings = StopSyncAppFactory.DefaultSettings(fixture.ConnectionString, fixture.Prefix);
        foreach (var (key, value) in ApiTestSettings.RateLimitSettings($"{fixture.Prefix}rl-{Guid.NewGuid():N}:", permits: 2))
        {
            settings[key] = value;
        }

        settings["RateLimits:Default:PermitLimit"] = "1000";
        await using var app = new StopSyncAppFactory(settings);
        using var client = app.CreateClient();

        var statuses = new List<HttpStatusCode>();
        foreach (var url in ApiUrls[..3])
        {
            statuses.Add((await client.GetAsync(url)).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Api_SaysThereIsNoGtfsIdentityData_WhenTheTableIsEmptyOrMissing_WithoutAnError()
    {
        await using var database = await TestDatabase.CreateAsync();
        await GtfsStopsFixture.MigrateAsync(database.ConnectionString);
        await using (var c = new NpgsqlConnection(database.ConnectionString))
        {
            await c.OpenAsync();
            await GtfsStopsFixture.AtlasAsync(c, "ch:1:sloid:1:0:1", "8500001", "1", "Lonely", 47.0, 8.0);
        }

        var empty = await NoDataAnswersAsync(database.ConnectionString);
        await using (var c = new NpgsqlConnection(database.ConnectionString))
        {
            await c.OpenAsync();
            await using var drop = new NpgsqlCommand("DROP TABLE gtfs_stops", c);
            await drop.ExecuteNonQueryAsync();
        }

        await NoDataAnswersAsync(database.ConnectionString);

        // With the table there but empty, the ATLAS side is still counted.
        Assert.Equal(1, empty.GetProperty("atlas_stops").GetProperty("total").GetInt64());
    }

    // Summary says "no data" with a flag, the map is empty, search and popup find nothing; returns the summary.
    private async Task<JsonElement> NoDataAnswersAsync(string connectionString)
    {
        await using var app = new StopSyncAppFactory(StopSyncAppFactory.DefaultSettings(connectionString, fixture.Prefix));
        using var client = app.CreateClient();

        var summary = await GetJsonAsync(client, $"{Api}/summary");
        var map = await GetJsonAsync(client, $"{Api}/map?min_lat=46&min_lon=7&max_lat=48&max_lon=9&zoom=12");
        await GetProblemAsync(client, $"{Api}/search?search_kind=stop_id&search_value=8503000:0:1", HttpStatusCode.NotFound);
        await GetProblemAsync(client, $"{Api}/popup?entity_type=gtfs&id=8503000:0:1", HttpStatusCode.NotFound);

        Assert.False(summary.GetProperty("available").GetBoolean());
        Assert.Equal("No GTFS identity data in the live dataset.", summary.Text("message"));
        Assert.Equal(0, summary.GetProperty("gtfs_stops").GetProperty("total").GetInt64());
        Assert.Empty(map.GetProperty("gtfs_stops").EnumerateArray());
        Assert.Empty(map.GetProperty("matches").EnumerateArray());
        return summary;
    }

    [GeneratedRegex("<script[^>]*>")]
    private static partial Regex ScriptTag();
}
