using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using StopSync.Data.Status;
using StopSync.Tests.Infrastructure;
using StopSync.Web.Infrastructure;

namespace StopSync.Tests.Web.Browser;

/// <summary>The site under its Content-Security-Policy in Chromium: nothing blocked, the status still starts from the page.</summary>
[Collection(IntegrationGroup.Name)]
public sealed class ContentSecurityPolicyBrowserTests(IntegrationFixture fixture)
{
    // Chromium reports each blocked resource as a DOM event; the list survives until the next navigation.
    private const string RecordViolations =
        "window.cspViolations = []; document.addEventListener('securitypolicyviolation', e => window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));";

    [Fact]
    public async Task Pages_RunWithoutContentSecurityPolicyViolations()
    {
        await using var site = new StatusTestSite(fixture, "csp");
        var baseUrl = site.BaseUrl;
        await site.Store.WriteRunDocumentAsync(StatusTestSite.RunningDocument());
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await TestBrowser.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        await page.AddInitScriptAsync(RecordViolations);
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add($"{page.Url}: {message.Text}");
            }
        };
        page.PageError += (_, error) => errors.Add($"{page.Url}: {error}");

        var violations = new List<string>();
        var policies = new List<string?>();
        foreach (var path in (string[])["/", "/problems", "/data/analytics", "/docs", "/docs/running", "/account/login"])
        {
            var response = await page.GotoAsync(baseUrl + path);
            policies.Add(response!.Headers.GetValueOrDefault("content-security-policy"));
            // Long enough for one status poll of a running pipeline (every 1.5 s) and the map's first stop request.
            await page.WaitForTimeoutAsync(2000);
            violations.AddRange((await page.EvaluateAsync<string[]>("window.cspViolations")).Select(v => $"{path}: {v}"));
        }

        await DashboardAuthorizationTests.SignInInBrowserAsync(page, baseUrl);
        foreach (var path in (string[])["/hangfire", "/hangfire/recurring", "/hangfire/jobs/enqueued", "/admin/accounts"])
        {
            await page.GotoAsync(baseUrl + path);
            await page.WaitForTimeoutAsync(1000);
            violations.AddRange((await page.EvaluateAsync<string[]>("window.cspViolations")).Select(v => $"{path}: {v}"));
        }


        Assert.All(policies, p => Assert.Contains("script-src 'self'", p ?? "", StringComparison.Ordinal));
        Assert.Empty(violations);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Overlay_StartsFromTheStatusEmbeddedInThePage_BeforeAnyPoll()
    {
        await using var site = new StatusTestSite(fixture, "embedded");
        var (baseUrl, store) = (site.BaseUrl, site.Store);
        await store.WriteRunDocumentAsync(StatusTestSite.RunningDocument());
        await store.SetBlockingMaintenanceAsync(true);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await TestBrowser.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        // Polls never answer: whatever the page shows comes from the status the server embedded.
        var polled = 0;
        await page.RouteAsync("**/api/system/pipeline_status", _ =>
        {
            Interlocked.Increment(ref polled);
            return Task.CompletedTask;
        });

        await page.GotoAsync(baseUrl + "/problems");
        var overlayShown = await page.EvaluateAsync<bool>("() => !document.getElementById('pipelineMaintenanceOverlay').hidden");
        var phase = await page.Locator("[data-pipeline=phase]").TextContentAsync();

        Assert.True(overlayShown);
        Assert.Equal(PipelinePhases.StopMatching, phase);
    }

    [Fact]
    public async Task DurationFormat_IsTheSameInTheBrowserAndOnTheServer()
    {
        double?[] values = [null, 0, 0.44, 9.96, 59.9, 60, 61.5, 599, 3599.9, 3600, 7325, -3];
        await using var site = new StatusTestSite(fixture, "duration");
        var baseUrl = site.BaseUrl;
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await TestBrowser.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(baseUrl + "/docs");

        var browserText = await page.EvaluateAsync<string[]>(
            "async (values) => { const m = await import('/js/duration.js'); return values.map(m.formatDuration); }",
            values);

        Assert.Equal(values.Select(DurationFormat.Format), browserText);
        Assert.Equal(["--", "0.0 s", "0.4 s", "10.0 s", "59.9 s", "1m 0s", "1m 1s", "9m 59s", "59m 59s", "1h 0m", "2h 2m", "0.0 s"], browserText);
    }
}
