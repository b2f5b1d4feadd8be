using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace StopSync.Tests.Web.Routes;

/// <summary>/routes and /routes/non-gtfs on the seeded route dataset (<see cref="RouteFixture"/>).</summary>
[Collection(RouteGroup.Name)]
public sealed partial class RoutePagesTests(RouteFixture fixture)
{
    private HttpClient Client() => fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    [Theory]
    [InlineData("/routes?page=1&per_page=10&matched=all&q=", "/routes")]
    [InlineData("/routes?atlas_operator=VBZ&atlas_operator=SBB,VBZ", "/routes?atlas_operator=SBB,VBZ")]
    [InlineData("/routes?osm_operator=VBZ&osm_operator=%20PostAuto%20&osm_operator=VBZ", "/routes?osm_operator=PostAuto,VBZ")]
    [InlineData("/routes?per_page=20&q=%20%2010%20&unknown=1&page=2", "/routes?q=10&per_page=20&page=2")]
    [InlineData("/routes?matched=Unmatched_OSM", "/routes?matched=unmatched_osm")]
    [InlineData("/routes?q=Tram+10", "/routes?q=Tram%2010")]
    [InlineData("/routes/non-gtfs?page=1&q=10&matched=matched", "/routes/non-gtfs")]
    [InlineData("/routes/non-gtfs?per_page=5&page=01", "/routes/non-gtfs?per_page=5")]
    [InlineData("/routes?page=99999999999999999999", "/routes?page=2147483647")]
    public async Task Routes_RedirectsWith308_ToTheCanonicalQuery(string url, string canonical)
    {
        using var client = Client();

        using var response = await client.GetAsync(url);
        using var again = await client.GetAsync(canonical);

        Assert.Equal(HttpStatusCode.PermanentRedirect, response.StatusCode);
        Assert.Equal(canonical, response.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Theory]
    [InlineData("/routes?matched=some", "matched")]
    [InlineData("/routes?matched=matched&matched=unmatched", "matched")]
    [InlineData("/routes?per_page=7", "per_page")]
    [InlineData("/routes?page=0", "page")]
    [InlineData("/routes?page=-1", "page")]
    [InlineData("/routes?page=two", "page")]
    [InlineData("/routes/non-gtfs?per_page=1000", "per_page")]
    public async Task Routes_Answers400NamingTheParameter_WhenAValueIsMalformed(string url, string parameter)
    {
        using var client = Client();

        using var response = await client.GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"data-parameter=\"{parameter}\"", html, StringComparison.Ordinal);
        Assert.Contains($"Invalid {parameter}.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("class=\"route-card", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Routes_Answers400_WhenTheSearchIsLongerThanItsMaximum()
    {
        using var client = Client();

        using var response = await client.GetAsync("/routes?q=" + new string('x', 101));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("data-parameter=\"q\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string[]> Filters => new()
    {
        { "/routes?matched=matched", ["85-5", "91-10-A"] },
        { "/routes?matched=unmatched_osm", ["77-1"] },
        { "/routes?matched=unmatched_atlas&per_page=50", [.. RouteFixture.ListOrder.Skip(2).Where(id => id != "77-1")] },
        { "/routes?matched=unmatched&per_page=50", [.. RouteFixture.ListOrder.Skip(2)] },
        { "/routes?atlas_operator=VBZ", ["91-10-A", "92-33"] },
        { "/routes?atlas_operator=SBB,VBZ", ["85-5", "91-10-A", "92-33"] },
        { "/routes?osm_operator=PostAuto", ["77-1"] },
        { "/routes?osm_operator=PostAuto,SBB", ["85-5", "77-1"] },
        { "/routes?atlas_operator=VBZ&osm_operator=VBZ", ["91-10-A"] },
        { "/routes?matched=unmatched&atlas_operator=VBZ", ["92-33"] },
        { "/routes?matched=matched&osm_operator=PostAuto", [] },
        { "/routes?q=10", ["91-10-A", "50-10"] },
        { "/routes?q=10&matched=unmatched", ["50-10"] },
        { "/routes?q=91-10-A-j25-1", ["91-10-A"] },
        { "/routes?q=5001", ["91-10-A"] },
        { "/routes?q=tram", ["91-10-A"] },
        { "/routes?q=%25", [] },
        { "/routes?q=50-0_", [] },
        { "/routes?q=nothing-like-this", [] },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task Routes_ListsExactlyTheLinesTheFiltersKeep_MatchedFirst(string url, string[] expected)
    {
        using var client = Client();

        var (status, html) = await GetAsync(client, url);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(expected, RouteIds(html));
        Assert.Contains($"data-total=\"{expected.Length}\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Routes_PagesInOrder_WithoutGapsOrRepeats_AndKnowsTheTotal()
    {
        using var client = Client();
        var seen = new List<string>();

        for (var page = 1; page <= 4; page++)
        {
            var (status, html) = await GetAsync(client, page == 1 ? "/routes?per_page=5" : $"/routes?per_page=5&page={page}");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Contains($"Page {page} of 4", html, StringComparison.Ordinal);
            Assert.Contains($"data-total=\"{RouteFixture.ListOrder.Length}\"", html, StringComparison.Ordinal);
            seen.AddRange(RouteIds(html));
        }

        Assert.Equal(RouteFixture.ListOrder, seen);
    }

    [Theory]
    [InlineData("/routes?per_page=5&page=5")]
    [InlineData("/routes?page=2147483647")]
    public async Task Routes_ShowsNoCardsAndALinkToTheLastPage_PastTheLastPage(string url)
    {
        using var client = Client();

        var (status, html) = await GetAsync(client, url);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(RouteIds(html));
        Assert.Contains("is past the last page", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Routes_CardShowsBothSides_DirectionsAndComparisonLinks_CollapsedByDefault()
    {
        using var client = Client();

        var (_, html) = await GetAsync(client, "/routes?q=5001");
        var card = Regex.Match(html, "<details class=\"route-card[^>]*>.*?</details>", RegexOptions.Singleline).Value;

        Assert.StartsWith("<details class=\"route-card matched\" data-route-card>", card, StringComparison.Ordinal);
        Assert.Contains("href=\"https://www.openstreetmap.org/relation/5001\"", card, StringComparison.Ordinal);
        Assert.Contains("View route master 5001 on OSM", card, StringComparison.Ordinal);
        Assert.Contains("<dt>GTFS ID:</dt><dd class=\"mono\">91-10-A-j26-1</dd>", card, StringComparison.Ordinal);
        Assert.Contains("ATLAS variants: 2 | OSM variants: 2 | Matched: 1", card, StringComparison.Ordinal);
        Assert.Contains("<dt>Network</dt><dd>ZVV</dd>", card, StringComparison.Ordinal);
        Assert.Contains("exact_gtfs_route_id", card, StringComparison.Ordinal);
        // Direction 0 before 1; in direction 1 the matched pair, linked to its comparison, with the OSM relation.
        Assert.True(card.IndexOf("Dir: 0", StringComparison.Ordinal) < card.IndexOf("Dir: 1", StringComparison.Ordinal));
        Assert.Contains($"/routes/compare?atlas_itinerary_id={RouteFixture.Tram10Back}&amp;osm_itinerary_id={RouteFixture.OsmTram10Back}", card, StringComparison.Ordinal);
        Assert.Contains("href=\"https://www.openstreetmap.org/relation/7002\"", card, StringComparison.Ordinal);
        Assert.Contains("stop score 100 %", card, StringComparison.Ordinal);
        // Direction 0 has no pair: each side's itinerary alone, the OSM one named by its "to".
        Assert.Contains($"/routes/compare?atlas_itinerary_id={RouteFixture.Tram10Out}\"", card, StringComparison.Ordinal);
        Assert.Contains($"/routes/compare?osm_itinerary_id={RouteFixture.OsmTram10Out}\"", card, StringComparison.Ordinal);
        Assert.Contains("Bahnhofplatz", card, StringComparison.Ordinal);
        Assert.Contains($"data-best-for=\"{RouteFixture.Tram10Out}\"", card, StringComparison.Ordinal);
        Assert.Contains("experimental", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Routes_GroupsItinerariesWithoutDirection_Last()
    {
        using var client = Client();

        var (_, html) = await GetAsync(client, "/routes?q=92-33");

        Assert.Contains("Direction unknown", html, StringComparison.Ordinal);
        Assert.Contains("ATLAS variants: 1 | OSM variants: 0 | Matched: 0", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Routes_RendersHostileNamesAsText()
    {
        using var client = Client();

        var (_, html) = await GetAsync(client, "/routes?q=99-XSS");

        Assert.Equal(["99-XSS"], RouteIds(html));
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", html, StringComparison.Ordinal);
        Assert.Contains("Hostile &lt;b&gt;Op&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain(RouteFixture.XssName, html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>Op</b>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Routes_FilterFormOffersEachSidesOperators()
    {
        using var client = Client();

        var (_, html) = await GetAsync(client, "/routes?atlas_operator=VBZ");

        Assert.Contains("<option value=\"VBZ\" selected=\"selected\">VBZ</option>", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"Bulk Bus\">Bulk Bus</option>", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"PostAuto\">PostAuto</option>", html, StringComparison.Ordinal);
        Assert.Contains("Hostile &lt;b&gt;Op&lt;/b&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonGtfs_ListsOnlyOsmLinesLeftOutOfMatching_WithTheNotice()
    {
        using var client = Client();

        var (status, html) = await GetAsync(client, "/routes/non-gtfs");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["T1"], RouteIds(html));
        Assert.Contains("excluded from route matching", html, StringComparison.Ordinal);
        Assert.Contains("<dt>Route ref:</dt><dd>T1</dd>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://www.openstreetmap.org/relation/7005\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("class=\"route-filters\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("/routes/compare?", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/routes")]
    [InlineData("/routes/non-gtfs")]
    [InlineData("/routes/compare?atlas_itinerary_id=11")]
    public async Task RoutePages_ShowTheTabStrip_WithTheActiveTab(string url)
    {
        using var client = Client();

        var (_, html) = await GetAsync(client, url);
        var tabs = Regex.Match(html, "<nav class=\"route-tabs\".*?</nav>", RegexOptions.Singleline).Value;

        Assert.Equal(3, Regex.Count(tabs, "<a "));
        Assert.Equal(url.StartsWith("/routes/compare", StringComparison.Ordinal) ? 0 : 1, Regex.Count(tabs, "aria-current=\"page\""));
    }

    [Fact]
    public async Task Compare_Answers400NamingTheParameter_AndRendersTheFrameOtherwise()
    {
        using var client = Client();

        var (badStatus, bad) = await GetAsync(client, "/routes/compare?atlas_itinerary_id=abc");
        var (noneStatus, _) = await GetAsync(client, "/routes/compare");
        var (status, html) = await GetAsync(client, $"/routes/compare?atlas_itinerary_id={RouteFixture.Tram10Out}&osm_itinerary_id={RouteFixture.OsmTram10Out}");

        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.Contains("data-parameter=\"atlas_itinerary_id\"", bad, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noneStatus);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"data-atlas-id=\"{RouteFixture.Tram10Out}\" data-osm-id=\"{RouteFixture.OsmTram10Out}\"", html, StringComparison.Ordinal);
        Assert.Matches("src=\"/js/routes/compare\\.[a-z0-9]+\\.js\"", html);
    }

    [Fact]
    public async Task Layout_ShowsTheRoutesNavItem_WhenTheDatasetHasRoutes()
    {
        using var client = Client();

        var (_, html) = await GetAsync(client, "/docs");
        var (_, routes) = await GetAsync(client, "/routes");

        Assert.Contains("<a href=\"/routes\" class=\"\">Routes</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/routes\" class=\"active\">Routes</a>", routes, StringComparison.Ordinal);
    }

    internal static async Task<(HttpStatusCode Status, string Html)> GetAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    internal static string[] RouteIds(string html) =>
        [.. RouteIdSpan().Matches(html).Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value))];

    [GeneratedRegex("<span class=\"route-id\">([^<]*)</span>")]
    private static partial Regex RouteIdSpan();
}
