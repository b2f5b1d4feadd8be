using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;
using Npgsql;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Web.Browser;

/// <summary>
/// The review map on Kestrel over the demo dataset the fixture published, driven by Debian's Chromium through
/// Playwright (no browser download). Each test checks on the way that no console error, dialog or CSP violation happened.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class MapBrowserTests(IntegrationFixture fixture) : IAsyncLifetime
{
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await TestBrowser.LaunchAsync(_playwright);
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }

    [Fact]
    public async Task Filter_ShowsFewerMarkersAndPutsItInTheUrl_AndReloadingThatUrlRestoresFilterAndView()
    {
        // A view around the ATLAS-unmatched platform with the most matched stops nearby: both kinds are in view.
        var (lat, lon) = await QuerySingleAsync(
            """
            SELECT a.atlas_lat, a.atlas_lon FROM stops_matched a
            WHERE a.stop_type = 'atlas_unmatched' AND a.atlas_lat IS NOT NULL
            ORDER BY (SELECT count(*) FROM stops_matched m WHERE m.stop_type = 'matched' AND ST_DWithin(m.geom, a.geom, 0.004)) DESC, a.id
            LIMIT 1
            """, r => (r.GetDouble(0), r.GetDouble(1)));
        await using var site = Site();
        var map = await MapTestPage.OpenAsync(_browser, site.BaseUrl);
        var hash = FormattableString.Invariant($"#16/{lat:F4}/{lon:F4}");

        await map.GotoAsync("/" + hash);
        var all = await map.MarkerCountAsync();
        var renders = await map.RenderCountAsync();
        await map.Page.GetByLabel("ATLAS unmatched", new() { Exact = true }).CheckAsync();
        await map.WaitForRenderAfterAsync(renders);
        var filtered = await map.MarkerCountAsync();
        var url = map.Page.Url;

        Assert.True(filtered > 0 && filtered < all, $"the filter should keep some but not all of the {all} markers; kept {filtered}");
        Assert.Contains("?stop_filter=atlas_unmatched", url, StringComparison.Ordinal);
        Assert.EndsWith(hash, url, StringComparison.Ordinal);
        Assert.Equal(["ATLAS unmatched ×"], await map.Page.Locator("#filterChips .filter-chip").AllTextContentsAsync());

        await map.GotoAsync(url[site.BaseUrl.Length..]);

        Assert.True(await map.Page.GetByLabel("ATLAS unmatched", new() { Exact = true }).IsCheckedAsync());
        Assert.Equal(filtered, await map.MarkerCountAsync());
        Assert.Equal(url, map.Page.Url);

        // Removing the chip removes the filter again.
        renders = await map.RenderCountAsync();
        await map.Page.Locator("#filterChips .filter-chip").ClickAsync();
        await map.WaitForRenderAfterAsync(renders);
        Assert.Equal(all, await map.MarkerCountAsync());
        Assert.DoesNotContain("stop_filter", map.Page.Url, StringComparison.Ordinal);
        await map.AssertCleanAsync();
    }

    [Fact]
    public async Task Search_BySloidUicAndOsmId_OpensThatStopsCard_WithEditorLinksCarryingItsIds()
    {
        var (sloid, nodeId, uic) = await QuerySingleAsync(
            """
            SELECT sm.sloid, sm.osm_node_id, a.uic_ref FROM stops_matched sm JOIN atlas_stops a ON a.sloid = sm.sloid
            WHERE sm.stop_type = 'matched' AND sm.osm_node_id NOT LIKE 'way%' AND a.uic_ref IS NOT NULL
            ORDER BY sm.id LIMIT 1
            """, r => (r.GetString(0), r.GetString(1), r.GetString(2)));
        // An OSM node without uic_ref matched to an ATLAS platform that has one: the card offers to add it in JOSM.
        var (bareNode, bareUic) = await QuerySingleAsync(
            """
            SELECT sm.osm_node_id, a.uic_ref FROM stops_matched sm
            JOIN atlas_stops a ON a.sloid = sm.sloid JOIN osm_nodes o ON o.osm_node_id = sm.osm_node_id
            WHERE sm.stop_type = 'matched' AND o.uic_ref IS NULL AND a.uic_ref IS NOT NULL AND sm.osm_node_id NOT LIKE 'way%'
            ORDER BY sm.id LIMIT 1
            """, r => (r.GetString(0), r.GetString(1)));
        await using var site = Site();
        var map = await MapTestPage.OpenAsync(_browser, site.BaseUrl);
        await map.GotoAsync("/");

        await map.SearchAsync(sloid);
        await map.WaitForCardAsync("sloid", sloid);
        Assert.Equal("stopCardTitle", await map.Page.EvaluateAsync<string>("() => document.activeElement.id"));
        Assert.Contains($"stop={Uri.EscapeDataString(sloid)}", map.Page.Url, StringComparison.Ordinal);

        await map.SearchAsync(uic);
        await map.WaitForCardAsync("uic", uic);

        await map.SearchAsync($"node/{nodeId}");
        await map.WaitForCardAsync("osmId", nodeId);
        Assert.Equal($"https://www.openstreetmap.org/edit?editor=id&node={nodeId}", await map.CardLinkAsync("id"));
        Assert.Equal($"https://www.openstreetmap.org/node/{nodeId}", await map.CardLinkAsync("osm"));
        Assert.Equal($"http://127.0.0.1:8111/load_object?objects=n{nodeId}&relation_members=true", await map.CardLinkAsync("josm-load"));
        Assert.Matches($@"^http://127\.0\.0\.1:8111/load_and_zoom\?left=[\d.]+&right=[\d.]+&top=[\d.]+&bottom=[\d.]+&select=n{nodeId}$",
            await map.CardLinkAsync("josm-zoom"));

        await map.SearchAsync($"n{bareNode}");
        await map.WaitForCardAsync("osmId", bareNode);
        var addTags = await map.CardLinkAsync("josm-addtags") ?? "";
        Assert.StartsWith($"http://127.0.0.1:8111/load_object?objects=n{bareNode}&addtags=", addTags, StringComparison.Ordinal);
        var tags = Uri.UnescapeDataString(addTags[(addTags.IndexOf("addtags=", StringComparison.Ordinal) + 8)..]).Split('|');
        Assert.Contains($"uic_ref={bareUic}", tags);

        // Escape closes the card and gives the keyboard back to the map.
        await map.Page.Locator("#stopCardTitle").PressAsync("Escape");
        Assert.True(await map.Page.Locator("#stopCard").IsHiddenAsync());
        Assert.Equal("map", await map.Page.EvaluateAsync<string>("() => document.activeElement.id"));

        await map.SearchAsync("n999999999999");
        await map.Page.WaitForFunctionAsync("() => document.getElementById('searchMessage').textContent.startsWith('No ')");
        Assert.Equal("No OSM node found matching: n999999999999", await map.Page.Locator("#searchMessage").TextContentAsync());
        await map.SearchAsync("ab");
        Assert.StartsWith("Type a stop name", await map.Page.Locator("#searchMessage").TextContentAsync() ?? "");

        // ?stop= in the address opens that stop's card.
        await map.GotoAsync($"/?stop={Uri.EscapeDataString(sloid)}");
        await map.WaitForCardAsync("sloid", sloid);
        await map.AssertCleanAsync();
    }

    [Fact]
    public async Task FreeTextSearch_ListsHitsInAListbox_AndArrowKeysAndEnterOpenTheChosenStop()
    {
        var name = await QuerySingleAsync(
            "SELECT atlas_designation_official FROM atlas_stops WHERE length(atlas_designation_official) BETWEEN 4 AND 40 ORDER BY sloid LIMIT 1",
            r => r.GetString(0));
        await using var site = Site();
        var map = await MapTestPage.OpenAsync(_browser, site.BaseUrl);
        await map.GotoAsync("/");

        await map.Page.FillAsync("#searchInput", name);
        await map.Page.Locator("#searchResults [role=option]").First.WaitForAsync();
        await map.Page.PressAsync("#searchInput", "ArrowDown");
        var active = await map.Page.GetAttributeAsync("#searchInput", "aria-activedescendant");
        var chosen = await map.Page.Locator("#searchOption0 .name").TextContentAsync();
        await map.Page.PressAsync("#searchInput", "Enter");
        await map.Page.WaitForFunctionAsync("() => document.getElementById('stopCard').dataset.state === 'ready'");

        Assert.Equal("searchOption0", active);
        Assert.Equal("false", await map.Page.GetAttributeAsync("#searchInput", "aria-expanded"));
        Assert.Contains(name, chosen!, StringComparison.OrdinalIgnoreCase);
        await map.AssertCleanAsync();
    }

    [Fact]
    public async Task TopN_ListsTheLargestDistancesInsteadOfTheViewport_AndRandomStopOpensACard()
    {
        var largest = await QuerySingleAsync(
            "SELECT max(distance_m) FROM stops_matched WHERE stop_type = 'matched'", r => r.GetDouble(0));
        await using var site = Site();
        var map = await MapTestPage.OpenAsync(_browser, site.BaseUrl);

        await map.GotoAsync("/?top_n=5");
        await map.Page.Locator("#topMatches li").Nth(4).WaitForAsync();
        var items = await map.Page.Locator("#topMatches li").AllTextContentsAsync();
        var bannerHidden = await map.Page.Locator("#zoomBanner").IsHiddenAsync();
        var toggleChecked = await map.Page.Locator("input[data-filter='top-n']").IsCheckedAsync();
        var markers = await map.MarkerCountAsync();
        await map.Page.Locator("#topMatches li button").First.ClickAsync();
        await map.Page.WaitForFunctionAsync("() => document.getElementById('stopCard').dataset.state === 'ready'");
        var firstCardDistance = await map.Page.Locator("#stopCard .card-summary dd").First.TextContentAsync();

        await map.Page.Locator("#stopCardClose").ClickAsync();
        await map.Page.Locator("#randomStop").ClickAsync();
        await map.Page.WaitForFunctionAsync("() => { const c = document.getElementById('stopCard'); return !c.hidden && c.dataset.state === 'ready'; }");

        Assert.Equal(5, items.Count);
        Assert.EndsWith(FormattableString.Invariant($" {largest:F1} m"), items[0]);
        Assert.Equal(FormattableString.Invariant($"{largest:F1} m"), firstCardDistance);
        Assert.True(bannerHidden);
        Assert.True(toggleChecked);
        // Five matched rows: an ATLAS and an OSM marker each, fewer where rows share a side.
        Assert.InRange(markers, 2, 10);
        await map.AssertCleanAsync();
    }

    [Fact]
    public async Task Map_DrawsStopsOnTheOfflineBaseMap_WhenTheTileServerIsUnreachable()
    {
        // A port that was free a moment ago: nothing listens there, every tile request is refused.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var site = Site(("Map:TileUrl", $"http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.png"));
        var map = await MapTestPage.OpenAsync(_browser, site.BaseUrl);

        await map.GotoAsync("/#15/47.3782/8.5402");
        await map.Page.WaitForFunctionAsync("() => document.getElementById('map').dataset.baseMap === 'offline'", null,
            new PageWaitForFunctionOptions { Timeout = 20_000 });
        // Country, cantons and lakes are SVG paths of the overlay pane (markers are on a canvas).
        await map.Page.WaitForFunctionAsync("() => document.querySelectorAll('.leaflet-overlay-pane svg path').length > 20");

        Assert.True(await map.MarkerCountAsync() > 10);
        Assert.Contains("Bundesamt für Statistik (BFS), GEOSTAT, via swiss-maps", await map.Page.Locator(".leaflet-control-attribution").TextContentAsync());
        Assert.StartsWith("Offline base map", await map.Page.Locator("#baseMapStatus").TextContentAsync() ?? "");
        await map.AssertCleanAsync();
    }

    [Fact]
    public async Task Map_SaysWhenTheRateLimitIsReached_AndLoadsTheViewOnceItMayAgain()
    {
        // One viewport request per 5 s window: the first view loads, the next pan is refused with 429 and Retry-After.
        await using var site = Site(
            ("RateLimits:KeyPrefix", $"{fixture.HangfirePrefix}ratelimit-browser-{Guid.NewGuid():N}:"),
            ("RateLimits:Data:PermitLimit", "1"),
            ("RateLimits:Data:Window", "00:00:05"));
        var map = await MapTestPage.OpenAsync(_browser, site.BaseUrl);
        map.ExpectRateLimit = true;
        await map.GotoAsync("/#15/47.3782/8.5402");
        var rendersBefore = await map.RenderCountAsync();

        // Two kilometres east: the padded bounds of the first answer no longer cover the view.
        await map.Page.EvaluateAsync("() => { location.hash = '#15/47.3782/8.5702'; }");

        await map.Page.WaitForFunctionAsync("() => document.getElementById('mapStatus').textContent.includes('Too many requests')", null,
            new PageWaitForFunctionOptions { Timeout = 20_000 });
        await map.WaitForRenderAfterAsync(rendersBefore);

        Assert.EndsWith("on the map", await map.Page.Locator("#mapStatus").TextContentAsync() ?? "");
        await map.AssertCleanAsync();
    }

    [Fact]
    public async Task Zoom18_DrawsPlatformsAsLabelledMarkers_ThatTheKeyboardReachesAndOpens()
    {
        var (lat, lon, nodeId) = await QuerySingleAsync(
            "SELECT osm_lat, osm_lon, osm_node_id FROM stops_matched WHERE osm_node_type = 'platform' AND stop_type = 'matched' ORDER BY id LIMIT 1",
            r => (r.GetDouble(0), r.GetDouble(1), r.GetString(2)));
        await using var site = Site();
        var map = await MapTestPage.OpenAsync(_browser, site.BaseUrl);

        await map.GotoAsync(FormattableString.Invariant($"/#17/{lat:F6}/{lon:F6}"));
        var circlesOnly = await map.Page.Locator(".stop-icon").CountAsync();
        await map.GotoAsync(FormattableString.Invariant($"/#18/{lat:F6}/{lon:F6}"));
        var platform = map.Page.Locator($".leaflet-marker-icon[title='OSM platform OSM {nodeId}']");
        await platform.WaitForAsync(new LocatorWaitForOptions { Timeout = 20_000 });
        await platform.FocusAsync();
        await map.Page.Keyboard.PressAsync("Enter");
        await map.WaitForCardAsync("osmId", nodeId);

        Assert.Equal(0, circlesOnly);
        Assert.Equal("P", await platform.TextContentAsync());
        await map.AssertCleanAsync();
    }

    [Fact]
    public async Task MapModules_ParseSearchInput_RoundTripFiltersThroughTheUrl_AndBuildWayEditorLinks()
    {
        await using var site = Site();
        var map = await MapTestPage.OpenAsync(_browser, site.BaseUrl);
        await map.Page.GotoAsync(site.BaseUrl + "/docs");

        var parsed = await map.Page.EvaluateAsync<string[]>(
            """
            async () => {
              const { parseQuery } = await import('/js/map/search-parse.js');
              return ['ch:1:sloid:7000:1', '8503000', '8503000:2', '123', 'node/123', 'n123', 'way/45', 'w45', 'Zürich HB', 'ab', '9503000x']
                .map((q) => { const p = parseQuery(q); return p.kind === 'id' ? `${p.identifierType} ${p.identifier} ${p.typeName}` : `${p.kind} ${p.text ?? ''}`.trim(); });
            }
            """);
        var roundTrip = await map.Page.EvaluateAsync<string>(
            """
            async () => {
              const f = await import('/js/map/filters.js');
              const q = 'stop_filter=osm_unmatched&match_method=exact%2Cno_nearby_counterpart&atlas_operator=SBB%2CBLS&canton=ZH%2Cbe&problem_priority=1&show_duplicates_only=true&top_n=25';
              return f.toParams(f.fromParams(new URLSearchParams(q)), { includeTopN: true }).toString();
            }
            """);
        // The demo dataset has no OSM ways, so the way links are checked on the module itself.
        var wayLinks = await map.Page.EvaluateAsync<string[]>(
            """
            async () => {
              const l = await import('/js/map/links.js');
              const way = { element_type: 'way', osm_id: 45, lat: 47.1, lon: 8.2 };
              return [l.idEditorUrl(way), l.josmLoadObjectUrl(way), l.josmZoomUrl(way), l.josmAddTagsUrl(way, { uic_ref: '8503000', local_ref: '2' }), String(l.josmAddTagsUrl(way, {}))];
            }
            """);
        var allChildren = await map.Page.EvaluateAsync<string>(
            """
            async () => {
              const f = await import('/js/map/filters.js');
              const m = f.emptyFilters();
              m.methods = f.MATCH_METHODS.map(([c]) => c);
              m.refinements = ['no_nearby_counterpart', 'osm_within_50m'];
              return f.toParams(m).toString();
            }
            """);

        Assert.Equal([
            "sloid ch:1:sloid:7000:1 ATLAS SLOID", "station 8503000 UIC station", "station 8503000 UIC station",
            "osm node/123 OSM node", "osm node/123 OSM node", "osm node/123 OSM node", "osm way/45 OSM way", "osm way/45 OSM way",
            "text Zürich HB", "hint", "text 9503000x",
        ], parsed);
        Assert.Equal(
            "stop_filter=osm_unmatched&match_method=exact%2Cno_nearby_counterpart&atlas_operator=SBB%2CBLS&canton=ZH%2CBE&problem_priority=1&show_duplicates_only=true&top_n=25",
            roundTrip);
        Assert.Equal([
            "https://www.openstreetmap.org/edit?editor=id&way=45",
            "http://127.0.0.1:8111/load_object?objects=w45&relation_members=true",
            "http://127.0.0.1:8111/load_and_zoom?left=8.199500&right=8.200500&top=47.100500&bottom=47.099500&select=w45",
            "http://127.0.0.1:8111/load_object?objects=w45&addtags=uic_ref%3D8503000%7Clocal_ref%3D2",
            "null",
        ], wayLinks);
        // Every child of a group chosen is the group itself.
        Assert.Equal("stop_filter=matched%2Catlas_unmatched", allChildren);
    }

    [Fact]
    public async Task PhoneWidth_FiltersCollapseToAButton_AndTheCardIsABottomSheet()
    {
        await using var site = Site();
        var map = await MapTestPage.OpenAsync(_browser, site.BaseUrl, new ViewportSize { Width = 390, Height = 844 });
        var sloid = await QuerySingleAsync("SELECT sloid FROM stops_matched WHERE stop_type = 'matched' ORDER BY id LIMIT 1", r => r.GetString(0));

        await map.GotoAsync("/");
        var panelHiddenAtFirst = await map.Page.Locator("#filterAside").IsHiddenAsync();
        await map.Page.Locator("#filtersToggle").ClickAsync();
        var expanded = await map.Page.GetAttributeAsync("#filtersToggle", "aria-expanded");
        var panelShown = await map.Page.Locator("#filterAside").IsVisibleAsync();
        await map.Page.Locator("#filtersToggle").ClickAsync();
        await map.SearchAsync(sloid);
        await map.WaitForCardAsync("sloid", sloid);
        var card = await map.Page.Locator("#stopCard").BoundingBoxAsync();
        var scrollWidth = await map.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");

        Assert.True(panelHiddenAtFirst);
        Assert.Equal("true", expanded);
        Assert.True(panelShown);
        Assert.Equal(0, card!.X, 1);
        Assert.Equal(390, card.Width, 1);
        Assert.Equal(844, card.Y + card.Height, 1);
        Assert.True(scrollWidth <= 390, $"the page is {scrollWidth} px wide on a 390 px phone");
        await map.AssertCleanAsync();
    }

    private KestrelSite Site(params (string Key, string Value)[] extra)
    {
        var settings = StopSyncAppFactory.DefaultSettings(fixture.ConnectionString, fixture.HangfirePrefix);
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return new KestrelSite(new StopSyncAppFactory(settings));
    }

    private async Task<T> QuerySingleAsync<T>(string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"the demo dataset has no row for: {sql}");
        return read(reader);
    }

    private sealed class KestrelSite(StopSyncAppFactory factory) : IAsyncDisposable
    {
        public string BaseUrl { get; } = factory.StartKestrel();

        public ValueTask DisposeAsync() => factory.DisposeAsync();
    }
}
