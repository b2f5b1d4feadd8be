using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using StopSync.Data.Status;
using StopSync.Tests.Infrastructure;
using StopSync.Web.Pages.Routes;

namespace StopSync.Tests.Web.Routes;

/// <summary>The route pages' 503s: blocking maintenance (before any database access) and tables held by a publication.</summary>
[Collection(RouteGroup.Name)]
public sealed class RouteGuardTests(RouteFixture fixture)
{
    private const string DatabaseDown = "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none;Timeout=2";

    [Theory]
    [InlineData("/routes")]
    [InlineData("/routes/non-gtfs")]
    [InlineData("/routes/compare?atlas_itinerary_id=11")]
    public async Task RoutePages_Answer503WithRetryAfter_DuringBlockingMaintenance_WithoutTheDatabase(string url)
    {
        // A closed database port: any read before the maintenance check would fail differently.
        await using var site = await MaintenanceSiteAsync(DatabaseDown);
        using var client = site.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("30", response.Headers.RetryAfter?.ToString());
        Assert.Contains(RouteGuard.MaintenanceMessage, html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"chip\">stop_matching</span>", html, StringComparison.Ordinal);
        Assert.Contains("<title>Data update in progress", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/routes/comparison?atlas_itinerary_id=11")]
    [InlineData("/api/routes/comparison/options?source=osm")]
    [InlineData("/api/routes/comparison/best?itinerary_id=11")]
    [InlineData("/api/routes/comparison/best")]
    public async Task RouteApis_Answer503Json_DuringBlockingMaintenance_WithoutTheDatabase(string url)
    {
        await using var site = await MaintenanceSiteAsync(DatabaseDown);
        using var client = site.CreateClient();

        using var response = await client.GetAsync(url);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("30", response.Headers.RetryAfter?.ToString());
        Assert.Equal(RouteGuard.MaintenanceMessage, json.RootElement.GetProperty("error").GetString());
        Assert.Equal("stop_matching", json.RootElement.GetProperty("phase").GetString());
        Assert.Equal(30, json.RootElement.GetProperty("retry_after_seconds").GetInt32());
    }

    [Fact]
    public async Task OtherPages_AreNotBlocked_DuringMaintenance()
    {
        await using var site = await MaintenanceSiteAsync(fixture.ConnectionString);
        using var client = site.CreateClient();

        using var docs = await client.GetAsync("/docs");
        using var operators = await client.GetAsync("/api/osm_route_operators");

        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Equal(HttpStatusCode.OK, operators.StatusCode);
    }

    [Fact]
    public async Task RoutePagesAndApis_Answer503Busy_WhenAPublicationHoldsTheTables()
    {
        var settings = StopSyncAppFactory.DefaultSettings(fixture.ConnectionString, fixture.HangfirePrefix);
        settings["Routes:LockTimeoutMilliseconds"] = "200";
        await using var site = new StopSyncAppFactory(settings);
        using var client = site.CreateClient();
        await using var holder = new NpgsqlConnection(fixture.ConnectionString);
        await holder.OpenAsync();
        await using var tx = await holder.BeginTransactionAsync();
        await using (var lockTables = new NpgsqlCommand("LOCK TABLE line_families, itineraries IN ACCESS EXCLUSIVE MODE", holder, tx))
        {
            await lockTables.ExecuteNonQueryAsync();
        }

        using var page = await client.GetAsync("/routes");
        var html = await page.Content.ReadAsStringAsync();
        using var api = await client.GetAsync($"/api/routes/comparison?atlas_itinerary_id={RouteFixture.Tram10Out}");
        using var json = JsonDocument.Parse(await api.Content.ReadAsStringAsync());
        using var operators = await client.GetAsync("/api/osm_route_operators");
        await tx.RollbackAsync();
        using var after = await client.GetAsync("/routes");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
        Assert.Equal("30", page.Headers.RetryAfter?.ToString());
        Assert.Contains("Route data is temporarily busy. Please retry shortly.", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, api.StatusCode);
        Assert.Equal("30", api.Headers.RetryAfter?.ToString());
        Assert.Equal("Route data is temporarily busy. Please retry shortly.", json.RootElement.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, operators.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Theory]
    [InlineData(PostgresErrorCodes.LockNotAvailable, false, true)]
    [InlineData(PostgresErrorCodes.QueryCanceled, false, true)]
    [InlineData(PostgresErrorCodes.QueryCanceled, true, false)]
    [InlineData(PostgresErrorCodes.UniqueViolation, false, false)]
    public void IsBusy_IsTrueForLockAndStatementTimeouts_UnlessTheClientLeft(string sqlState, bool aborted, bool expected)
    {
        var inner = new PostgresException("timeout", "ERROR", "ERROR", sqlState);
        using var cancelled = new CancellationTokenSource();
        if (aborted)
        {
            cancelled.Cancel();
        }

        Assert.Equal(expected, RouteGuard.IsBusy(new InvalidOperationException("wrapped", inner), cancelled.Token));
    }

    [Fact]
    public async Task RoutesPage_SaysRouteReviewIsUnavailable_AndTheNavHidesRoutes_WithoutRouteData()
    {
        await using var empty = await RouteFixture.CreateDatabaseAsync();
        await using var site = new StopSyncAppFactory(StopSyncAppFactory.DefaultSettings(empty.ConnectionString, fixture.HangfirePrefix));
        using var client = site.CreateClient();

        using var routes = await client.GetAsync("/routes");
        var html = await routes.Content.ReadAsStringAsync();
        using var docs = await client.GetAsync("/docs");
        var docsHtml = await docs.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, routes.StatusCode);
        Assert.Contains("Route review is unavailable for this dataset.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("routes.js", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/routes\" class=", docsHtml, StringComparison.Ordinal);
    }

    private async Task<StopSyncAppFactory> MaintenanceSiteAsync(string connectionString)
    {
        var settings = StopSyncAppFactory.DefaultSettings(connectionString, fixture.HangfirePrefix);
        settings["Pipeline:KeyPrefix"] = $"{fixture.HangfirePrefix}maintenance-{Guid.NewGuid():N}:";
        var site = new StopSyncAppFactory(settings);
        var store = site.Services.GetRequiredService<PipelineStatusStore>();
        await store.WriteRunDocumentAsync(new PipelineStatusDocument { Status = PipelineStates.Running, Phase = PipelinePhases.StopMatching });
        await store.SetBlockingMaintenanceAsync(true);
        return site;
    }
}
