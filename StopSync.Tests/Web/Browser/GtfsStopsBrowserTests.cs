using Microsoft.Playwright;
using StopSync.Tests.Infrastructure;
using StopSync.Tests.Web.Routes.GtfsStops;
using F = StopSync.Tests.Web.Routes.GtfsStops.GtfsStopsFixture;

namespace StopSync.Tests.Web.Browser;

/// <summary>The GTFS stop_id ↔ SLOID map in Chromium over the hand-made GTFS stops of <see cref="GtfsStopsFixture"/>.</summary>
[Collection(GtfsStopsGroup.Name)]
public sealed class GtfsStopsBrowserTests(GtfsStopsFixture fixture)
{
    // Painted pixels of the marker canvas that are the topmost element where they are: markers a base layer or another
    // pane covers would count as drawn (the dataset counts) but not here.
    private const string VisibleMarkerPixels = """
        () => {
          const canvas = document.querySelector('.leaflet-gtfsMarkers-pane canvas');
          if (!canvas) return 0;
          const { width, height } = canvas;
          const data = canvas.getContext('2d').getImageData(0, 0, width, height).data;
          const rect = canvas.getBoundingClientRect();
          let visible = 0;
          let checked = 0;
          for (let y = 0; y < height && checked < 200; y += 1) {
            for (let x = 0; x < width && checked < 200; x += 1) {
              if (data[(y * width + x) * 4 + 3] < 250) continue;
              const px = rect.left + x * rect.width / width;
              const py = rect.top + y * rect.height / height;
              if (px < 0 || py < 0 || px >= innerWidth || py >= innerHeight) continue;
              checked += 1;
              if (document.elementFromPoint(px, py) === canvas) visible += 1;
            }
          }
          return visible;
        }
        """;

    private static readonly PageWaitForFunctionOptions Wait = new() { Timeout = 20_000, PollingInterval = 50 };

    [Fact]
    public async Task Page_DrawsStopsAndTheSummary_AndASloidSearchOpensItsPopup_WithNamesAsText()
    {
        await using var app = new StopSyncAppFactory(StopSyncAppFactory.DefaultSettings(fixture.ConnectionString, fixture.Prefix));
        var baseUrl = app.StartKestrel();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await TestBrowser.LaunchAsync(playwright);
        var map = await MapTestPage.OpenAsync(browser, baseUrl);
        var page = map.Page;

        await page.GotoAsync(baseUrl + "/routes/gtfs-stop-id-sloid");
        await page.WaitForFunctionAsync("() => document.getElementById('gtfsMap').dataset.loaded === 'true'", null, Wait);
        await page.Locator("#gtfsSummaryBody li[data-figure='gtfs']").WaitForAsync();
        var gtfsMarkers = await page.EvaluateAsync<int>("() => Number(document.getElementById('gtfsMap').dataset.gtfsMarkers)");
        var atlasMarkers = await page.EvaluateAsync<int>("() => Number(document.getElementById('gtfsMap').dataset.atlasMarkers)");
        var lines = await page.EvaluateAsync<int>("() => Number(document.getElementById('gtfsMap').dataset.lines)");
        var summary = await page.Locator("#gtfsSummaryBody li[data-figure='gtfs']").TextContentAsync();
        var tab = await page.Locator(".route-tabs a[aria-current='page']").TextContentAsync();
        var visibleMarkerPixels = await page.EvaluateAsync<int>(VisibleMarkerPixels);

        await page.FillAsync("#gtfsSearchInput", F.ZurichSloid1);
        await page.PressAsync("#gtfsSearchInput", "Enter");
        var atlasPopup = page.Locator($".gtfs-popup[data-entity-type='atlas'][data-id='{F.ZurichSloid1}'][data-state='ready']");
        await atlasPopup.WaitForAsync(new LocatorWaitForOptions { Timeout = 20_000 });
        var atlasText = await atlasPopup.TextContentAsync() ?? "";
        var imagesInPopup = await page.Locator(".gtfs-popup img").CountAsync();

        // From the platform's popup to the stop resolved to it, whose name is markup.
        await atlasPopup.Locator($"button[data-jump='gtfs:{F.ZurichStop1}']").ClickAsync();
        var gtfsPopup = page.Locator($".gtfs-popup[data-entity-type='gtfs'][data-id='{F.ZurichStop1}'][data-state='ready']");
        await gtfsPopup.WaitForAsync(new LocatorWaitForOptions { Timeout = 20_000 });
        var gtfsTitle = await gtfsPopup.Locator("h3").TextContentAsync();
        var gtfsText = await gtfsPopup.TextContentAsync() ?? "";

        Assert.Equal(5, gtfsMarkers);
        Assert.Equal(4, atlasMarkers);
        Assert.Equal(3, lines);
        Assert.True(visibleMarkerPixels > 0, "the markers are drawn but hidden under another layer");
        Assert.StartsWith("GTFS stops: 5,187, resolved 65", summary, StringComparison.Ordinal);
        Assert.Equal("GTFS stops ↔ SLOIDs", tab);
        Assert.Contains("ATLAS platform · reached by a stop_id", atlasText, StringComparison.Ordinal);
        Assert.Contains($"{F.ZurichStop1} {F.XssName} (platform 1) · original_stop_id = SLOID", atlasText, StringComparison.Ordinal);
        Assert.Equal(0, imagesInPopup);
        Assert.Equal(F.XssName, gtfsTitle);
        Assert.Contains("Confidence1.00", gtfsText, StringComparison.Ordinal);
        Assert.Contains($"Resolved to (1){F.ZurichSloid1}", gtfsText, StringComparison.Ordinal);
        Assert.Equal("Found 1 ATLAS platform and 0 GTFS stops.", await page.Locator("#gtfsSearchMessage").TextContentAsync());
        await map.AssertCleanAsync();
    }
}
