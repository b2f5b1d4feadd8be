using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StopSync.Data.Entities;
using StopSync.Data.Status;
using StopSync.Jobs.Bundles;
using StopSync.Jobs.Runs;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Jobs.Bundles;

/// <summary>Runs write result bundles; import mode publishes one again. Real PostGIS and Redis.</summary>
[Collection(IntegrationGroup.Name)]
public sealed class ImportModeTests(IntegrationFixture fixture) : IAsyncLifetime
{
    private readonly string _prefix = $"{fixture.PipelinePrefix}{Guid.NewGuid():N}:";
    private readonly string _bundles = Directory.CreateTempSubdirectory("stopsync-bundles-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await IntegrationFixture.DeleteRedisKeysAsync(_prefix);
        Directory.Delete(_bundles, recursive: true);
    }

    [Fact]
    public async Task FullRun_WritesItsBundle_AndImportPublishesItAgain_WithoutReadingAnySource()
    {
        await using var full = Services();
        var first = await RunAsync(full, PipelineMode.Full);
        await using var db = fixture.CreateDbContext();
        var rows = await StopRowsAsync(db);
        // Sources that do not exist: import mode must not need them.
        await using var import = Services(new()
        {
            ["Pipeline:Sources:Atlas:Path"] = "/nonexistent/atlas.csv",
            ["Pipeline:Sources:Osm:Path"] = "/nonexistent/osm.xml",
        });

        var second = await RunAsync(import, PipelineMode.Import);

        Assert.True(File.Exists(Path.Combine(_bundles, first.Id.ToString("D"), "manifest.json")));
        Assert.Equal(PipelineRunStatus.Succeeded, second.Status);
        Assert.Equal("import", second.Mode);
        Assert.Equal(rows, await StopRowsAsync(db));
        var publication = await db.DatasetPublications.AsNoTracking().SingleAsync();
        Assert.Equal(second.Id, publication.RunId);
        using var manifest = JsonDocument.Parse(publication.Manifest);
        Assert.Equal(first.Id, manifest.RootElement.GetProperty("run_id").GetGuid());
        var status = await Store(import).ReadAsync();
        Assert.All(status.Phases.Take(5), p => Assert.Equal(PhaseStatus.Skipped, p.Status));
        Assert.Equal(PhaseStatus.Reused, Phase(status, PipelinePhases.Bundle).Status);
        Assert.Equal(["database.validate", "database.changes", "database.load", "database.index"], Phase(status, PipelinePhases.Database).Stages.Select(s => s.Id));
        Assert.All(Phase(status, PipelinePhases.Database).Stages, s => Assert.Equal(PhaseStatus.Complete, s.Status));
        var load = Phase(status, PipelinePhases.Database).Stages.Single(s => s.Id == "database.load");
        Assert.Equal(await db.AtlasStops.CountAsync() + await db.OsmNodes.CountAsync() + await db.OsmStops.CountAsync()
            + await db.OsmStopMembers.CountAsync() + rows.Count + await db.Problems.CountAsync()
            + await db.LineFamilies.CountAsync() + await db.Itineraries.CountAsync() + await db.StopCalls.CountAsync()
            + await db.LineFamilyMatches.CountAsync() + await db.ItineraryMatches.CountAsync() + await db.GtfsStops.CountAsync(), load.Total);
        // The timetable's stops travel in the bundle too: import publishes them without reading GTFS.
        Assert.True(await db.GtfsStops.AnyAsync());
        Assert.Equal(load.Total, load.Processed);
        Assert.Equal(PhaseStatus.Complete, Phase(status, PipelinePhases.Publish).Status);
    }

    [Fact]
    public async Task ImportByDefault_TakesTheNewestPublishedBundle_AndTheWatchdogDeletesOneThatNeverWent()
    {
        await using var services = Services();
        var published = await RunAsync(services, PipelineMode.Full);
        // A newer, complete bundle without a publication receipt: what a runner that died before its swap leaves.
        var orphan = Path.Combine(_bundles, Guid.NewGuid().ToString("D"));
        Directory.CreateDirectory(orphan);
        foreach (var file in Directory.GetFiles(Path.Combine(_bundles, published.Id.ToString("D"))).Where(f => !f.EndsWith(ResultBundleStore.ReceiptFile, StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(orphan, Path.GetFileName(file)));
        }

        var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(orphan, "manifest.json")))!;
        manifest["run_id"] = Path.GetFileName(orphan);
        manifest["generated_at"] = DateTimeOffset.UtcNow.AddHours(1);
        File.WriteAllText(Path.Combine(orphan, "manifest.json"), manifest.ToJsonString());

        var import = await RunAsync(services, PipelineMode.Import);
        await using var db = fixture.CreateDbContext();
        using var live = JsonDocument.Parse((await db.DatasetPublications.AsNoTracking().SingleAsync()).Manifest);
        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<PipelineWatchdog>().RecoverAsync(CancellationToken.None);
        }

        Assert.Equal(PipelineRunStatus.Succeeded, import.Status);
        Assert.Equal(published.Id, live.RootElement.GetProperty("run_id").GetGuid());
        Assert.False(Directory.Exists(orphan));
        Assert.True(File.Exists(Path.Combine(_bundles, published.Id.ToString("D"), ResultBundleStore.ReceiptFile)));
    }

    [Fact]
    public async Task FullRun_ShowsTheBundlePhase_AndTheReadingSubStages()
    {
        await using var services = Services();

        var run = await RunAsync(services, PipelineMode.Full);

        var status = await Store(services).ReadAsync();
        var bundle = Phase(status, PipelinePhases.Bundle);
        Assert.Equal(PhaseStatus.Complete, bundle.Status);
        // The bundle directory by name only: the status document is public.
        Assert.Equal(run.Id.ToString("D"), bundle.Detail);
        Assert.True(bundle.Counts["matches"] > 0);
        Assert.Equal(["matching_inputs.atlas", "matching_inputs.osm", "matching_inputs.gtfs", "matching_inputs.rulings"],
            Phase(status, PipelinePhases.MatchingInputs).Stages.Select(s => s.Id));
        Assert.Equal(["publish.swap"], Phase(status, PipelinePhases.Publish).Stages.Select(s => s.Id));
    }

    [Fact]
    public async Task ImportWithoutAnyBundle_FailsWithAClearMessage_AndKeepsThePublishedDataset()
    {
        await using var services = Services();
        await using var db = fixture.CreateDbContext();
        var before = await db.DatasetPublications.AsNoTracking().SingleAsync();

        var error = await Assert.ThrowsAsync<ResultBundleException>(() => RunAsync(services, PipelineMode.Import));

        Assert.Contains("There is no published result bundle in", error.Message, StringComparison.Ordinal);
        Assert.Contains("run a full update first", error.Message, StringComparison.Ordinal);
        Assert.Equal(before.RunId, (await db.DatasetPublications.AsNoTracking().SingleAsync()).RunId);
        var failed = await db.PipelineRuns.OrderByDescending(r => r.StartedAt).FirstAsync();
        Assert.Equal((PipelineRunStatus.Failed, "import"), (failed.Status, failed.Mode));
    }

    [Fact]
    public async Task ImportOfADamagedBundle_FailsInValidation_BeforeAnyDatabaseWork()
    {
        await using var services = Services();
        var run = await RunAsync(services, PipelineMode.Full);
        var path = Path.Combine(_bundles, run.Id.ToString("D"));
        File.AppendAllText(Path.Combine(path, "matches.jsonl.gz"), "x");
        await using var db = fixture.CreateDbContext();

        var error = await Assert.ThrowsAsync<ResultBundleException>(() => RunAsync(services, PipelineMode.Import, path));

        Assert.Contains("matches.jsonl.gz", error.Message, StringComparison.Ordinal);
        Assert.Equal(run.Id, (await db.DatasetPublications.AsNoTracking().SingleAsync()).RunId);
        var status = await Store(services).ReadAsync();
        Assert.Equal(PipelinePhases.Database, status.FailedPhase);
        var validate = Assert.Single(Phase(status, PipelinePhases.Database).Stages);
        Assert.Equal(("database.validate", PhaseStatus.Failed), (validate.Id, validate.Status));
        Assert.True(Directory.Exists(path), "import mode never deletes the bundle it was given");
        Assert.Equal(0, await SchemaCountAsync(db));
    }

    [Fact]
    public async Task RunFailingAfterItsBundleWasWritten_DeletesTheBundle_SoItIsNeverImported()
    {
        await using var services = Services(new() { ["Pipeline:Publication:LockTimeoutSeconds"] = "0.2" });
        await using var reader = new Npgsql.NpgsqlConnection(fixture.ConnectionString);
        await reader.OpenAsync();
        await using var transaction = await reader.BeginTransactionAsync();
        await using (var command = new Npgsql.NpgsqlCommand("LOCK TABLE public.stops_matched IN ACCESS SHARE MODE", reader, transaction))
        {
            await command.ExecuteNonQueryAsync();
        }

        await Assert.ThrowsAsync<StopSync.Jobs.Publication.PublicationBusyException>(() => RunAsync(services, PipelineMode.Full));
        await transaction.RollbackAsync();

        Assert.Empty(Directory.EnumerateFileSystemEntries(_bundles));
        var status = await Store(services).ReadAsync();
        Assert.Equal(PhaseStatus.Complete, Phase(status, PipelinePhases.Bundle).Status);
        Assert.Equal(PipelinePhases.Publish, status.FailedPhase);
    }

    [Fact]
    public async Task SuccessfulRuns_KeepOnlyTheConfiguredNumberOfBundles_TheNewestFirst()
    {
        await using var services = Services(new() { ["Pipeline:Bundles:Keep"] = "2" });

        var runs = new List<PipelineRun>();
        for (var k = 0; k < 3; k++)
        {
            runs.Add(await RunAsync(services, PipelineMode.Full));
        }

        var kept = Directory.EnumerateDirectories(_bundles).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(runs.Skip(1).Select(r => r.Id.ToString("D")).Order(StringComparer.Ordinal), kept);
        Assert.Equal(Path.Combine(_bundles, runs[2].Id.ToString("D")), services.GetRequiredService<ResultBundleStore>().Latest());
    }

    [Fact]
    public async Task ImportOfAnOlderBundle_NamedWithATrailingSlash_KeepsThatBundle()
    {
        await using var services = Services(new() { ["Pipeline:Bundles:Keep"] = "2" });
        var older = await RunAsync(services, PipelineMode.Full);
        var newer = await RunAsync(services, PipelineMode.Full);
        var olderPath = Path.Combine(_bundles, older.Id.ToString("D"));

        var import = await RunAsync(services, PipelineMode.Import, olderPath + "/");

        Assert.Equal(PipelineRunStatus.Succeeded, import.Status);
        Assert.True(Directory.Exists(olderPath), "the bundle just published must survive the pruning");
        Assert.True(Directory.Exists(Path.Combine(_bundles, newer.Id.ToString("D"))));
    }

    [Fact]
    public async Task BundleStore_SkipsADirectoryWithABrokenManifest_InsteadOfFailing()
    {
        await using var services = Services();
        var run = await RunAsync(services, PipelineMode.Full);
        var broken = Path.Combine(_bundles, Guid.NewGuid().ToString("D"));
        Directory.CreateDirectory(broken);
        File.WriteAllText(Path.Combine(broken, "manifest.json"), "[1, 2]");
        File.WriteAllText(Path.Combine(broken, ResultBundleStore.ReceiptFile), "{}");

        var latest = services.GetRequiredService<ResultBundleStore>().Latest();

        Assert.Equal(Path.Combine(_bundles, run.Id.ToString("D")), latest);
    }

    private ServiceProvider Services(Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?> { ["Pipeline:Bundles:Directory"] = _bundles };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return PipelineServices.Create(fixture.ConnectionString, fixture.DemoAtlasPath, fixture.DemoOsmPath, fixture.DemoGtfsPath, _prefix, settings);
    }

    private static PipelineStatusStore Store(IServiceProvider services) => services.GetRequiredService<PipelineStatusStore>();

    private static PhaseState Phase(PipelineStatusDocument status, string id) => status.Phases.Single(p => p.Id == id);

    private static async Task<PipelineRun> RunAsync(IServiceProvider services, PipelineMode mode, string? bundle = null)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PipelineRunner>().RunAsync("manual", mode, bundle, CancellationToken.None);
    }

    private static Task<List<string>> StopRowsAsync(StopSync.Data.StopSyncDbContext db) =>
        db.StopsMatched.OrderBy(s => s.Id).Select(s => s.Id + "|" + s.Sloid + "|" + s.OsmNodeId + "|" + s.StopType + "|" + s.MatchType).ToListAsync();

    private static async Task<long> SchemaCountAsync(StopSync.Data.StopSyncDbContext db) =>
        await db.Database.SqlQueryRaw<long>("SELECT count(*) AS \"Value\" FROM pg_namespace WHERE nspname LIKE 'staging\\_%' OR nspname LIKE 'previous\\_%'").SingleAsync();
}
