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
        await using var site = new StatusTestSite(fixture, "banner");
        var (baseUrl, store) = (site.BaseUrl, site.Store);
        await store.WriteRunDocumentAsync(StatusTestSite.RunningDocument());
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
        await using var site = new StatusTestSite(fixture, "stages");
        var (baseUrl, store) = (site.BaseUrl, site.Store);
        var document = StatusTestSite.RunningDocument();
        var database = document.Phases.Single(p => p.Id == PipelinePhases.Database);
        database.Status = PhaseStatus.Running;
        database.Stages.Add(new PhaseState { Id = "database.validate", Label = "Validating the result bundle", Status = PhaseStatus.Complete, DurationSeconds = 0.4 });
        await store.WriteRunDocumentAsync(document);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await TestBrowser.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(baseUrl + "/data/analytics");
        var stages = page.Locator("[data-phase-id=database] [data-field=stages] li");
        var first = await stages.AllInnerTextsAsync();

        database.Stages.Add(new PhaseState { Id = "database.load", Label = "<b>Loading</b> the staged tables", Status = PhaseStatus.Running, StartedAt = DateTimeOffset.UtcNow, Processed = 12_000, Total = 50_000 });
        await store.WriteRunDocumentAsync(document);
        await page.WaitForFunctionAsync("() => document.querySelectorAll('[data-phase-id=database] [data-field=stages] li').length === 2",
            null, new PageWaitForFunctionOptions { Timeout = 10_000 });
        var second = await stages.AllInnerTextsAsync();
        var injected = await page.Locator("[data-phase-id=database] [data-field=stages] b").CountAsync();

        Assert.Equal(["Validating the result bundle · complete · 0.4 s"], first);
        Assert.StartsWith("<b>Loading</b> the staged tables · running · ", second[1], StringComparison.Ordinal);
        Assert.EndsWith(" · 12,000 of 50,000", second[1], StringComparison.Ordinal);
        Assert.Equal(0, injected);
    }

    [Fact]
    public async Task Navbar_SaysTheLastRunIsHeldForReview_WhileKeepingThePublishedDate()
    {
        await using var site = new StatusTestSite(fixture, "held");
        var (baseUrl, store) = (site.BaseUrl, site.Store);
        var document = StatusTestSite.RunningDocument();
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

        Assert.Equal($"{published} · last run held for review", text);
    }
}
