using System.Net;
using System.Text.Json;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Web;

[Collection(IntegrationGroup.Name)]
public sealed class HealthAndOutageTests(IntegrationFixture fixture)
{
    [Fact]
    public async Task Health_ReportsDatabaseAndRedisSeparately_WithoutVersions_WhenBothAreUp()
    {
        using var client = fixture.Factory.CreateClient();

        var response = await client.GetAsync("/health");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var checks = json.RootElement.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("redis").GetProperty("status").GetString());
        // The answer is public: server versions would tell an attacker which vulnerabilities to try.
        Assert.Equal("PostgreSQL with PostGIS is reachable", checks.GetProperty("database").GetProperty("description").GetString());
        Assert.Equal("Redis is reachable", checks.GetProperty("redis").GetProperty("description").GetString());
    }

    [Fact]
    public async Task Docs_StayReadable_WhenDatabaseAndRedisAreDown()
    {
        await using var factory = DownFactory();
        using var client = factory.CreateClient();

        var index = await client.GetAsync("/docs");
        var page = await client.GetAsync("/docs/pipeline");

        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Contains("Introduction", await index.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("The pipeline", html, StringComparison.Ordinal);
        Assert.Contains("Data status unavailable", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_Answers503AndNamesBothOutages_WhenDatabaseAndRedisAreDown()
    {
        await using var factory = DownFactory();
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/health");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var checks = json.RootElement.GetProperty("checks");
        Assert.Equal("Unhealthy", checks.GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("Unhealthy", checks.GetProperty("redis").GetProperty("status").GetString());
    }

    /// <summary>The web app pointed at ports where nothing listens.</summary>
    private static StopSyncAppFactory DownFactory()
    {
        var settings = StopSyncAppFactory.DefaultSettings("Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none;Timeout=2", "stopsync-test:down:");
        settings["ConnectionStrings:Redis"] = "127.0.0.1:1,abortConnect=false,connectTimeout=1000";
        return new StopSyncAppFactory(settings);
    }
}
