using Microsoft.Playwright;
using StopSync.Tests.Infrastructure;
using StopSync.Tests.Web.Api.Problems;

namespace StopSync.Tests.Web.Browser;

/// <summary>The problems page in Chromium on <see cref="RouteProblemsFixture"/>: a route problem shows its line and links.</summary>
public sealed class RouteProblemsBrowserTests(RouteProblemsFixture fixture) : IClassFixture<RouteProblemsFixture>, IAsyncLifetime
{
    private static readonly PageWaitForFunctionOptions Wait = new() { Timeout = 20_000, PollingInterval = 50 };

    private readonly string _prefix = $"stopsync-test:{Guid.NewGuid():N}:";
    private BrowserSite _site = null!;

    public async Task InitializeAsync() => _site = await BrowserSite.StartAsync(fixture.ConnectionString, _prefix);

    public async Task DisposeAsync() => await _site.DisposeAsync();

    [Fact]
    public async Task RouteProblem_ShowsItsLine_WithLinksToTheRoutesPageTheMapAndTheComparison_AndTheTypeFilterCountsIt()
    {
        var page = await MapTestPage.OpenAsync(_site.Browser, _site.BaseUrl);
        await page.Page.GotoAsync(_site.BaseUrl + "/problems?problem_type=route_membership,route_metadata");
        await page.Page.WaitForFunctionAsync(
            "() => document.getElementById('problemPanel').dataset.ready === 'true' && document.querySelector('.route-problem')", null, Wait);
        await page.Page.WaitForFunctionAsync(
            "() => document.querySelector(\"input[data-filter='problem-type'][value='route_membership']\")?.parentElement.querySelector('.type-count').textContent !== ''",
            null, Wait);

        // Priority order: stop 4 (P2 membership) before stop 1 (P3 metadata).
        var box = page.Page.Locator("article[data-problem-key='k-route-mem-4'] .route-problem");
        var text = await box.InnerTextAsync();
        var links = await box.Locator("a").EvaluateAllAsync<string[]>("links => links.map(a => `${a.dataset.link} ${a.getAttribute('href')}`)");
        var label = await page.Page.Locator("article[data-problem-key='k-route-mem-4'] .problem-select strong").TextContentAsync();
        var count = await page.Page.Locator("input[data-filter='problem-type'][value='route_membership']").Locator("xpath=..").Locator(".type-count").TextContentAsync();
        // The buttons' own disabled flags (a visitor's fieldset disables all of them besides): a pair ruling is off for a line.
        var ownDisabled = await page.Page.EvaluateAsync<bool[]>(
            "() => ['not_same_stop', 'osm_wrong'].map(k => document.querySelector(`button.decision[data-kind='${k}']`).disabled)");
        await page.Page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "stopsync-route-problem.png"), FullPage = true });

        Assert.Equal("Line stops differ", label);
        Assert.Contains("91-7", text, StringComparison.Ordinal);
        Assert.Contains("route_master:70", text, StringComparison.Ordinal);
        Assert.Contains("Missing in the OSM route", text, StringComparison.Ordinal);
        Assert.Equal([
            "route-page /routes?q=91-7", "route-filter /?route=91-7", "route-compare /routes/compare?atlas_itinerary_id=111&osm_itinerary_id=211",
        ], links);
        Assert.Equal("1 (1 open)", count);
        Assert.Equal([true, false], ownDisabled);
        await page.AssertCleanAsync();
    }
}
