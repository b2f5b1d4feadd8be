using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using StopSync.Data;
using StopSync.Data.Entities;
using StopSync.Jobs.Runs;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Web.Browser;

/// <summary>
/// OSM tags can hold anything. The demo OSM file with one platform renamed to an HTML payload is published into a
/// database of its own by a real pipeline run (so the name travels the way real data does: reader, matching,
/// publication, API); the map must show the text and run nothing.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class MapHostileDataBrowserTests(IntegrationFixture fixture) : IAsyncLifetime
{
    private const string HostileName = "<img src=x onerror=alert(1)>";

    private readonly string _prefix = $"{fixture.HangfirePrefix}hostile-{Guid.NewGuid():N}:";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"stopsync-hostile-{Guid.NewGuid():N}");
    private TestDatabase _database = null!;
    private string _nodeId = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        var osm = XDocument.Load(fixture.DemoOsmPath);
        var node = osm.Root!.Elements("node").First(n =>
            n.Elements("tag").Any(t => (string?)t.Attribute("k") == "public_transport" && (string?)t.Attribute("v") == "platform")
            && n.Elements("tag").Any(t => (string?)t.Attribute("k") == "name"));
        node.Elements("tag").First(t => (string?)t.Attribute("k") == "name").SetAttributeValue("v", HostileName);
        _nodeId = (string)node.Attribute("id")!;
        var osmPath = Path.Combine(_directory, "osm-stops.xml");
        osm.Save(osmPath);
        var atlasPath = Path.Combine(_directory, Path.GetFileName(fixture.DemoAtlasPath));
        File.Copy(fixture.DemoAtlasPath, atlasPath);

        _database = await TestDatabase.CreateAsync();
        await using (var db = new StopSyncDbContext(new DbContextOptionsBuilder<StopSyncDbContext>()
                         .UseNpgsql(_database.ConnectionString, o => o.UseNetTopologySuite()).UseSnakeCaseNamingConvention().Options))
        {
            await db.Database.MigrateAsync();
        }

        await using var services = PipelineServices.Create(_database.ConnectionString, atlasPath, osmPath, fixture.DemoGtfsPath, _prefix + "pipeline:");
        await using (var scope = services.CreateAsyncScope())
        {
            var run = await scope.ServiceProvider.GetRequiredService<PipelineRunner>().RunAsync("test", CancellationToken.None);
            Assert.Equal(PipelineRunStatus.Succeeded, run.Status);
        }
    }

    public async Task DisposeAsync()
    {
        await IntegrationFixture.DeleteRedisKeysAsync(_prefix);
        await _database.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task HostileOsmName_IsShownAsText_InTheCardAndTheSearchList_AndRunsNothing()
    {
        await using var factory = new StopSyncAppFactory(StopSyncAppFactory.DefaultSettings(_database.ConnectionString, _prefix));
        var baseUrl = factory.StartKestrel();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await TestBrowser.LaunchAsync(playwright);
        var map = await MapTestPage.OpenAsync(browser, baseUrl);
        await map.GotoAsync("/");

        await map.SearchAsync($"node/{_nodeId}");
        await map.WaitForCardAsync("osmId", _nodeId);
        var osmSide = await map.Page.Locator("#stopCard .osm-side dd").AllTextContentsAsync();
        await map.Page.Locator("#stopCard details.tags summary").ClickAsync();
        var nameTag = await map.Page.Locator("#stopCard .tag-table tr", new() { Has = map.Page.GetByRole(AriaRole.Rowheader, new() { Name = "name", Exact = true }) })
            .Locator("td").TextContentAsync();

        await map.Page.FillAsync("#searchInput", "onerror");
        await map.Page.Locator("#searchResults [role=option]").First.WaitForAsync();
        var hits = await map.Page.Locator("#searchResults [role=option] .name").AllTextContentsAsync();
        // Long enough for an injected image to fail loading and fire its handler.
        await map.Page.WaitForTimeoutAsync(500);
        var injected = await map.Page.Locator("img[src='x']").CountAsync();

        Assert.Contains(HostileName, osmSide);
        Assert.Equal(HostileName, nameTag);
        Assert.Contains(HostileName, hits);
        Assert.Equal(0, injected);
        await map.AssertCleanAsync();
    }
}
