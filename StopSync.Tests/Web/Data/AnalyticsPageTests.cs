using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Mvc.Testing;
using F = StopSync.Tests.Web.Data.AnalyticsFixture;

namespace StopSync.Tests.Web.Data;

/// <summary>The Analytics tab of the Data page over the seeded statistics rows of <see cref="AnalyticsFixture"/>.</summary>
[Collection(AnalyticsGroup.Name)]
public sealed class AnalyticsPageTests(AnalyticsFixture fixture)
{
    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    public async Task Data_RedirectsTemporarilyToTheAnalyticsTab(string method)
    {
        using var client = fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/data"));

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/data/analytics", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task AnalyticsPage_ShowsTheLiveStatisticsAsCards_UnderTheDataTabs()
    {
        var document = await PageAsync();

        Assert.Equal("Analytics", document.QuerySelector(".page-tabs a[aria-current='page']")?.TextContent);
        // The tabs come right after the page title.
        Assert.Equal("H1", document.QuerySelector(".page-tabs")?.PreviousElementSibling?.TagName);
        Assert.Equal("12,000", Card(document, "atlas_platforms"));
        Assert.Equal("11,500", Card(document, "osm_nodes"));
        Assert.Equal("10,600", Card(document, "atlas_matched"));
        // 10,600 of 12,000.
        Assert.Equal("88.3 %", Card(document, "match_rate"));
        Assert.Equal("10,050", Card(document, "within_50m"));
        Assert.Equal("1,350", Card(document, "problems"));
        Assert.Equal(["P1 120", "P2 700", "P3 530"], document.QuerySelectorAll("[data-card='problems'] .priority").Select(p => p.TextContent));
        Assert.Contains(F.LiveRun.ToString(), document.QuerySelector(".analytics-run")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnalyticsPage_HasATableWithCaptionBesideEachChart_HoldingTheRowsFigures()
    {
        var document = await PageAsync();

        Assert.Equal(
            [["ATLAS platforms", "10,600", "800", "600", "12,000", "88.3 %"], ["OSM nodes", "10,700", "–", "800", "11,500", "93.0 %"]],
            Rows(document, "tableMatching"));
        Assert.Equal(
            [["exact", "9,100", "4.2", "3.1", "12.5"], ["distance_1", "1,200", "18.4", "15.0", "41.7"], ["name", "300", "–", "–", "–"]],
            Rows(document, "tableMethods"));
        Assert.Equal([["ATLAS platforms", "410", "190", "600"], ["OSM nodes", "720", "80", "800"]], Rows(document, "tableUnmatched"));
        // A type name is text, never markup.
        Assert.Equal([["distance", "120", "500", "280", "900"], ["<b>attributes</b>", "0", "200", "250", "450"]], Rows(document, "tableProblems"));
        Assert.Null(document.QuerySelector("#tableProblems b"));
        Assert.Equal([["single", "7,400"], ["osm_pair_uic", "650"]], Rows(document, "tableUnits"));
        foreach (var canvas in document.QuerySelectorAll("#analytics canvas"))
        {
            Assert.Equal("img", canvas.GetAttribute("role"));
            Assert.False(string.IsNullOrWhiteSpace(canvas.GetAttribute("aria-label")));
            Assert.NotNull(canvas.Closest(".analytics-block")!.QuerySelector("table caption"));
        }

        Assert.Equal(9, document.QuerySelectorAll("#analytics canvas").Length);
    }

    [Fact]
    public async Task AnalyticsPage_TrendTable_ListsOnlyPublishedRuns_NewestFirst()
    {
        var document = await PageAsync();

        var runs = document.QuerySelectorAll("#tableTrend tbody tr").Select(r => r.GetAttribute("data-run-id")).ToList();
        Assert.Equal([F.LiveRun.ToString(), F.SecondRun.ToString(), F.FirstRun.ToString()], runs);
        // 2026-12-03 05:10 UTC is 06:10 in Zürich; 9,520 of 11,900 is 80.0 %.
        Assert.Equal(["2026-12-03 06:10", "88.3 %", "10,600", "12,000", "11,500", "120", "700", "530", "1,350"], Rows(document, "tableTrend")[0]);
        Assert.Equal(["2026-12-01 06:10", "80.0 %", "9,520", "11,900", "11,300", "300", "1,000", "700", "2,000"], Rows(document, "tableTrend")[2]);
    }

    [Fact]
    public async Task AnalyticsPage_LoadsChartJsBeforeTheChartModule_AndPointsItAtTheApi()
    {
        var document = await PageAsync();

        // Static assets carry a fingerprint in their name (chart.umd.min.<hash>.js).
        var scripts = document.QuerySelectorAll("script[src]").Select(s => s.GetAttribute("src")!).ToList();
        var chart = scripts.FindIndex(s => s.StartsWith("/lib/chart.js/chart.umd.min.", StringComparison.Ordinal));
        var module = scripts.FindIndex(s => s.StartsWith("/js/data/analytics.", StringComparison.Ordinal));
        Assert.True(chart >= 0 && chart < module, string.Join(", ", scripts));
        Assert.Equal("/api/analytics?scope=all", document.QuerySelector("#analytics")!.GetAttribute("data-api"));
    }

    [Fact]
    public async Task AnalyticsPage_KeepsThePipelineCardAndRunTable()
    {
        var document = await PageAsync();

        Assert.NotNull(document.QuerySelector("#pipelineTimeline"));
        Assert.Contains(document.QuerySelectorAll("h2"), h => h.TextContent == "Pipeline runs");
    }

    [Fact]
    public async Task AnalyticsPage_BeforeTheFirstPublication_ExplainsThatThereAreNoStatisticsYet()
    {
        using var client = fixture.EmptyFactory.CreateClient();

        using var response = await client.GetAsync("/data/analytics");
        var document = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("empty", document.QuerySelector("#analytics")?.GetAttribute("data-state"));
        Assert.Contains("No statistics yet", document.QuerySelector("#analytics")!.TextContent, StringComparison.Ordinal);
        Assert.Empty(document.QuerySelectorAll("#analytics canvas"));
        Assert.DoesNotContain(document.QuerySelectorAll("script[src]"), s => s.GetAttribute("src")!.Contains("chart", StringComparison.Ordinal));
        Assert.Contains("No dataset has been published yet", document.Body!.TextContent, StringComparison.Ordinal);
    }

    private async Task<IDocument> PageAsync()
    {
        using var client = fixture.Factory.CreateClient();
        return new HtmlParser().ParseDocument(await client.GetStringAsync("/data/analytics"));
    }

    private static string? Card(IDocument document, string name) =>
        document.QuerySelector($"[data-card='{name}'] .value")?.TextContent.Trim();

    private static List<List<string>> Rows(IDocument document, string tableId) =>
        [.. document.QuerySelectorAll($"#{tableId} tbody tr").Select(r => r.Children.Select(c => c.TextContent.Trim()).ToList())];
}
