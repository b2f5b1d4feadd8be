using Microsoft.Playwright;
using StopSync.Tests.Infrastructure;
using StopSync.Tests.Web.Browser;

namespace StopSync.Tests.Web.Changes;

/// <summary>The stop card's "Changed since last run" and the changes page in Chromium: values shown as text, nothing run.</summary>
[Collection(ChangesGroup.Name)]
public sealed class ChangesBrowserTests(ChangesFixture fixture)
{
    [Fact]
    public async Task StopCardAndChangesPage_ShowChangesAsText_AndRunClean()
    {
        var prefix = fixture.HangfirePrefix + "browser:";
        await using var factory = new StopSyncAppFactory(StopSyncAppFactory.DefaultSettings(fixture.ConnectionString, prefix));
        var baseUrl = factory.StartKestrel();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await TestBrowser.LaunchAsync(playwright);
        var map = await MapTestPage.OpenAsync(browser, baseUrl);

        await map.GotoAsync("/?stop=" + Uri.EscapeDataString(ChangesFixture.Sloid));
        await map.WaitForCardAsync("sloid", ChangesFixture.Sloid);
        var lines = await map.Page.Locator("#stopCard .card-changes li").AllTextContentsAsync();
        var badges = await map.Page.Locator("#stopCard .card-changes .side-badge").AllTextContentsAsync();
        var link = await map.CardLinkAsync("changes");
        var scripts = await map.Page.Locator("#stopCard script").CountAsync();

        await map.Page.GotoAsync(baseUrl + "/data/changes?type=osm_edited");
        var after = await map.Page.Locator(".change-fields .after").AllTextContentsAsync();
        await Task.WhenAll(map.Page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("run=")),
            map.Page.SelectOptionAsync("select[name=run]", ChangesFixture.SecondRun.ToString()));
        var olderHeader = await map.Page.Locator(".changes-header").TextContentAsync();

        Assert.Equal(3, lines.Count);
        Assert.Equal(["matching", "ATLAS", "OSM"], badges);
        Assert.Contains(lines, l => l.EndsWith("OSM edited by anna (v12): tags.name 'Zürich HB' → '<script>&'", StringComparison.Ordinal));
        Assert.Equal("/data/changes?atlas_operator=SBB", link);
        Assert.Equal(0, scripts);
        Assert.Equal([ChangesFixture.HostileName], after);
        Assert.Contains("Run 22222222 published 2026-12-02 06:00, compared with run 11111111", olderHeader, StringComparison.Ordinal);
        Assert.Contains($"run={ChangesFixture.SecondRun}", map.Page.Url, StringComparison.Ordinal);
        await map.AssertCleanAsync();
        await IntegrationFixture.DeleteRedisKeysAsync(prefix);
    }
}
