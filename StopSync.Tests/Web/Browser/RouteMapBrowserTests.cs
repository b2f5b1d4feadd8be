using Microsoft.Playwright;
using StopSync.Tests.Infrastructure;
using StopSync.Tests.Web.Api;

namespace StopSync.Tests.Web.Browser;

/// <summary>
/// The map's lines in Chromium on the stop card fixture's dataset (its route rows): the card's "Lines calling here", its
/// "Show on map" that filters the map by the line, and the line in the search box. No console error, dialog or CSP
/// violation may happen.
/// </summary>
[Collection(StopCardGroup.Name)]
public sealed class RouteMapBrowserTests(StopCardFixture fixture) : IAsyncLifetime
{
    private static readonly PageWaitForFunctionOptions Wait = new() { Timeout = 20_000, PollingInterval = 50 };

    private readonly string _prefix = $"stopsync-test:{Guid.NewGuid():N}:";
    private BrowserSite _site = null!;

    public async Task InitializeAsync() => _site = await BrowserSite.StartAsync(fixture.ConnectionString, _prefix);

    public async Task DisposeAsync() => await _site.DisposeAsync();

    [Fact]
    public async Task StopCard_ListsItsLines_AndShowOnMap_ReducesTheMarkersToTheLinesStops_WithTheFilterInTheUrl()
    {
        var map = await MapTestPage.OpenAsync(_site.Browser, _site.BaseUrl);
        await map.GotoAsync("/#15/47.3725/8.5440");

        await map.SearchAsync("ch:1:sloid:3000:0:1");
        await map.WaitForCardAsync("sloid", "ch:1:sloid:3000:0:1");
        var atlasLines = map.Page.Locator("#stopCard .atlas-side li.line");
        var lineIds = await atlasLines.EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.line)");
        var tram = map.Page.Locator("#stopCard .atlas-side li.line[data-line='91-10-A']");
        var tramText = await tram.TextContentAsync();
        var busHead = await map.Page.Locator("#stopCard .atlas-side li.line[data-line='92-33'] .line-head").TextContentAsync();
        var osmLine = await map.Page.Locator("#stopCard .osm-side li.line").TextContentAsync();
        var injected = await map.Page.Locator("img[src='x']").CountAsync();
        var routePage = await tram.Locator("a[data-link='route-page']").GetAttributeAsync("href");

        Assert.Equal(["92-33", "91-10-A"], lineIds);
        Assert.Contains("→ Bellevue (direction 0)", tramText, StringComparison.Ordinal);
        Assert.Contains("→ Zürich HB (direction 1), itinerary not matched", tramText, StringComparison.Ordinal);
        Assert.Contains("Matched to OSM 10 91-10-A", tramText, StringComparison.Ordinal);
        // A line name holding markup is shown as text and runs nothing.
        Assert.Contains(StopCardFixture.XssName, busHead, StringComparison.Ordinal);
        Assert.Equal(0, injected);
        Assert.Contains("Matched to ATLAS 10 91-10-A", osmLine, StringComparison.Ordinal);
        Assert.Equal("/routes?q=91-10-A", routePage);

        await map.Page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "stopsync-route-card.png") });
        var renders = await map.RenderCountAsync();
        await tram.Locator("a[data-link='route-filter']").ClickAsync();
        await map.WaitForRenderAfterAsync(renders);
        // The filter loads at once; the view then fits the line's stops and loads again.
        await map.Page.WaitForFunctionAsync("() => Number(document.getElementById('map').dataset.markers) === 10", null, Wait);
        var chips = await map.Page.Locator("#filterChips .filter-chip").AllTextContentsAsync();
        var lineField = await map.Page.Locator("input[data-filter='route']").InputValueAsync();
        await map.Page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "stopsync-route-filter.png") });

        // The tram's 4 SLOIDs and the 6 OSM elements of their rows: nothing else of Zürich.
        Assert.Equal(10, await map.MarkerCountAsync());
        Assert.Contains("route=91-10-A", map.Page.Url, StringComparison.Ordinal);
        Assert.Equal(["Line: 91-10-A ×"], chips);
        Assert.Equal("91-10-A", lineField);

        // The address restores the filter (the card closed first, or its stop would take the view); removing the chip
        // shows every stop again.
        await map.Page.ClickAsync("#stopCardClose");
        await map.GotoAsync(map.Page.Url[_site.BaseUrl.Length..]);
        Assert.Equal(10, await map.MarkerCountAsync());
        renders = await map.RenderCountAsync();
        await map.Page.Locator("#filterChips .filter-chip").ClickAsync();
        await map.WaitForRenderAfterAsync(renders);
        Assert.True(await map.MarkerCountAsync() > 10);
        Assert.DoesNotContain("route=", map.Page.Url, StringComparison.Ordinal);
        await map.AssertCleanAsync();
    }

    [Fact]
    public async Task SearchBox_TakesALine_FiltersByIt_AndOpensItsFirstStop_AndTheModulesParseRouteTokens()
    {
        var map = await MapTestPage.OpenAsync(_site.Browser, _site.BaseUrl);
        await map.GotoAsync("/#15/47.3725/8.5440");

        await map.SearchAsync("route:91-10-A dir:1");
        await map.WaitForCardAsync("sloid", "ch:1:sloid:3200:0:2");
        await map.Page.WaitForFunctionAsync("() => new URL(location.href).searchParams.get('route') === '91-10-A dir:1'", null, Wait);
        var chips = await map.Page.Locator("#filterChips .filter-chip").AllTextContentsAsync();
        await map.SearchAsync("route:99-99");
        await map.Page.WaitForFunctionAsync("() => document.getElementById('searchMessage').textContent.startsWith('No route found')", null, Wait);
        var message = await map.Page.Locator("#searchMessage").TextContentAsync();

        var parsed = await map.Page.EvaluateAsync<string[]>(
            """
            async () => {
              const { parseQuery } = await import('/js/map/search-parse.js');
              const f = await import('/js/map/filters.js');
              const tokens = ['route:S3', 'route: S 3 dir:0', '91-10-A', '91-10-A-j26-1 dir:1', 'Bern-Wankdorf', '8503000']
                .map((q) => { const p = parseQuery(q); return p.kind === 'id' ? `${p.identifierType} ${p.identifier}` : p.kind; });
              const trip = f.toParams(f.fromParams(new URLSearchParams('route=route%3A91-10-A+dir%3A0&canton=ZH'))).toString();
              return [...tokens, trip];
            }
            """);

        Assert.Equal(["Line: 91-10-A (direction 1) ×"], chips);
        Assert.Equal("No route found matching: route:99-99", message);
        // The failed line took its filter back: the one before stays.
        Assert.Contains("route=91-10-A+dir%3A1", map.Page.Url, StringComparison.Ordinal);
        Assert.Equal([
            "route S3", "route S 3 dir:0", "route 91-10-A", "route 91-10-A-j26-1 dir:1", "text", "station 8503000",
            "canton=ZH&route=91-10-A+dir%3A0",
        ], parsed);
        await map.AssertCleanAsync();
    }
}
