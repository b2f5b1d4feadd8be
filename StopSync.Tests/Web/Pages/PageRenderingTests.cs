using System.Net;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Web.Pages;

[Collection(IntegrationGroup.Name)]
public sealed class PageRenderingTests(IntegrationFixture fixture)
{
    [Theory]
    [InlineData("/", "id=\"map\"")]
    [InlineData("/map", "id=\"map\"")]
    [InlineData("/problems", "id=\"problemsPage\"")]
    [InlineData("/data/analytics", "<h1>Data</h1>")]
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
    public async Task DataPage_ShowsTheRunThatIsPublished()
    {
        await using var db = fixture.CreateDbContext();
        var publication = db.DatasetPublications.Single();
        using var client = fixture.Factory.CreateClient();

        var html = await client.GetStringAsync("/data/analytics");

        Assert.Contains(publication.RunId.ToString(), html, StringComparison.Ordinal);
        Assert.Contains("succeeded", html, StringComparison.Ordinal);
    }

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
