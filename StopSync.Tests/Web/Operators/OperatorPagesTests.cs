using System.Globalization;
using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Mvc.Testing;

namespace StopSync.Tests.Web.Operators;

/// <summary>/operators and /operators/{abbr}: figures recomputed from the published tables, filters, canonical
/// addresses, trends from the history and encoding of operator names.</summary>
[Collection(OwnerGroup.Name)]
public sealed class OperatorPagesTests(OwnerFixture fixture)
{
    [Fact]
    public async Task OperatorList_ShowsFiguresEqualToThePublishedTables()
    {
        var document = await GetAsync("/operators?per_page=100");

        // Recomputed here from atlas_stops (the page counts stops_matched rows) and by a left join to the decisions.
        var expected = await fixture.RowsAsync("""
            SELECT a.atlas_business_org_abbr, count(*)::int,
                   count(*) FILTER (WHERE EXISTS (SELECT 1 FROM stops_matched s WHERE s.sloid = a.sloid AND s.stop_type = 'matched'))::int,
                   count(*) FILTER (WHERE EXISTS (SELECT 1 FROM stops_matched s WHERE s.sloid = a.sloid AND s.stop_type = 'matched')
                                    AND NOT EXISTS (SELECT 1 FROM stops_matched s WHERE s.sloid = a.sloid AND s.stop_type = 'matched'
                                                    AND coalesce(s.osm_operator, '') <> ''))::int
            FROM atlas_stops a WHERE a.atlas_business_org_abbr IS NOT NULL GROUP BY 1
            """);
        var open = await fixture.RowsAsync("""
            SELECT s.atlas_operator, p.priority, count(*)::int FROM problems p JOIN stops_matched s ON s.id = p.stop_id
            LEFT JOIN review.decisions d ON d.problem_key = p.problem_key
            WHERE d.id IS NULL AND s.atlas_operator IS NOT NULL GROUP BY 1, 2
            """);
        var decisions = await fixture.RowsAsync("SELECT atlas_operator, count(*)::int FROM review.decisions GROUP BY 1");

        var rows = document.QuerySelectorAll("tr[data-operator]").ToList();
        Assert.Equal(expected.Count, rows.Count);
        foreach (var e in expected)
        {
            var key = (string)e[0]!;
            var row = rows.Single(r => r.GetAttribute("data-operator") == key);
            var platforms = (int)e[1]!;
            var matched = (int)e[2]!;
            Assert.Equal(platforms, Figure(row, "platforms"));
            Assert.Equal(matched, Figure(row, "matched"));
            Assert.Equal(platforms - matched, Figure(row, "unmatched"));
            Assert.Equal((int)e[3]!, Figure(row, "missing-osm-operator"));
            Assert.Equal((matched * 100.0 / platforms).ToString("0.0", CultureInfo.InvariantCulture) + "\u00a0%", row.QuerySelector("[data-figure=match-rate]")!.TextContent.Trim());
            var cell = row.QuerySelector("[data-figure=open-problems]")!;
            for (var priority = 1; priority <= 3; priority++)
            {
                var n = open.Where(o => (string)o[0]! == key && (int)o[1]! == priority).Sum(o => (int)o[2]!);
                Assert.Equal(n.ToString(CultureInfo.InvariantCulture), cell.GetAttribute($"data-p{priority}"));
            }

            Assert.Equal(decisions.Where(d => (string?)d[0] == key).Sum(d => (int)d[1]!), Figure(row, "decisions"));
        }

        Assert.Equal(2, Figure(rows.Single(r => r.GetAttribute("data-operator") == fixture.Operator), "decisions"));
    }

    [Fact]
    public async Task OperatorList_IsOrderedByLowerNameOrAbbreviation_WithTheRangeText()
    {
        var document = await GetAsync("/operators?per_page=10");
        var names = await fixture.RowsAsync("""
            SELECT atlas_business_org_abbr, lower(coalesce(mode() WITHIN GROUP (ORDER BY atlas_business_org_name), atlas_business_org_abbr))
            FROM atlas_stops WHERE atlas_business_org_abbr IS NOT NULL GROUP BY 1
            """);
        var expected = names.OrderBy(n => (string)n[1]!, StringComparer.Ordinal).ThenBy(n => (string)n[0]!, StringComparer.Ordinal)
            .Select(n => (string)n[0]!).Take(10).ToList();

        Assert.Equal(expected, document.QuerySelectorAll("tr[data-operator]").Select(r => r.GetAttribute("data-operator")!).ToList());
        Assert.Equal($"1–{expected.Count} of {names.Count} operators", document.QuerySelector(".owner-range")!.TextContent.Trim());
    }

    [Fact]
    public async Task OperatorSearch_MatchesAbbreviationSboidAndOsmOperatorValues()
    {
        var sboid = await fixture.ScalarAsync<string>("SELECT min(atlas_business_org_sboid) FROM atlas_stops WHERE atlas_business_org_abbr = @op", ("op", fixture.Operator));
        // An OSM operator value on one of the operator's matched platforms that its abbreviation and name do not contain.
        var osmValue = await fixture.ScalarAsync<string>("""
            SELECT btrim(osm_operator) FROM stops_matched WHERE atlas_operator = @op AND stop_type = 'matched' AND coalesce(osm_operator, '') <> ''
            GROUP BY 1 ORDER BY count(*) DESC LIMIT 1
            """, ("op", fixture.Operator));

        var byAbbreviation = await KeysAsync("/operators?q=" + Uri.EscapeDataString(fixture.Operator.ToLowerInvariant()));
        var bySboid = await KeysAsync("/operators?q=" + Uri.EscapeDataString(sboid));
        var byOsm = await KeysAsync("/operators?q=" + Uri.EscapeDataString(osmValue.ToUpperInvariant()));
        var none = await GetAsync("/operators?q=zz-no-such-operator-zz");

        Assert.Contains(fixture.Operator, byAbbreviation);
        Assert.Equal([fixture.Operator], bySboid);
        Assert.Contains(fixture.Operator, byOsm);
        Assert.Empty(none.QuerySelectorAll("tr[data-operator]"));
        Assert.NotNull(none.QuerySelector("[data-owner-none]"));
    }

    [Fact]
    public async Task CoverageFilter_SplitsOperatorsByOsmOperatorTagsOnTheirMatchedPlatforms()
    {
        var covered = await fixture.RowsAsync("""
            SELECT DISTINCT atlas_operator FROM stops_matched
            WHERE stop_type = 'matched' AND atlas_operator IS NOT NULL AND btrim(coalesce(osm_operator, '')) <> ''
            """);
        var all = await KeysAsync("/operators?per_page=100");

        var has = await KeysAsync("/operators?coverage=has_osm_matches&per_page=100");
        var no = await KeysAsync("/operators?coverage=no_osm_matches&per_page=100");

        Assert.Equal(covered.Select(c => (string)c[0]!).Order(StringComparer.Ordinal), has.Order(StringComparer.Ordinal));
        Assert.Equal(all.Order(StringComparer.Ordinal), has.Concat(no).Order(StringComparer.Ordinal));
        Assert.NotEmpty(has);
    }

    [Theory]
    [InlineData("/operators?page=1&per_page=20&coverage=all&q=", "/operators")]
    [InlineData("/operators?page=2&q=%20bus%20%20ag&per_page=50&coverage=HAS_OSM_MATCHES", "/operators?q=bus%20ag&coverage=has_osm_matches&per_page=50&page=2")]
    [InlineData("/operators?unknown=1", "/operators")]
    public async Task OperatorList_RedirectsToTheCanonicalQuery(string requested, string canonical)
    {
        using var client = fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.GetAsync(requested);

        Assert.Equal(HttpStatusCode.PermanentRedirect, response.StatusCode);
        Assert.Equal(canonical, response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("/operators?coverage=some", "coverage")]
    [InlineData("/operators?per_page=7", "per_page")]
    [InlineData("/operators?page=0", "page")]
    [InlineData("/operators?q=a&q=b", "q")]
    public async Task OperatorList_Answers400NamingTheParameter_WhenAValueIsMalformed(string url, string parameter)
    {
        using var client = fixture.Factory.CreateClient();

        var response = await client.GetAsync(url);
        var document = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(parameter, document.QuerySelector("[data-parameter]")!.GetAttribute("data-parameter"));
    }

    [Fact]
    public async Task OperatorPage_TrendTablesListThePublishedHistory_WithoutTheUnpublishedRun()
    {
        var document = await GetAsync("/operators/" + fixture.Operator);

        // The tables list the newest publication first.
        var match = document.QuerySelectorAll("#trend-match tbody tr").Reverse().ToList();
        var problems = document.QuerySelectorAll("#trend-problems tbody tr").Reverse().ToList();
        Assert.Equal(fixture.TrendRunIds, match.Select(r => r.GetAttribute("data-run")));
        Assert.Equal(fixture.TrendRunIds, problems.Select(r => r.GetAttribute("data-run")));
        // The live publication's own row, written by the real publication, agrees with the published tables.
        var livePlatforms = await fixture.ScalarAsync<long>(
            "SELECT count(DISTINCT sloid) FROM stops_matched WHERE atlas_operator = @op", ("op", fixture.Operator));
        Assert.Equal(livePlatforms.ToString(CultureInfo.InvariantCulture), match[^1].QuerySelector("td")!.TextContent.Trim());
        for (var i = 0; i < fixture.History.Count; i++)
        {
            var h = fixture.History[i];
            var m = match[i].QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList();
            Assert.Equal([h.Platforms.ToString(CultureInfo.InvariantCulture), h.Matched.ToString(CultureInfo.InvariantCulture),
                (h.Platforms - h.Matched).ToString(CultureInfo.InvariantCulture)], m.Take(3));
            Assert.Equal((h.Matched * 100.0 / h.Platforms).ToString("0.##", CultureInfo.InvariantCulture), match[i].QuerySelectorAll("td")[3].GetAttribute("data-value"));
            var p = problems[i].QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList();
            Assert.Equal(new[] { h.P1, h.P2, h.P3, h.P1 + h.P2 + h.P3 }.Select(n => n.ToString(CultureInfo.InvariantCulture)), p);
            Assert.Equal(h.PublishedAt, DateTimeOffset.Parse(match[i].QuerySelector("time")!.GetAttribute("datetime")!, CultureInfo.InvariantCulture));
        }

        Assert.NotNull(document.QuerySelector("canvas[data-chart-for=trend-match]"));
        Assert.NotNull(document.QuerySelector("script[src^='/lib/chart.js/chart.umd.min']"));
    }

    [Fact]
    public async Task OperatorPage_LinksTheMapProblemsChangesAndFeed_AndCountsTheLiveChanges()
    {
        var document = await GetAsync("/operators/" + fixture.Operator);
        var filter = "atlas_operator=" + Uri.EscapeDataString(fixture.Operator);

        Assert.Equal("/?" + filter, document.QuerySelector("a[data-link=map]")!.GetAttribute("href"));
        Assert.Equal("/problems?" + filter, document.QuerySelector("a[data-link=problems]")!.GetAttribute("href"));
        Assert.Equal("/data/changes?" + filter, document.QuerySelector("a[data-link=changes]")!.GetAttribute("href"));
        Assert.Equal("/data/changes/feed.atom?" + filter, document.QuerySelector("a[data-link=feed]")!.GetAttribute("href"));
        Assert.Equal("/data/changes/feed.atom?" + filter, document.Head!.QuerySelector("link[rel=alternate][type='application/atom+xml']")!.GetAttribute("href"));
        Assert.Equal("3", document.QuerySelector("[data-changes-total]")!.GetAttribute("data-changes-total"));
        Assert.Equal("2", document.QuerySelector("tr[data-change-type=match_gained][data-cause=osm] td.num")!.TextContent.Trim());
        Assert.Equal("1", document.QuerySelector("tr[data-change-type=problem_opened][data-cause=atlas] td.num")!.TextContent.Trim());
        Assert.Equal("2", document.QuerySelector("[data-figure=decisions]")!.GetAttribute("data-total"));
    }

    [Fact]
    public async Task OperatorNames_AreHtmlEncoded_OnTheListAndTheOperatorPage()
    {
        using var client = fixture.Factory.CreateClient();

        var list = await client.GetStringAsync("/operators?per_page=100&q=" + Uri.EscapeDataString("<script>"));
        var page = await client.GetStringAsync("/operators/" + fixture.HostileOperator);

        Assert.DoesNotContain("<script>alert", list, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", page, StringComparison.Ordinal);
        var row = new HtmlParser().ParseDocument(list).QuerySelector($"tr[data-operator='{fixture.HostileOperator}'] .owner-name")!;
        Assert.Equal(OwnerFixture.HostileName, row.TextContent);
        Assert.Contains(OwnerFixture.HostileName, new HtmlParser().ParseDocument(page).QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OperatorPage_Answers404ForAnUnknownOperator_AndRedirectsAnotherCase()
    {
        using var client = fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var unknown = await client.GetAsync("/operators/NO-SUCH-OPERATOR");
        var otherCase = await client.GetAsync("/operators/" + fixture.Operator.ToLowerInvariant());

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.PermanentRedirect, otherCase.StatusCode);
        Assert.Equal("/operators/" + fixture.Operator, otherCase.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Navbar_HighlightsOperators_OnTheOwnerPages()
    {
        var list = await GetAsync("/operators");
        var cantons = await GetAsync("/cantons");

        Assert.Equal("/operators", list.QuerySelector(".navbar nav a.active")!.GetAttribute("href"));
        Assert.Equal("/operators", cantons.QuerySelector(".navbar nav a.active")!.GetAttribute("href"));
        Assert.Equal("page", cantons.QuerySelector(".page-tabs a[href='/cantons']")!.GetAttribute("aria-current"));
    }

    [Fact]
    public async Task Decisions_AreCountedAgain_AfterADecisionEvent()
    {
        var url = "/operators/" + fixture.HostileOperator;
        var before = int.Parse((await GetAsync(url)).QuerySelector("[data-figure=decisions]")!.GetAttribute("data-total")!, CultureInfo.InvariantCulture);

        // What DecisionStore writes for a new decision: the row and its event, on a problem of the operator.
        await fixture.RowsAsync("""
            WITH d AS (
                INSERT INTO review.decisions (problem_key, problem_type, sloids, osm_ids, kind, evidence, state, state_changed_at,
                    atlas_operator, canton, decided_by_id, decided_by_name, decided_at, revision)
                SELECT p.problem_key, p.problem_type, ARRAY[s.sloid], ARRAY[]::text[], 'atlas_wrong', '{}'::jsonb, 'decided', now(),
                       s.atlas_operator, s.canton, 'test', 'test', now(), 1
                FROM problems p JOIN stops_matched s ON s.id = p.stop_id
                LEFT JOIN review.decisions x ON x.problem_key = p.problem_key
                WHERE s.atlas_operator = @op AND p.problem_key IS NOT NULL AND x.id IS NULL
                ORDER BY p.id LIMIT 1
                RETURNING id, problem_key)
            INSERT INTO review.decision_events (decision_id, problem_key, action, kind, state, at)
            SELECT id, problem_key, 'recorded', 'atlas_wrong', 'decided', now() FROM d RETURNING id
            """, ("op", fixture.HostileOperator));
        var after = int.Parse((await GetAsync(url)).QuerySelector("[data-figure=decisions]")!.GetAttribute("data-total")!, CultureInfo.InvariantCulture);

        Assert.Equal(before + 1, after);
    }

    internal static int Figure(IElement row, string name) =>
        int.Parse(row.QuerySelector($"[data-figure={name}]")!.TextContent.Trim(), CultureInfo.InvariantCulture);

    private async Task<List<string>> KeysAsync(string url) =>
        [.. (await GetAsync(url)).QuerySelectorAll("tr[data-operator]").Select(r => r.GetAttribute("data-operator")!)];

    private async Task<IDocument> GetAsync(string url)
    {
        using var client = fixture.Factory.CreateClient();
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
    }
}
