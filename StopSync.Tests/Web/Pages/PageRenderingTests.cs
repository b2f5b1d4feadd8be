using System.Net;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Web.Pages;

[Collection(IntegrationGroup.Name)]
public sealed class PageRenderingTests(IntegrationFixture fixture)
{
    [Theory]
    [InlineData("/", "id=\"map\"")]
    [InlineData("/map", "id=\"map\"")]
    [InlineData("/problems", "<h1>Problems</h1>")]
    [InlineData("/data", "<h1>Data</h1>")]
    [InlineData("/docs", "<h1 id=\"introduction\"")]
    [InlineData("/docs/running", "Two commands")]
    [InlineData("/docs/architecture", "stops_matched")]
    [InlineData("/account/login", "<h1>Sign in</h1>")]
    public async Task Page_RendersWithNavbar_WhenRequested(string url, string expected)
    {
        using var client = fixture.Factory.CreateClient();

        var response = await client.GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(expected, html, StringComparison.Ordinal);
        foreach (var item in (string[])[">Map</a>", ">Problems</a>", ">Data</a>", ">Docs</a>"])
        {
            Assert.Contains(item, html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Navbar_ShowsPublicationTime_WhenADatasetIsPublished()
    {
        using var client = fixture.Factory.CreateClient();

        var html = await client.GetStringAsync("/docs");

        Assert.Matches(@"Data updated: \d{4}-\d{2}-\d{2} \d{2}:\d{2}", html);
    }

    [Fact]
    public async Task ProblemsPage_ListsDistanceProblemsOfThePublishedDataset()
    {
        await using var db = fixture.CreateDbContext();
        var expected = db.Problems.Count(p => p.ProblemType == "distance");
        using var client = fixture.Factory.CreateClient();

        var html = await client.GetStringAsync("/problems?type=distance");

        Assert.True(expected > 0, "the demo dataset has offset platforms, so it must have distance problems");
        Assert.Contains($"{expected} problems of type distance", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProblemsPage_PagesThroughAllProblems()
    {
        await using var db = fixture.CreateDbContext();
        var total = db.Problems.Count();
        using var client = fixture.Factory.CreateClient();

        var first = await client.GetStringAsync("/problems?page=1");
        var second = await client.GetStringAsync("/problems?page=2");

        Assert.True(total > 100, $"the demo dataset must have more than one page of problems; it has {total}");
        Assert.Contains("href=\"/problems?page=2\"", first, StringComparison.Ordinal);
        Assert.Contains("; page 2.", second, StringComparison.Ordinal);
        Assert.NotEqual(RowsOf(first), RowsOf(second));
    }

    [Theory]
    [InlineData("2147483647")]
    [InlineData("99999999999999999999")]
    [InlineData("1000")]
    public async Task ProblemsPage_ShowsTheLastPage_WhenThePageNumberIsBeyondTheEnd(string page)
    {
        await using var db = fixture.CreateDbContext();
        var lastPage = (db.Problems.Count() + 99) / 100;
        using var client = fixture.Factory.CreateClient();

        var response = await client.GetAsync($"/problems?page={page}");
        var html = await response.Content.ReadAsStringAsync();
        var last = await client.GetStringAsync($"/problems?page={lastPage}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"; page {lastPage}.", html, StringComparison.Ordinal);
        Assert.Equal(RowsOf(last), RowsOf(html));
        Assert.DoesNotContain(">Next</a>", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/problems?page=0")]
    [InlineData("/problems?page=-1")]
    [InlineData("/problems?page=1.5")]
    [InlineData("/problems?page=abc")]
    [InlineData("/problems?priority=4")]
    public async Task ProblemsPage_Answers400_ForABadPageOrPriority(string url)
    {
        using var client = fixture.Factory.CreateClient();

        var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task DataPage_ShowsTheRunThatIsPublished()
    {
        await using var db = fixture.CreateDbContext();
        var publication = db.DatasetPublications.Single();
        using var client = fixture.Factory.CreateClient();

        var html = await client.GetStringAsync("/data");

        Assert.Contains(publication.RunId.ToString(), html, StringComparison.Ordinal);
        Assert.Contains("succeeded", html, StringComparison.Ordinal);
    }

    private static string RowsOf(string html) => html[html.IndexOf("<tbody>", StringComparison.Ordinal)..html.IndexOf("</tbody>", StringComparison.Ordinal)];

    [Fact]
    public async Task UnknownDocsPage_Answers404()
    {
        using var client = fixture.Factory.CreateClient();

        var response = await client.GetAsync("/docs/no_such_page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task LeafletAssets_AreServedLocally()
    {
        using var client = fixture.Factory.CreateClient();

        var js = await client.GetAsync("/lib/leaflet/leaflet.js");
        var css = await client.GetAsync("/lib/leaflet/leaflet.css");
        var icon = await client.GetAsync("/lib/leaflet/images/marker-icon.png");

        Assert.Equal(HttpStatusCode.OK, js.StatusCode);
        Assert.Contains("Leaflet 1.9.4", await js.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal(HttpStatusCode.OK, icon.StatusCode);
    }
}
