using System.Globalization;
using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Mvc.Testing;

namespace StopSync.Tests.Web.Operators;

/// <summary>/cantons and /cantons/{code}: the 26 cantons' figures recomputed from the published tables, links and trends.</summary>
[Collection(OwnerGroup.Name)]
public sealed class CantonPagesTests(OwnerFixture fixture)
{
    [Fact]
    public async Task CantonList_ShowsAll26Cantons_WithFiguresEqualToThePublishedTables()
    {
        var document = await GetAsync("/cantons");
        var expected = await fixture.RowsAsync("""
            SELECT canton, count(DISTINCT sloid)::int, count(DISTINCT sloid) FILTER (WHERE stop_type = 'matched')::int,
                   count(*) FILTER (WHERE stop_type = 'osm_unmatched')::int
            FROM stops_matched WHERE canton IS NOT NULL GROUP BY 1
            """);
        var open = await fixture.RowsAsync("""
            SELECT s.canton, p.priority, count(*)::int FROM problems p JOIN stops_matched s ON s.id = p.stop_id
            LEFT JOIN review.decisions d ON d.problem_key = p.problem_key
            WHERE d.id IS NULL GROUP BY 1, 2
            """);

        var rows = document.QuerySelectorAll("tr[data-canton]").ToList();
        Assert.Equal(26, rows.Count);
        Assert.Equal("ZH", rows[0].GetAttribute("data-canton"));
        Assert.Equal("JU", rows[^1].GetAttribute("data-canton"));
        foreach (var row in rows)
        {
            var code = row.GetAttribute("data-canton")!;
            var e = expected.SingleOrDefault(x => (string)x[0]! == code);
            Assert.Equal(e is null ? 0 : (int)e[1]!, OperatorPagesTests.Figure(row, "platforms"));
            Assert.Equal(e is null ? 0 : (int)e[2]!, OperatorPagesTests.Figure(row, "matched"));
            Assert.Equal(e is null ? 0 : (int)e[3]!, OperatorPagesTests.Figure(row, "osm-unmatched"));
            var cell = row.QuerySelector("[data-figure=open-problems]")!;
            for (var priority = 1; priority <= 3; priority++)
            {
                var n = open.Where(o => (string?)o[0] == code && (int)o[1]! == priority).Sum(o => (int)o[2]!);
                Assert.Equal(n.ToString(CultureInfo.InvariantCulture), cell.GetAttribute($"data-p{priority}"));
            }

            Assert.Equal("/?canton=" + code, row.QuerySelector("a[data-link=map]")!.GetAttribute("href"));
            Assert.Equal("/problems?canton=" + code, row.QuerySelector("a[data-link=problems]")!.GetAttribute("href"));
            Assert.Equal("/cantons/" + code, row.QuerySelector("a[data-link=page]")!.GetAttribute("href"));
        }

        var decisions = await fixture.RowsAsync("SELECT canton, count(*)::int FROM review.decisions WHERE canton IS NOT NULL GROUP BY 1");
        Assert.NotEmpty(decisions);
        foreach (var d in decisions)
        {
            Assert.Equal((int)d[1]!, OperatorPagesTests.Figure(rows.Single(r => r.GetAttribute("data-canton") == (string)d[0]!), "decisions"));
        }
    }

    [Fact]
    public async Task CantonPage_ShowsItsFiguresTrendAndFeed()
    {
        var document = await GetAsync("/cantons/" + fixture.Canton);
        var platforms = await fixture.ScalarAsync<long>("SELECT count(DISTINCT sloid) FROM stops_matched WHERE canton = @c", ("c", fixture.Canton));
        var operators = await fixture.RowsAsync("""
            SELECT atlas_operator FROM stops_matched WHERE canton = @c AND sloid IS NOT NULL AND atlas_operator IS NOT NULL
            GROUP BY 1 ORDER BY count(DISTINCT sloid) DESC, 1
            """, ("c", fixture.Canton));

        Assert.Equal(platforms, long.Parse(document.QuerySelector("[data-figure=platforms]")!.TextContent, CultureInfo.InvariantCulture));
        Assert.Equal(operators.Select(o => (string)o[0]!), document.QuerySelectorAll("[data-canton-operators] tbody th").Select(t => t.TextContent.Trim()));
        var trend = document.QuerySelectorAll("#trend-problems tbody tr").Reverse().ToList();
        Assert.Equal(fixture.TrendRunIds, trend.Select(r => r.GetAttribute("data-run")));
        Assert.Equal((fixture.History[0].P1 * 2).ToString(CultureInfo.InvariantCulture), trend[0].QuerySelector("td")!.TextContent.Trim());
        Assert.Equal("/data/changes/feed.atom?canton=" + fixture.Canton, document.Head!.QuerySelector("link[rel=alternate]")!.GetAttribute("href"));
        Assert.Equal("/?canton=" + fixture.Canton, document.QuerySelector("a[data-link=map]")!.GetAttribute("href"));
    }

    [Fact]
    public async Task CantonPage_RedirectsLowerCase_AndAnswers404ForAnUnknownCode()
    {
        using var client = fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var lower = await client.GetAsync("/cantons/zh");
        var unknown = await client.GetAsync("/cantons/XX");

        Assert.Equal(HttpStatusCode.PermanentRedirect, lower.StatusCode);
        Assert.Equal("/cantons/ZH", lower.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private async Task<IDocument> GetAsync(string url)
    {
        using var client = fixture.Factory.CreateClient();
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
    }
}
