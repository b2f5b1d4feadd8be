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
        var prefix = $"{fixture.HangfirePrefix}csp-{Guid.NewGuid():N}:";
        await using var factory = Factory(prefix);
        var baseUrl = factory.StartKestrel();
        await factory.Services.GetRequiredService<PipelineStatusStore>().WriteRunDocumentAsync(RunningDocument());
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
        foreach (var path in (string[])["/", "/problems", "/data", "/docs", "/docs/running", "/account/login"])
        {
            var response = await page.GotoAsync(baseUrl + path);
            policies.Add(response!.Headers.GetValueOrDefault("content-security-policy"));
            // Long enough for one status poll of a running pipeline (every 1.5 s) and the map's first stop request.
            await page.WaitForTimeoutAsync(2000);
            violations.AddRange((await page.EvaluateAsync<string[]>("window.cspViolations")).Select(v => $"{path}: {v}"));
        }

        await DashboardAuthorizationTests.SignInInBrowserAsync(page, baseUrl);
        foreach (var path in (string[])["/hangfire", "/hangfire/recurring", "/hangfire/jobs/enqueued"])
        {
            await page.GotoAsync(baseUrl + path);
            await page.WaitForTimeoutAsync(1000);
            violations.AddRange((await page.EvaluateAsync<string[]>("window.cspViolations")).Select(v => $"{path}: {v}"));
        }

        await IntegrationFixture.DeleteRedisKeysAsync(prefix);

        Assert.All(policies, p => Assert.Contains("script-src 'self'", p ?? "", StringComparison.Ordinal));
        Assert.Empty(violations);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Overlay_StartsFromTheStatusEmbeddedInThePage_BeforeAnyPoll()
    {
        var prefix = $"{fixture.HangfirePrefix}embedded-{Guid.NewGuid():N}:";
        await using var factory = Factory(prefix);
        var baseUrl = factory.StartKestrel();
        var store = factory.Services.GetRequiredService<PipelineStatusStore>();
        await store.WriteRunDocumentAsync(RunningDocument());
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
        await IntegrationFixture.DeleteRedisKeysAsync(prefix);

        Assert.True(overlayShown);
        Assert.Equal(PipelinePhases.StopMatching, phase);
    }

    [Fact]
    public async Task DurationFormat_IsTheSameInTheBrowserAndOnTheServer()
    {
        double?[] values = [null, 0, 0.44, 9.96, 59.9, 60, 61.5, 599, 3599.9, 3600, 7325, -3];
        await using var factory = Factory($"{fixture.HangfirePrefix}duration-{Guid.NewGuid():N}:");
        var baseUrl = factory.StartKestrel();
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

    private StopSyncAppFactory Factory(string prefix)
    {
        var settings = StopSyncAppFactory.DefaultSettings(fixture.ConnectionString, fixture.HangfirePrefix);
        settings["Pipeline:KeyPrefix"] = prefix;
        return new StopSyncAppFactory(settings);
    }

    private static PipelineStatusDocument RunningDocument()
    {
        var phases = PipelinePhases.Plan();
        phases[0].Status = PhaseStatus.Complete;
        phases[1].Status = PhaseStatus.Complete;
        phases[2].Status = PhaseStatus.Complete;
        phases[3].Status = PhaseStatus.Running;
        phases[3].StartedAt = DateTimeOffset.UtcNow;
        return new PipelineStatusDocument
        {
            Status = PipelineStates.Running,
            Phase = PipelinePhases.StopMatching,
            Message = "Matching ATLAS platforms with OSM elements",
            RunId = Guid.NewGuid(),
            StartedAt = DateTimeOffset.UtcNow.AddSeconds(-5),
            EtaSeconds = 120,
            Phases = phases,
        };
    }
}
