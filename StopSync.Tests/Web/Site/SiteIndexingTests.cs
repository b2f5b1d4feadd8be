using System.Net;
using System.Xml.Linq;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.DependencyInjection;
using StopSync.Tests.Infrastructure;
using StopSync.Web.Pages.Docs;

namespace StopSync.Tests.Web.Site;

/// <summary>docs/08-site.md, "Search engines": robots.txt, sitemap.xml, canonical links, robots meta and X-Robots-Tag.</summary>
[Collection(IntegrationGroup.Name)]
public sealed class SiteIndexingTests(IntegrationFixture fixture) : IAsyncLifetime
{
    private const string BaseUrl = "https://stops.example.test";
    private static readonly XNamespace Sitemap = "http://www.sitemaps.org/schemas/sitemap/0.9";
    private StopSyncAppFactory _factory = null!;

    public Task InitializeAsync()
    {
        var settings = StopSyncAppFactory.DefaultSettings(fixture.ConnectionString, fixture.HangfirePrefix);
        // A trailing slash is tolerated: the addresses must not get a double one.
        settings["Site:BaseUrl"] = BaseUrl + "/";
        _factory = new StopSyncAppFactory(settings);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task RobotsTxt_AllowsAllButTheApi_PointsAtTheSitemap_AndIsCachedForAnHour()
    {
        using var client = _factory.CreateClient();

        var response = await client.GetAsync("/robots.txt");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("public, max-age=3600", response.Headers.CacheControl!.ToString());
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["User-agent: *", "Allow: /", "Disallow: /api/", $"Sitemap: {BaseUrl}/sitemap.xml"], lines);
    }

    [Fact]
    public async Task RobotsTxt_NamesTheRequestsHost_WhenNoBaseUrlIsConfigured()
    {
        using var client = fixture.Factory.CreateClient();

        var text = await client.GetStringAsync("/robots.txt");

        Assert.Contains("Sitemap: http://localhost/sitemap.xml\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sitemap_ListsTheMainPagesAndEveryDocsPage_AsAbsoluteUrls()
    {
        using var client = _factory.CreateClient();

        var response = await client.GetAsync("/sitemap.xml");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/xml", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("public, max-age=3600", response.Headers.CacheControl!.ToString());
        var document = XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(Sitemap + "urlset", document.Root!.Name);
        var urls = document.Root.Elements(Sitemap + "url").Select(u => (string)u.Element(Sitemap + "loc")!).ToList();
        var slugs = _factory.Services.GetRequiredService<DocsCatalog>().Pages().Select(p => p.Slug).ToList();
        Assert.Contains("history", slugs);
        string[] main =
        [
            "/", "/problems", "/routes", "/routes/non-gtfs", "/routes/gtfs-stop-id-sloid", "/operators",
            "/data/analytics", "/data/export", "/data/changes",
        ];
        Assert.Equal([.. main.Select(p => BaseUrl + p), .. slugs.Select(s => $"{BaseUrl}/docs/{s}")], urls);
    }

    [Theory]
    [InlineData("/problems")]
    [InlineData("/docs/running")]
    public async Task IndexablePage_IsIndexed_WithItsCanonicalUrl(string path)
    {
        var (response, page) = await PageAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("index,follow", RobotsMeta(page));
        Assert.Equal(BaseUrl + path, Canonical(page));
        Assert.False(response.Headers.Contains("X-Robots-Tag"));
    }

    [Fact]
    public async Task IndexablePage_WithAQuery_IsFollowedButNotIndexed_AndCanonicalDropsTheQuery()
    {
        var (response, page) = await PageAsync("/docs/running?from=search");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("noindex,follow", RobotsMeta(page));
        Assert.Equal(BaseUrl + "/docs/running", Canonical(page));
    }

    [Theory]
    [InlineData("/map")]
    [InlineData("/account/login")]
    public async Task OtherPage_IsFollowedButNotIndexed(string path)
    {
        var (response, page) = await PageAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("noindex,follow", RobotsMeta(page));
        Assert.Equal(BaseUrl + path, Canonical(page));
    }

    [Theory]
    [InlineData("/no-such-page")]
    [InlineData("/docs/no-such-doc")]
    public async Task NotFoundPage_IsNeitherIndexedNorFollowed_AndCarriesTheRobotsHeader(string path)
    {
        var (response, page) = await PageAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("noindex,nofollow", RobotsMeta(page));
        Assert.Null(page.QuerySelector("link[rel=canonical]"));
        Assert.Equal("noindex, nofollow", string.Join(",", response.Headers.GetValues("X-Robots-Tag")));
    }

    [Theory]
    [InlineData("/api/system/pipeline_status", HttpStatusCode.OK)]
    [InlineData("/api/data?bbox=nonsense", HttpStatusCode.BadRequest)]
    [InlineData("/api/no-such-endpoint", HttpStatusCode.NotFound)]
    public async Task ApiResponse_CarriesTheRobotsHeader(string url, HttpStatusCode status)
    {
        using var client = _factory.CreateClient();

        var response = await client.GetAsync(url);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("noindex, nofollow", string.Join(",", response.Headers.GetValues("X-Robots-Tag")));
    }

    [Theory]
    [InlineData("stops.example.test")]
    [InlineData("ftp://stops.example.test")]
    [InlineData("https://stops.example.test/?lang=de")]
    public async Task App_RefusesToStart_WithABaseUrlThatIsNoHttpAddress(string value)
    {
        var settings = StopSyncAppFactory.DefaultSettings(fixture.ConnectionString, fixture.HangfirePrefix);
        settings["Site:BaseUrl"] = value;
        await using var factory = new StopSyncAppFactory(settings);

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("Site:BaseUrl", error.ToString(), StringComparison.Ordinal);
    }

    private async Task<(HttpResponseMessage Response, IHtmlDocument Page)> PageAsync(string path)
    {
        using var client = _factory.CreateClient();
        var response = await client.GetAsync(path);
        var page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        return (response, page);
    }

    private static string? RobotsMeta(IHtmlDocument page) =>
        Assert.Single(page.QuerySelectorAll("meta[name=robots]")).GetAttribute("content");

    private static string? Canonical(IHtmlDocument page) =>
        Assert.Single(page.QuerySelectorAll("link[rel=canonical]")).GetAttribute("href");
}
