using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Web.Browser;

/// <summary>The real site on Kestrel, driven by Debian's Chromium through Playwright (no browser download).</summary>
[Collection(IntegrationGroup.Name)]
public sealed class MapBrowserTests(IntegrationFixture fixture)
{
    [Fact]
    public async Task MapPage_DrawsTheDemoStopsAsMarkers_WithoutATileServer()
    {
        await using var factory = new StopSyncAppFactory(StopSyncAppFactory.DefaultSettings(fixture.ConnectionString, fixture.HangfirePrefix));
        var baseUrl = factory.StartKestrel();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await TestBrowser.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add($"{message.Text} ({message.Location})");
            }
        };

        await page.GotoAsync(baseUrl + "/");
        await page.WaitForFunctionAsync("() => window.mapReady === true", null, new PageWaitForFunctionOptions { Timeout = 20_000 });
        var markers = await page.Locator(".stop-marker").CountAsync();
        var unmatched = await page.Locator(".stop-atlas_unmatched, .stop-osm_unmatched").CountAsync();
        var status = await page.Locator("#mapStatus").TextContentAsync();
        var zoomControl = await page.Locator(".leaflet-control-zoom-in").CountAsync();
        var tiles = await page.Locator(".leaflet-tile").CountAsync();

        Assert.True(markers > 10, $"expected the Zürich demo stops on the map, saw {markers} markers");
        Assert.True(unmatched > 0, "unmatched stops are drawn too");
        Assert.Matches(@"^\d+ stops in view$", status);
        Assert.Equal(1, zoomControl);
        Assert.Equal(0, tiles);
        Assert.Empty(errors);
    }
}
