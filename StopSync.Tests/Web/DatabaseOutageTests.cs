using System.Net;
using System.Text.Json;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Web;

/// <summary>
/// The site with PostgreSQL unreachable (a closed port; the shared server is never touched): the API answers
/// problem documents, pages say the data is temporarily unavailable, the docs keep working.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class DatabaseOutageTests(IntegrationFixture fixture)
{
    private const string ZurichBox = "8.50,47.35,8.58,47.40";

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task StopsApi_Answers503ProblemJson_WhenTheDatabaseIsDown(string environment)
    {
        await using var factory = DatabaseDownFactory(environment);
        using var client = factory.CreateClient();

        var response = await client.GetAsync($"/api/stops?bbox={ZurichBox}");
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("Data temporarily unavailable", problem.RootElement.GetProperty("title").GetString());
        Assert.Contains("database", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopsApi_StillAnswers400ForBadParameters_WhenTheDatabaseIsDown()
    {
        await using var factory = DatabaseDownFactory("Development");
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/api/stops?bbox=1,2,3");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/api/no-such-endpoint", HttpStatusCode.NotFound)]
    [InlineData("/api/stops", HttpStatusCode.MethodNotAllowed)]
    public async Task Api_AnswersProblemJson_ForEveryErrorStatus(string url, HttpStatusCode expected)
    {
        using var client = fixture.Factory.CreateClient();

        var response = expected == HttpStatusCode.MethodNotAllowed
            ? await client.PostAsync(url, new StringContent(""))
            : await client.GetAsync(url);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)expected, problem.RootElement.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("/problems", "Development")]
    [InlineData("/data/analytics", "Development")]
    [InlineData("/problems", "Production")]
    [InlineData("/data/analytics", "Production")]
    public async Task Page_Answers503WithTheLayoutAndANotice_WhenTheDatabaseIsDown(string url, string environment)
    {
        await using var factory = DatabaseDownFactory(environment);
        using var client = factory.CreateClient();

        var response = await client.GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Data temporarily unavailable", html, StringComparison.Ordinal);
        Assert.Contains(">Docs</a>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Npgsql", html, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Docs_StayReadable_WhenOnlyTheDatabaseIsDown()
    {
        await using var factory = DatabaseDownFactory("Development");
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/docs/running");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Data status unavailable", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerError_IsA500WithoutExceptionText_WhenTheDatabaseAnswersButTheQueryFails()
    {
        // A database without the schema answers every query with an error: a bug in the deployment, not an outage.
        await using var empty = await TestDatabase.CreateAsync();
        var settings = StopSyncAppFactory.DefaultSettings(empty.ConnectionString, fixture.HangfirePrefix);
        settings["environment"] = "Production";
        await using var factory = new StopSyncAppFactory(settings);
        using var client = factory.CreateClient();

        var api = await client.GetAsync($"/api/stops?bbox={ZurichBox}");
        var apiBody = await api.Content.ReadAsStringAsync();
        var page = await client.GetAsync("/problems");
        var pageBody = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("does not exist", apiBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.InternalServerError, page.StatusCode);
        Assert.Contains("Something went wrong", pageBody, StringComparison.Ordinal);
        Assert.DoesNotContain("does not exist", pageBody, StringComparison.Ordinal);
    }

    /// <summary>The web app on the real Redis, its database connection string pointing at a port where nothing listens.</summary>
    private StopSyncAppFactory DatabaseDownFactory(string environment)
    {
        var settings = StopSyncAppFactory.DefaultSettings(
            "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none;Timeout=2", fixture.HangfirePrefix);
        settings["environment"] = environment;
        return new StopSyncAppFactory(settings);
    }
}
