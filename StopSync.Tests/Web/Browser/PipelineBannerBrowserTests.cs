using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using StopSync.Data.Status;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Web.Browser;

/// <summary>The pipeline notices in a real browser: the overlay during a blocking run, never on the docs, and the navbar.</summary>
[Collection(IntegrationGroup.Name)]
public sealed class PipelineBannerBrowserTests(IntegrationFixture fixture)
{
    [Fact]
    public async Task BlockingRun_ShowsTheOverlayWithPhaseAndEta_OnTheMap_ButNotOnTheDocs()
    {
        var prefix = $"{fixture.HangfirePrefix}banner-{Guid.NewGuid():N}:";
        var settings = StopSyncAppFactory.DefaultSettings(fixture.ConnectionString, fixture.HangfirePrefix);
        settings["Pipeline:KeyPrefix"] = prefix;
        await using var factory = new StopSyncAppFactory(settings);
        var baseUrl = factory.StartKestrel();
        var store = factory.Services.GetRequiredService<PipelineStatusStore>();
        await store.WriteRunDocumentAsync(RunningDocument());
        await store.SetBlockingMaintenanceAsync(true);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await TestBrowser.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();

        await page.GotoAsync(baseUrl + "/");
        var overlay = page.Locator("#pipelineMaintenanceOverlay");
        await overlay.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 10_000 });
        var overlayText = await overlay.InnerTextAsync();
        var phase = await page.Locator("[data-pipeline=phase]").TextContentAsync();
        var eta = await page.Locator("[data-pipeline=eta]").TextContentAsync();
        var elapsed = await page.Locator("[data-pipeline=elapsed]").TextContentAsync();
        var navbar = await page.Locator("#navbarDataUpdated").TextContentAsync();
        var docsLink = await overlay.Locator("a[href='/docs']").CountAsync();

        await page.GotoAsync(baseUrl + "/docs");
        await page.WaitForTimeoutAsync(1500);
        var overlayOnDocs = await page.Locator("#pipelineMaintenanceOverlay").IsVisibleAsync();
        var navbarOnDocs = await page.Locator("#navbarDataUpdated").TextContentAsync();

        await store.SetBlockingMaintenanceAsync(false);
        await page.GotoAsync(baseUrl + "/problems");
        var notice = page.Locator("#pipelineRunNotice");
        await notice.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 10_000 });
        var noticeText = await notice.InnerTextAsync();
        var overlayWhenNotBlocking = await page.Locator("#pipelineMaintenanceOverlay").IsVisibleAsync();
        await IntegrationFixture.DeleteRedisKeysAsync(prefix);

        Assert.Contains("Data update in progress", overlayText, StringComparison.Ordinal);
        Assert.Contains("Core data is being refreshed. Use this time to read the documentation.", overlayText, StringComparison.Ordinal);
        Assert.Equal(1, docsLink);
        Assert.Equal(PipelinePhases.StopMatching, phase);
        // The site's one duration format (DurationFormat.cs, duration.js): tenths under a minute.
        Assert.Matches(@"^(\d+h \d+m|\d+m \d+s)$", eta);
        Assert.Matches(@"^(\d+\.\d s|\d+m \d+s)$", elapsed);
        Assert.Equal("Pipeline running in the background", navbar);
        Assert.False(overlayOnDocs);
        Assert.Equal("Pipeline running in the background", navbarOnDocs);
        Assert.Contains("Data update running in background", noticeText, StringComparison.Ordinal);
        Assert.Contains("Phase: Stop matching", noticeText, StringComparison.Ordinal);
        Assert.False(overlayWhenNotBlocking);
    }

    [Fact]
    public async Task DataPage_FollowsTheLiveRunsSubStages_AsText()
    {
        var prefix = $"{fixture.HangfirePrefix}stages-{Guid.NewGuid():N}:";
        var settings = StopSyncAppFactory.DefaultSettings(fixture.ConnectionString, fixture.HangfirePrefix);
        settings["Pipeline:KeyPrefix"] = prefix;
        await using var factory = new StopSyncAppFactory(settings);
        var baseUrl = factory.StartKestrel();
        var store = factory.Services.GetRequiredService<PipelineStatusStore>();
        var document = RunningDocument();
        var database = document.Phases.Single(p => p.Id == PipelinePhases.Database);
        database.Status = PhaseStatus.Running;
        database.Stages.Add(new PhaseState { Id = "database.validate", Label = "Validating the result bundle", Status = PhaseStatus.Complete, DurationSeconds = 0.4 });
        await store.WriteRunDocumentAsync(document);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await TestBrowser.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(baseUrl + "/data");
        var stages = page.Locator("[data-phase-id=database] [data-field=stages] li");
        var first = await stages.AllInnerTextsAsync();

        database.Stages.Add(new PhaseState { Id = "database.load", Label = "<b>Loading</b> the staged tables", Status = PhaseStatus.Running, StartedAt = DateTimeOffset.UtcNow, Processed = 12_000, Total = 50_000 });
        await store.WriteRunDocumentAsync(document);
        await page.WaitForFunctionAsync("() => document.querySelectorAll('[data-phase-id=database] [data-field=stages] li').length === 2",
            null, new PageWaitForFunctionOptions { Timeout = 10_000 });
        var second = await stages.AllInnerTextsAsync();
        var injected = await page.Locator("[data-phase-id=database] [data-field=stages] b").CountAsync();
        await IntegrationFixture.DeleteRedisKeysAsync(prefix);

        Assert.Equal(["Validating the result bundle · complete · 0.4 s"], first);
        Assert.StartsWith("<b>Loading</b> the staged tables · running · ", second[1], StringComparison.Ordinal);
        Assert.EndsWith(" · 12,000 of 50,000", second[1], StringComparison.Ordinal);
        Assert.Equal(0, injected);
    }

    [Fact]
    public async Task Navbar_SaysTheLastRunIsHeldForReview_WhileKeepingThePublishedDate()
    {
        var prefix = $"{fixture.HangfirePrefix}held-{Guid.NewGuid():N}:";
        var settings = StopSyncAppFactory.DefaultSettings(fixture.ConnectionString, fixture.HangfirePrefix);
        settings["Pipeline:KeyPrefix"] = prefix;
        await using var factory = new StopSyncAppFactory(settings);
        var baseUrl = factory.StartKestrel();
        var store = factory.Services.GetRequiredService<PipelineStatusStore>();
        var document = RunningDocument();
        document.Status = PipelineStates.Held;
        document.DatasetPublished = true;
        await store.WriteRunDocumentAsync(document);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await TestBrowser.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();

        await page.GotoAsync(baseUrl + "/docs");
        var navbar = page.Locator("#navbarDataUpdated");
        await page.WaitForFunctionAsync("() => document.getElementById('navbarDataUpdated').textContent.includes('held')", null,
            new PageWaitForFunctionOptions { Timeout = 10_000 });
        var text = await navbar.TextContentAsync();
        var published = await navbar.GetAttributeAsync("data-published-label");
        await IntegrationFixture.DeleteRedisKeysAsync(prefix);

        Assert.Equal($"{published} · last run held for review", text);
    }

    private static PipelineStatusDocument RunningDocument()
    {
        var phases = PipelinePhases.Plan();
        phases[0].Status = PhaseStatus.Complete;
        phases[1].Status = PhaseStatus.Reused;
        phases[2].Status = PhaseStatus.Complete;
        phases[3].Status = PhaseStatus.Running;
        phases[3].StartedAt = DateTimeOffset.UtcNow;
        return new PipelineStatusDocument
        {
            Status = PipelineStates.Running,
            Phase = PipelinePhases.StopMatching,
            Message = "Matching ATLAS platforms with OSM elements",
            RunId = Guid.NewGuid(),
            Trigger = "manual",
            Mode = "full",
            StartedAt = DateTimeOffset.UtcNow.AddSeconds(-20),
            EtaSeconds = 600,
            Phases = phases,
        };
    }
}
