using Microsoft.Playwright;
using Npgsql;
using StopSync.Tests.Infrastructure;
using StopSync.Tests.Web.Api.Problems;
using StopSync.Tests.Web.Pages;

namespace StopSync.Tests.Web.Browser;

/// <summary>
/// The problems page in Chromium on a small dataset of known problems (<see cref="ProblemDataset"/>, a database of
/// this class's own, since the tests record decisions): the keyboard flow, decisions that survive a reload, the
/// conflict of two reviewers, and the state in the address. Each test checks that no console error, dialog or CSP
/// violation happened.
/// </summary>
public sealed class ProblemsBrowserTests : IAsyncLifetime
{
    // Queue order under the default priority sort: stops by their most urgent problem, then stop id.
    private const string FirstStop = "ch:1:sloid:1";
    private const string SecondStop = "ch:1:sloid:2";

    private static readonly PageWaitForFunctionOptions Wait = new() { Timeout = 20_000, PollingInterval = 50 };

    private readonly string _prefix = $"stopsync-test:{Guid.NewGuid():N}:";
    private TestDatabase _database = null!;
    private StopSyncAppFactory _factory = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private string _baseUrl = "";

    public async Task InitializeAsync()
    {
        _database = await ProblemDataset.CreateAsync();
        _factory = new StopSyncAppFactory(StopSyncAppFactory.DefaultSettings(_database.ConnectionString, _prefix));
        _baseUrl = _factory.StartKestrel();
        _playwright = await Playwright.CreateAsync();
        _browser = await TestBrowser.LaunchAsync(_playwright);
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _factory.DisposeAsync();
        await IntegrationFixture.DeleteRedisKeysAsync(_prefix);
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task KeyboardFlow_StepsThroughStopsInTheUrl_ShowsHelp_AndADecisionByKeyOneSurvivesAReload()
    {
        var page = await MapTestPage.OpenAsync(_browser, _baseUrl);
        await SignInAsReviewerAsync(page.Page);

        await OpenQueueAsync(page, "/problems");
        var first = await CurrentStopAsync(page.Page);
        var firstUrl = page.Page.Url;
        await page.Page.Keyboard.PressAsync("ArrowRight");
        await WaitForStopAsync(page.Page, SecondStop);
        var secondUrl = page.Page.Url;
        await page.Page.Keyboard.PressAsync("ArrowLeft");
        await WaitForStopAsync(page.Page, FirstStop);
        await page.Page.Keyboard.PressAsync("?");
        var helpOpen = await page.Page.Locator("#keyHelp").IsVisibleAsync();
        var helpText = await page.Page.Locator("#keyHelp").InnerTextAsync();
        await page.Page.Keyboard.PressAsync("Escape");
        var helpClosed = await page.Page.Locator("#keyHelp").IsHiddenAsync();

        // Stop 1's most urgent problem is its attributes problem: key 1 says OSM is wrong, with the ATLAS values.
        await page.Page.Keyboard.PressAsync("1");
        await WaitForProblemStateAsync(page.Page, "k-attr-1", "decided");
        var result = await page.Page.Locator("#decisionResult").TextContentAsync();
        var stored = await StoredDecisionAsync("k-attr-1");
        await page.Page.ReloadAsync();
        await WaitForReadyAsync(page.Page);
        await WaitForProblemStateAsync(page.Page, "k-attr-1", "decided");
        var afterReload = await page.Page.Locator("article[data-problem-key='k-attr-1'] .review-state").TextContentAsync();
        // Back goes to the stop before, as the browser's history holds it.
        await page.Page.GoBackAsync();
        await WaitForStopAsync(page.Page, SecondStop);

        Assert.Equal(FirstStop, first);
        Assert.Contains($"stop={Uri.EscapeDataString(FirstStop)}", firstUrl, StringComparison.Ordinal);
        Assert.Contains($"stop={Uri.EscapeDataString(SecondStop)}", secondUrl, StringComparison.Ordinal);
        Assert.True(helpOpen);
        Assert.Contains("next stop", helpText, StringComparison.Ordinal);
        Assert.True(helpClosed);
        // Decisions name the reviewer by the account's display name.
        Assert.StartsWith("Saved: OSM is wrong by Page Reviewer", result);
        Assert.Equal(("osm_wrong", """{"uic_ref": "8503001", "local_ref": "4"}""", "Page Reviewer", 1), stored);
        Assert.Equal("Decided", afterReload);
        await page.AssertCleanAsync();
    }

    [Fact]
    public async Task Conflict_ShowsWhoDecidedMeanwhile_KeepsTheNote_AndOverwritingWithMineStoresItOnTheNewRevision()
    {
        var page = await MapTestPage.OpenAsync(_browser, _baseUrl);
        page.ExpectConflict = true;
        await SignInAsReviewerAsync(page.Page);
        await OpenQueueAsync(page, "/problems");
        await page.Page.FillAsync("#decisionNote", "uic_ref checked on site");

        // Another reviewer decides the same problem after this page loaded it.
        await using (var connection = new NpgsqlConnection(_database.ConnectionString))
        {
            await connection.OpenAsync();
            await ProblemDataset.ExecuteAsync(connection,
                "INSERT INTO review.decisions (problem_key, problem_type, sloids, osm_ids, kind, evidence, state, state_changed_at, " +
                "decided_by_id, decided_by_name, decided_at, revision) VALUES ('k-attr-1', 'attributes', '{ch:1:sloid:1}', '{101}', " +
                "'not_a_problem', $1::jsonb, 'decided', now(), 'u-bea', 'Bea', now(), 1)",
                ProblemDataset.AttributesEvidence);
        }

        await page.Page.Locator("#problemTitle").FocusAsync();
        await page.Page.Keyboard.PressAsync("1");
        var conflict = page.Page.Locator("#decisionConflict");
        await conflict.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 20_000 });
        var conflictText = await conflict.InnerTextAsync();
        var noteKept = await page.Page.InputValueAsync("#decisionNote");
        await conflict.Locator("button[data-conflict='mine']").ClickAsync();
        await page.Page.WaitForFunctionAsync(
            "() => document.getElementById('decisionConflict').hidden && document.getElementById('decisionResult').textContent.startsWith('Saved')", null, Wait);
        var stored = await StoredDecisionAsync("k-attr-1");

        Assert.Contains("Someone else decided this problem meanwhile", conflictText, StringComparison.Ordinal);
        Assert.Contains("Bea", conflictText, StringComparison.Ordinal);
        Assert.Contains("Both fine / not a problem", conflictText, StringComparison.Ordinal);
        Assert.Equal("uic_ref checked on site", noteKept);
        Assert.Equal("osm_wrong", stored.Kind);
        Assert.Equal(2, stored.Revision);
        await page.AssertCleanAsync();
    }

    [Fact]
    public async Task SameStop_OnAnUnmatchedAtlasStop_RecordsAManualMatchWithTheCounterpartPickedFromTheList()
    {
        var page = await MapTestPage.OpenAsync(_browser, _baseUrl);
        await SignInAsReviewerAsync(page.Page);

        await OpenQueueAsync(page, $"/problems?stop={Uri.EscapeDataString(SecondStop)}");
        var fourDisabled = await page.Page.Locator("button[data-kind='not_same_stop']").IsDisabledAsync();
        var candidate = page.Page.Locator("#sameStop button[data-same-stop='103']");
        await candidate.WaitForAsync(new LocatorWaitForOptions { Timeout = 20_000 });
        await candidate.ClickAsync();
        await WaitForProblemStateAsync(page.Page, "k-unm-2", "decided");

        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT kind, pair_sloid, pair_osm_id FROM review.decisions WHERE problem_key = 'k-unm-2'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        // "Not the same stop" needs a pair of the problem's own; an unmatched ATLAS stop has none.
        Assert.True(fourDisabled);
        Assert.Equal(("same_stop", SecondStop), (reader.GetString(0), reader.GetString(1)));
        Assert.EndsWith("103", reader.GetString(2), StringComparison.Ordinal);
        await page.AssertCleanAsync();
    }

    [Fact]
    public async Task AnonymousReader_StepsWithSpace_FiltersByPriorityInTheUrl_AndKeyOneAsksToSignIn()
    {
        var page = await MapTestPage.OpenAsync(_browser, _baseUrl);

        await OpenQueueAsync(page, "/problems");
        var controlsDisabled = await page.Page.Locator("#decisionControls button[data-kind='osm_wrong']").IsDisabledAsync();
        await page.Page.Keyboard.PressAsync("1");
        var answer = await page.Page.Locator("#decisionResult").TextContentAsync();
        await page.Page.Keyboard.PressAsync(" ");
        await WaitForStopAsync(page.Page, SecondStop);

        await page.Page.Locator("button.pill[data-priority='3']").ClickAsync();
        await page.Page.WaitForFunctionAsync("() => location.search.includes('priority=3')", null, Wait);
        await WaitForStopAsync(page.Page, "node/103");
        var position = await page.Page.Locator("#queuePosition").TextContentAsync();
        await page.Page.GoBackAsync();
        await WaitForStopAsync(page.Page, SecondStop);
        var pillAfterBack = await page.Page.GetAttributeAsync("button.pill[data-priority='3']", "aria-pressed");

        Assert.True(controlsDisabled);
        Assert.Equal("Sign in to record decisions.", answer);
        Assert.Equal("Stop 1 of 2", position);
        Assert.Equal("false", pillAfterBack);
        Assert.Equal(0, await DecisionCountAsync());
        await page.AssertCleanAsync();
    }

    [Fact]
    public async Task ProgressTables_ShowTheStatsPerPriority_AndHandOffLinksTheExportsAndJosm()
    {
        var page = await MapTestPage.OpenAsync(_browser, _baseUrl);

        await OpenQueueAsync(page, "/problems");
        await page.Page.ClickAsync("details[data-section='progress'] > summary");
        await page.Page.WaitForFunctionAsync("() => document.querySelectorAll(\"table[data-progress='Priority'] tbody tr th\").length > 0", null, Wait);
        var shown = await page.Page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll(\"table[data-progress='Priority'] tbody tr\")].map(r => [...r.cells].map(c => c.textContent).join('|'))");
        var expected = await page.Page.EvaluateAsync<string[]>(
            "async () => { const s = await (await fetch('/api/problems/stats')).json(); return Object.entries(s.by_priority).map(([p, c]) => ['P' + p, c.all, c.solved, c.unsolved, c.needs_another_look].join('|')); }");
        await page.Page.ClickAsync("details[data-section='hand-off'] > summary");
        var links = await page.Page.EvaluateAsync<string[]>("() => [...document.querySelectorAll(\"details[data-section='hand-off'] a\")].map(a => a.href)");

        Assert.NotEmpty(shown);
        Assert.Equal(expected, shown);
        Assert.Contains(_baseUrl + "/api/exports/osm-fixes.osc", links);
        Assert.Contains("http://127.0.0.1:8111/import?url=" + Uri.EscapeDataString(_baseUrl + "/api/exports/osm-fixes.osm"), links);
        await page.AssertCleanAsync();
    }

    [Fact]
    public async Task Queue_SkipsNoStop_WhenDecisionsUnderAnOpenFilterShiftTheServersPages()
    {
        var page = await _browser.NewPageAsync();
        await page.GotoAsync(_baseUrl + "/docs");

        // A server of six open stops, two a page. Once A and B are decided they leave state=open, so the server's
        // page 2 becomes E, F: a client asking only for page 2 would never show C and D. Each stop comes exactly once.
        var shown = await page.EvaluateAsync<string[]>(
            """
            async () => {
              const { ProblemQueue } = await import('/js/problems/queue.js');
              const { emptyState } = await import('/js/problems/state.js');
              const open = new Set(['A', 'B', 'C', 'D', 'E', 'F']);
              window.fetch = async (url) => {
                const q = new URL(url, location.origin).searchParams;
                const pageNo = Number(q.get('page')), limit = Number(q.get('limit'));
                const stops = [...open].sort();
                const problems = stops.slice((pageNo - 1) * limit, pageNo * limit)
                  .map((s) => ({ stop_id: s.charCodeAt(0), sloid: `ch:1:sloid:${s}`, state: 'open' }));
                return new Response(JSON.stringify({ problems, total: stops.length }), { headers: { 'Content-Type': 'application/json' } });
              };
              const state = { ...emptyState(), states: ['open'] };
              const queue = new ProblemQueue(state);
              queue.limit = 2;
              const first = await queue.page(1);
              for (const entry of first) {
                entry.items.forEach((item) => { item.state = 'decided'; });
                open.delete(entry.ref.split(':').pop());
                queue.noteMembership(entry);
              }
              const second = await queue.page(2);
              return [...first, ...second].map((e) => e.ref.split(':').pop());
            }
            """);

        Assert.Equal(["A", "B", "C", "D", "E", "F"], shown);
    }

    [Fact]
    public async Task ProblemModules_BuildTheJosmFixLink_RoundTripTheAddress_AndGroupItemsByStop()
    {
        var page = await _browser.NewPageAsync();
        await page.GotoAsync(_baseUrl + "/docs");

        var links = await page.EvaluateAsync<string[]>(
            """
            async () => {
              const l = await import('/js/map/links.js');
              const node = l.osmElement('101');
              const way = l.osmElement('way_45');
              const differences = [{ attribute: 'uic_ref', atlas: '8503001', osm: '8503000' }, { attribute: 'local_ref', atlas: '4', osm: '3' },
                { attribute: 'operator', atlas: 'A|B', osm: 'C' }, { attribute: 'uic_name', atlas: null, osm: 'X' }];
              return [l.josmFixTagsUrl(node, differences), l.josmFixTagsUrl(way, differences.slice(0, 1)), String(l.josmFixTagsUrl(node, [])), String(l.osmElement('x1'))];
            }
            """);
        var roundTrip = await page.EvaluateAsync<string[]>(
            """
            async () => {
              const s = await import('/js/problems/state.js');
              const q = 'problem_type=distance%2Cisolated&priority=2%2C1&atlas_operator=SBB&canton=zh&state=open&sort_by=distance&sort_order=desc&page=3&stop=node%2F5';
              const state = s.fromQuery(new URLSearchParams(q));
              const all = s.fromQuery(new URLSearchParams('state=open,decided,needs_another_look&problem_type=all&page=0'));
              return [s.pageQuery(state).toString(), s.apiParams(state, 4).toString(), s.pageQuery(all).toString()];
            }
            """);
        var groups = await page.EvaluateAsync<string[]>(
            """
            async () => {
              const s = await import('/js/problems/state.js');
              const items = [{ stop_id: 1, sloid: 'ch:1:sloid:1' }, { stop_id: 1, sloid: 'ch:1:sloid:1' }, { stop_id: 3, osm_node_id: '103' },
                { stop_id: 4, osm_node_id: 'way_45' }, { stop_id: 1, sloid: 'ch:1:sloid:1' }];
              return s.groupByStop(items).map((e) => `${e.ref}:${e.items.length}`);
            }
            """);

        Assert.Equal([
            "http://127.0.0.1:8111/load_object?objects=n101&addtags=uic_ref%3D8503001%7Clocal_ref%3D4",
            "http://127.0.0.1:8111/load_object?objects=w45&addtags=uic_ref%3D8503001",
            "null",
            "null",
        ], links);
        Assert.Equal([
            "problem_type=distance%2Cunmatched&priority=1%2C2&atlas_operator=SBB&canton=ZH&state=open&sort_by=distance&sort_order=desc&page=3&stop=node%2F5",
            "problem_type=distance%2Cunmatched&priority=1%2C2&atlas_operator=SBB&canton=ZH&state=open&sort_by=distance&sort_order=desc&page=4&limit=50",
            "",
        ], roundTrip);
        // Only consecutive items of a stop form one entry, as /api/problems sends them.
        Assert.Equal(["ch:1:sloid:1:2", "node/103:1", "way/45:1", "ch:1:sloid:1:1"], groups);
    }

    /// <summary>Signs a new reviewer in through the login form and returns the account's name.</summary>
    private async Task<string> SignInAsReviewerAsync(IPage page)
    {
        var (name, password) = await ProblemsPageTests.CreateReviewerAsync(_factory);
        await page.GotoAsync(_baseUrl + "/account/login");
        await page.FillAsync("#Input_UserName", name);
        await page.FillAsync("#Input_Password", password);
        await page.ClickAsync("form.login button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.OrdinalIgnoreCase));
        return name;
    }

    private static async Task OpenQueueAsync(MapTestPage page, string path)
    {
        await page.CollectViolationsAsync();
        await page.Page.GotoAsync(page.BaseUrl + path);
        await WaitForReadyAsync(page.Page);
    }

    // The panel shows a stop, and the map has drawn the stops around it.
    private static async Task WaitForReadyAsync(IPage page) =>
        await page.WaitForFunctionAsync(
            "() => { const p = document.getElementById('problemPanel'); return p.dataset.ready === 'true' && p.dataset.stop && document.getElementById('problemMap').dataset.contextFor === p.dataset.stop; }",
            null, Wait);

    private static async Task<string> CurrentStopAsync(IPage page) =>
        await page.EvaluateAsync<string>("() => document.getElementById('problemPanel').dataset.stop");

    private static async Task WaitForStopAsync(IPage page, string stop) =>
        await page.WaitForFunctionAsync(
            "s => { const p = document.getElementById('problemPanel'); return p.dataset.stop === s && new URLSearchParams(location.search).get('stop') === s; }",
            stop, Wait);

    private static async Task WaitForProblemStateAsync(IPage page, string key, string state) =>
        await page.WaitForFunctionAsync(
            "([k, s]) => document.querySelector(`article[data-problem-key='${k}']`)?.dataset.state === s", new[] { key, state }, Wait);

    private async Task<(string Kind, string? ChosenValues, string DecidedBy, int Revision)> StoredDecisionAsync(string key)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT kind, chosen_values::text, decided_by_name, revision FROM review.decisions WHERE problem_key = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"no decision stored for {key}");
        return (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2), reader.GetInt32(3));
    }

    private async Task<long> DecisionCountAsync()
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM review.decisions", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
