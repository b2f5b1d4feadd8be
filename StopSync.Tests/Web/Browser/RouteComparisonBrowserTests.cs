using Microsoft.Playwright;
using StopSync.Tests.Infrastructure;
using StopSync.Tests.Web.Routes;

namespace StopSync.Tests.Web.Browser;

/// <summary>
/// The route pages in Chromium on the seeded route dataset (<see cref="RouteFixture"/>): the comparison view's aligned
/// rows and highlighted differences, its editor links and picker, and the best candidates of a line card, under the CSP.
/// </summary>
[Collection(RouteGroup.Name)]
public sealed class RouteComparisonBrowserTests(RouteFixture fixture) : IAsyncLifetime
{
    private static readonly PageWaitForFunctionOptions Wait = new() { Timeout = 20_000, PollingInterval = 50 };

    private readonly string _prefix = $"{fixture.HangfirePrefix}browser-{Guid.NewGuid():N}:";
    private BrowserSite _site = null!;

    public async Task InitializeAsync() => _site = await BrowserSite.StartAsync(fixture.ConnectionString, _prefix);

    public async Task DisposeAsync() => await _site.DisposeAsync();

    [Fact]
    public async Task Comparison_ShowsAlignedRows_HighlightsDifferences_AndLinksTheRelation()
    {
        var page = await MapTestPage.OpenAsync(_site.Browser, _site.BaseUrl);

        await page.Page.GotoAsync($"{_site.BaseUrl}/routes/compare?atlas_itinerary_id={RouteFixture.Tram10Out}&osm_itinerary_id={RouteFixture.OsmTram10Out}");
        await page.Page.WaitForFunctionAsync("() => document.getElementById('routeCompare').dataset.loaded === 'true'", null, Wait);
        var statuses = await page.Page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#compareTable tbody tr')].map(r => r.dataset.status)");
        var cells = await page.Page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('#compareTable tbody tr')].map(r => [...r.querySelectorAll('.call-label')].map(c => c.textContent).join('|'))");
        var missingBackground = await page.Page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('tr.row-missing_in_osm td')).backgroundColor");
        var sameBackground = await page.Page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('tr.row-same td')).backgroundColor");
        var badge = await page.Page.Locator("tr.row-extra_in_osm .status-badge").TextContentAsync();
        var summary = await page.Page.Locator("#compareSummary").InnerTextAsync();
        var josm = await page.Page.Locator(".compare-head a[data-link='josm']").GetAttributeAsync("href");
        var id = await page.Page.Locator(".compare-head a[data-link='id']").GetAttributeAsync("href");
        var relation = await page.Page.Locator(".compare-head a[data-link='relation']").GetAttributeAsync("href");

        Assert.Equal(["same", "out_of_order", "same", "missing_in_osm", "out_of_order", "extra_in_osm", "other_platform"], statuses);
        Assert.Equal(["Zürich HB|Zürich HB", "Stadelhofen", "Bellevue|Bellevue", "Kunsthaus", "Stadelhofen", "Extra Halt", "Bahnhofplatz|Bahnhofplatz"], cells);
        Assert.NotEqual(sameBackground, missingBackground);
        Assert.Equal("Extra in OSM", badge);
        Assert.StartsWith("Stop score 60.0 %", summary, StringComparison.Ordinal);
        Assert.Equal("http://127.0.0.1:8111/load_object?objects=r7001&relation_members=true", josm);
        Assert.Equal("https://www.openstreetmap.org/edit?editor=id&relation=7001", id);
        Assert.Equal("https://www.openstreetmap.org/relation/7001", relation);
        await page.AssertCleanAsync();
    }

    [Fact]
    public async Task Comparison_PickerRanksTheOtherSidesItineraries_AndOpensTheChosenPair()
    {
        var page = await MapTestPage.OpenAsync(_site.Browser, _site.BaseUrl);

        await page.Page.GotoAsync($"{_site.BaseUrl}/routes/compare?atlas_itinerary_id={RouteFixture.Tram10Out}");
        await page.Page.WaitForFunctionAsync("() => document.querySelectorAll('#pickerList a[data-option]').length > 0", null, Wait);
        var first = page.Page.Locator("#pickerList a[data-option]").First;
        var firstId = await first.GetAttributeAsync("data-option");
        await first.ClickAsync();
        await page.Page.WaitForFunctionAsync("() => document.getElementById('routeCompare').dataset.loaded === 'true' && document.querySelectorAll('#compareTable tbody tr').length === 7", null, Wait);

        Assert.Equal(RouteFixture.OsmTram10Out.ToString(System.Globalization.CultureInfo.InvariantCulture), firstId);
        Assert.EndsWith($"atlas_itinerary_id={RouteFixture.Tram10Out}&osm_itinerary_id={RouteFixture.OsmTram10Out}", page.Page.Url, StringComparison.Ordinal);
        await page.AssertCleanAsync();
    }

    [Fact]
    public async Task Comparison_RendersHostileNamesAsText()
    {
        var page = await MapTestPage.OpenAsync(_site.Browser, _site.BaseUrl);

        await page.Page.GotoAsync($"{_site.BaseUrl}/routes/compare?atlas_itinerary_id={RouteFixture.Hostile}");
        await page.Page.WaitForFunctionAsync("() => document.getElementById('routeCompare').dataset.loaded === 'true'", null, Wait);
        var label = await page.Page.Locator("#compareTable .call-label").First.TextContentAsync();
        var injected = await page.Page.EvaluateAsync<int>("() => document.querySelectorAll('#routeCompare img').length");

        Assert.Equal(RouteFixture.XssName, label);
        Assert.Equal(0, injected);
        await page.AssertCleanAsync();
    }

    [Fact]
    public async Task RoutesCard_OpensWithoutScript_AndLoadsTheBestCandidates()
    {
        var page = await MapTestPage.OpenAsync(_site.Browser, _site.BaseUrl);

        await page.Page.GotoAsync($"{_site.BaseUrl}/routes?q=5001");
        var openBefore = await page.Page.EvaluateAsync<bool>("() => document.querySelector('details.route-card').open");
        await page.Page.Locator("details.route-card > summary").ClickAsync();
        await page.Page.WaitForFunctionAsync(
            $"() => document.querySelector('[data-best-for=\"{RouteFixture.Tram10Out}\"]')?.dataset.loaded === 'true'", null, Wait);
        var best = await page.Page.Locator($"[data-best-for='{RouteFixture.Tram10Out}'] a").GetAttributeAsync("href");

        Assert.False(openBefore);
        Assert.Equal($"/routes/compare?atlas_itinerary_id={RouteFixture.Tram10Out}&osm_itinerary_id={RouteFixture.OsmTram10Out}", best);
        await page.AssertCleanAsync();
    }
}
