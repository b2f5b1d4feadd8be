using Microsoft.Playwright;

namespace StopSync.Tests.Web.Browser;

/// <summary>
/// A page of the review map in Chromium with everything a map test checks on the way: console errors, uncaught
/// exceptions, Content-Security-Policy violations and JavaScript dialogs (none may happen).
/// </summary>
internal sealed class MapTestPage
{
    // Chromium reports each blocked resource as a DOM event; the list survives until the next navigation.
    private const string RecordViolations =
        "window.cspViolations = []; document.addEventListener('securitypolicyviolation', e => window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));";

    private static readonly PageWaitForFunctionOptions Wait = new() { Timeout = 20_000, PollingInterval = 50 };

    private MapTestPage(IPage page, string baseUrl)
    {
        Page = page;
        BaseUrl = baseUrl;
        page.Console += (_, message) =>
        {
            // Expected: failed tile loads where the offline test stages an unreachable tile server, and the 404 of an
            // identifier the search test looks up on purpose (the page shows its message).
            var expected = message.Text.Contains("ERR_CONNECTION_REFUSED", StringComparison.Ordinal)
                || (message.Text.Contains("status of 404", StringComparison.Ordinal) && message.Location.Contains("/api/stop_by_id", StringComparison.Ordinal))
                || (ExpectRateLimit && message.Text.Contains("status of 429", StringComparison.Ordinal))
                || (ExpectConflict && message.Text.Contains("status of 409", StringComparison.Ordinal) && message.Location.Contains("/api/decisions", StringComparison.Ordinal));
            if (message.Type == "error" && !expected)
            {
                Errors.Add($"{message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => Errors.Add($"uncaught: {error}");
        page.Dialog += async (_, dialog) =>
        {
            Dialogs.Add(dialog.Message);
            await dialog.DismissAsync();
        };
    }

    public IPage Page { get; }
    public string BaseUrl { get; }
    public List<string> Errors { get; } = [];

    /// <summary>The test runs the site with a tiny rate limit on purpose: the browser's 429 log lines are expected.</summary>
    public bool ExpectRateLimit { get; set; }

    /// <summary>The test stages two reviewers deciding one problem: the browser's 409 log line is expected.</summary>
    public bool ExpectConflict { get; set; }
    public List<string> Dialogs { get; } = [];
    public List<string> Violations { get; } = [];

    public static async Task<MapTestPage> OpenAsync(IBrowser browser, string baseUrl, ViewportSize? viewport = null)
    {
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 800 } });
        await page.AddInitScriptAsync(RecordViolations);
        return new MapTestPage(page, baseUrl);
    }

    /// <summary>Opens a map address and waits for its first markers.</summary>
    public async Task GotoAsync(string pathAndQuery)
    {
        await CollectViolationsAsync();
        await Page.GotoAsync(BaseUrl + pathAndQuery);
        await Page.WaitForFunctionAsync("() => document.getElementById('map').dataset.loaded === 'true'", null, Wait);
    }

    public async Task<int> MarkerCountAsync() =>
        await Page.EvaluateAsync<int>("() => Number(document.getElementById('map').dataset.markers)");

    public async Task<int> RenderCountAsync() =>
        await Page.EvaluateAsync<int>("() => Number(document.getElementById('map').dataset.renders ?? 0)");

    /// <summary>Waits until the map drew again after <paramref name="rendersBefore"/> and no request is running.</summary>
    public async Task WaitForRenderAfterAsync(int rendersBefore) =>
        await Page.WaitForFunctionAsync(
            "n => { const m = document.getElementById('map'); return Number(m.dataset.renders) > n && m.getAttribute('aria-busy') !== 'true'; }",
            rendersBefore, Wait);

    public async Task SearchAsync(string text)
    {
        await Page.FillAsync("#searchInput", text);
        await Page.PressAsync("#searchInput", "Enter");
    }

    /// <summary>Waits for the stop card to show the stop whose <c>data-</c><paramref name="attribute"/> is <paramref name="value"/>.</summary>
    public async Task WaitForCardAsync(string attribute, string value) =>
        await Page.WaitForFunctionAsync(
            "([a, v]) => { const c = document.getElementById('stopCard'); return !c.hidden && c.dataset.state === 'ready' && c.dataset[a] === v; }",
            new[] { attribute, value }, Wait);

    public async Task<string?> CardLinkAsync(string kind) =>
        await Page.Locator($"#stopCard a[data-link='{kind}']").GetAttributeAsync("href");

    public async Task CollectViolationsAsync()
    {
        if (Page.Url.StartsWith(BaseUrl, StringComparison.Ordinal))
        {
            Violations.AddRange(await Page.EvaluateAsync<string[]>("() => window.cspViolations ?? []"));
        }
    }

    /// <summary>No console error, uncaught exception, dialog or CSP violation happened on any address visited.</summary>
    public async Task AssertCleanAsync()
    {
        await CollectViolationsAsync();
        Assert.Empty(Violations);
        Assert.Empty(Errors);
        Assert.Empty(Dialogs);
    }
}
