using Microsoft.Playwright;
using StopSync.Tests.Infrastructure;
using StopSync.Tests.Web.Browser;

namespace StopSync.Tests.Web.Data;

/// <summary>The Analytics tab in Chromium: every canvas gets a Chart.js chart from /api/analytics, without console errors or CSP violations.</summary>
[Collection(AnalyticsGroup.Name)]
public sealed class AnalyticsBrowserTests(AnalyticsFixture fixture)
{
    private static readonly PageWaitForFunctionOptions Wait = new() { Timeout = 20_000, PollingInterval = 50 };

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task AnalyticsPage_DrawsEveryChart_AndKeepsTheTables(int width, int height)
    {
        await using var app = new StopSyncAppFactory(StopSyncAppFactory.DefaultSettings(fixture.ConnectionString, fixture.Prefix + "browser:"));
        var baseUrl = app.StartKestrel();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await TestBrowser.LaunchAsync(playwright);
        var page = await MapTestPage.OpenAsync(browser, baseUrl, new ViewportSize { Width = width, Height = height });

        // Through the section's address, as the navigation bar links it.
        await page.Page.GotoAsync(baseUrl + "/data");
        await page.Page.WaitForFunctionAsync("() => document.getElementById('analytics')?.dataset.charts === 'drawn'", null, Wait);
        var url = page.Page.Url;
        var canvases = await page.Page.EvaluateAsync<int>("() => document.querySelectorAll('#analytics canvas').length");
        var drawn = await page.Page.EvaluateAsync<int>("() => Number(document.getElementById('analytics').dataset.chartCount)");
        // A chart per canvas, each with pixels: Chart.js sizes the canvas to its box.
        var charted = await page.Page.EvaluateAsync<int>(
            "() => [...document.querySelectorAll('#analytics canvas')].filter(c => Chart.getChart(c) && c.width > 0 && c.height > 0).length");
        var trendPoints = await page.Page.EvaluateAsync<int>("() => Chart.getChart(document.getElementById('chartTrendRate')).data.labels.length");
        var problemSeries = await page.Page.EvaluateAsync<int[]>(
            "() => Chart.getChart(document.getElementById('chartProblems')).data.datasets.find(d => d.label === 'P1').data");
        var exactPairs = await page.Page.Locator("#tableMethods tr[data-method='exact'] td").First.TextContentAsync();
        // No part of the page is wider than the screen.
        var overflow = await page.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth");

        Assert.EndsWith("/data/analytics", url, StringComparison.Ordinal);
        Assert.Equal(9, canvases);
        Assert.Equal(9, drawn);
        Assert.Equal(9, charted);
        Assert.Equal(3, trendPoints);
        Assert.Equal([120, 0], problemSeries);
        Assert.Equal("9,100", exactPairs);
        Assert.False(overflow, "the page scrolls sideways");
        await page.AssertCleanAsync();
    }
}
