using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StopSync.Data.Entities;
using StopSync.Data.Status;
using StopSync.Jobs.Bundles;
using StopSync.Jobs.Publication;
using StopSync.Jobs.Runs;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Jobs.Runs;

/// <summary>
/// A run whose result shrinks too much against the published dataset is held, not published (docs/04-pipeline.md,
/// "Held runs"). Real pipeline runs on the demo dataset, a truncated Overpass answer as the fault, real PostGIS and Redis.
/// </summary>
public sealed class HeldRunTests(HeldRunFixture fixture) : IClassFixture<HeldRunFixture>
{
    private readonly string _bundles = Path.Combine(fixture.Directory, "bundles-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task TruncatedOsmAnswer_EndsHeld_LeavesThePublishedDatasetLive_AndKeepsTheBundleForTheAdministrator()
    {
        await using var full = fixture.Services(_bundles, fixture.OsmPath);
        var baseline = await HeldRunFixture.RunAsync(full);
        var before = await PublishedAsync();
        await using var truncated = fixture.Services(_bundles, fixture.HalfOsmPath);

        var held = await HeldRunFixture.RunAsync(truncated);

        Assert.Equal(PipelineRunStatus.Held, held.Status);
        Assert.Equal(before, await PublishedAsync());
        var hold = RunHold.FromStats(held.Stats);
        Assert.NotNull(hold);
        Assert.Equal(baseline.Id, hold.PublishedRunId);
        var osm = hold.Figures.Single(f => f.Name == ShrinkGuard.OsmElements);
        Assert.Equal((before.OsmElements, 10.0), (osm.Published, osm.LimitPercent));
        Assert.InRange(osm.Candidate, before.OsmElements * 0.45, before.OsmElements * 0.55);
        Assert.True(osm.Exceeded);
        Assert.Equal(before.AtlasPlatforms, hold.Figures.Single(f => f.Name == ShrinkGuard.AtlasPlatforms).Candidate);
        Assert.Matches(@"OSM elements [\d,]+ → [\d,]+ \(−(4|5)\d\.\d %, limit 10 %\)", held.Message);
        Assert.Contains(osm.Describe(), held.Message, StringComparison.Ordinal);
        await using (var db = fixture.CreateDbContext())
        {
            Assert.Equal(PipelineRunStatus.Held, (await db.PipelineRuns.AsNoTracking().SingleAsync(r => r.Id == held.Id)).Status);
            Assert.Equal(0, await db.Database.SqlQueryRaw<long>(
                "SELECT count(*) AS \"Value\" FROM pg_namespace WHERE nspname LIKE 'staging\\_%' OR nspname LIKE 'previous\\_%'").SingleAsync());
        }

        var bundle = Path.Combine(_bundles, held.Id.ToString("D"));
        using (var marker = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(bundle, ResultBundleStore.HeldFile))))
        {
            Assert.Equal(held.Id, marker.RootElement.GetProperty("held_run_id").GetGuid());
            Assert.Equal(osm.Candidate, marker.RootElement.GetProperty("hold").GetProperty("figures")[1].GetProperty("candidate").GetInt64());
        }

        Assert.False(File.Exists(Path.Combine(bundle, ResultBundleStore.ReceiptFile)));
        var status = await truncated.GetRequiredService<PipelineStatusStore>().ReadAsync();
        Assert.Equal((PipelineStates.Held, held.Id), (status.Status, status.RunId));
        Assert.Contains(osm.Describe(), status.Message, StringComparison.Ordinal);
        Assert.True(status.DatasetPublished);
        Assert.Null(status.LastError);
        Assert.Equal(PhaseStatus.Held, status.Phases.Single(p => p.Id == PipelinePhases.Database).Status);
        Assert.Equal(PhaseStatus.Skipped, status.Phases.Single(p => p.Id == PipelinePhases.Publish).Status);

        // The watchdog deletes bundles that never went live, but a held one waits for its administrator.
        await using (var scope = truncated.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<PipelineWatchdog>().RecoverAsync(CancellationToken.None);
        }

        Assert.True(File.Exists(Path.Combine(bundle, ResultBundleFormat.ManifestFile)));
        Assert.True(File.Exists(Path.Combine(bundle, ResultBundleStore.HeldFile)));
        Assert.Equal(Path.Combine(_bundles, baseline.Id.ToString("D")), truncated.GetRequiredService<ResultBundleStore>().Latest());
    }

    [Fact]
    public async Task RunPipelineCommand_Exits3ForAHeldRun_AndPublishCommandPublishesItAsAManualImport()
    {
        await using (var full = fixture.Services(_bundles, fixture.OsmPath))
        {
            await HeldRunFixture.RunAsync(full);
        }

        var (heldExit, heldOutput) = await JobsExecutable.RunAsync(fixture.CommandEnvironment(_bundles, fixture.HalfOsmPath), "run-pipeline");
        var held = await NewestRunAsync();
        var hold = RunHold.FromStats(held.Stats)!;

        var (publishExit, publishOutput) = await JobsExecutable.RunAsync(
            fixture.CommandEnvironment(_bundles, fixture.OsmPath), "publish", "--run", held.Id.ToString("D"));

        Assert.True(heldExit == 3, heldOutput);
        Assert.Contains($"Run {held.Id} held", heldOutput, StringComparison.Ordinal);
        Assert.Contains("OSM elements", heldOutput, StringComparison.Ordinal);
        Assert.True(publishExit == 0, publishOutput);
        var publication = await NewestRunAsync();
        Assert.Equal((PipelineRunStatus.Succeeded, PipelineTrigger.Manual, "import"), (publication.Status, publication.Trigger, publication.Mode));
        Assert.Contains(held.Id.ToString("D"), publication.Message, StringComparison.Ordinal);
        using (var stats = JsonDocument.Parse(publication.Stats))
        {
            Assert.Equal(held.Id, stats.RootElement.GetProperty("held_run_id").GetGuid());
        }

        var after = await PublishedAsync();
        Assert.Equal(publication.Id, after.RunId);
        Assert.Equal(hold.Figures.Select(f => f.Candidate), [after.AtlasPlatforms, after.OsmElements, after.Matches]);
        await using var db = fixture.CreateDbContext();
        var released = await db.PipelineRuns.AsNoTracking().SingleAsync(r => r.Id == held.Id);
        Assert.Equal(PipelineRunStatus.Published, released.Status);
        Assert.Contains(publication.Id.ToString("D"), released.Message, StringComparison.Ordinal);
        var bundle = Path.Combine(_bundles, held.Id.ToString("D"));
        Assert.False(File.Exists(Path.Combine(bundle, ResultBundleStore.HeldFile)));
        Assert.True(File.Exists(Path.Combine(bundle, ResultBundleStore.ReceiptFile)));
    }

    [Fact]
    public async Task DiscardCommand_DeletesTheHeldBundle_AndMarksTheRunDiscarded_AndBothCommandsRefuseRunsThatAreNotHeld()
    {
        await using var full = fixture.Services(_bundles, fixture.OsmPath);
        var baseline = await HeldRunFixture.RunAsync(full);
        await using var truncated = fixture.Services(_bundles, fixture.HalfOsmPath);
        var held = await HeldRunFixture.RunAsync(truncated);
        var before = await PublishedAsync();
        var environment = fixture.CommandEnvironment(_bundles, fixture.OsmPath);
        var unknown = Guid.NewGuid();

        var (discardExit, discardOutput) = await JobsExecutable.RunAsync(environment, "discard", "--run", held.Id.ToString("D"));
        var (againExit, againOutput) = await JobsExecutable.RunAsync(environment, "discard", "--run", held.Id.ToString("D"));
        var (unknownExit, unknownOutput) = await JobsExecutable.RunAsync(environment, "publish", "--run", unknown.ToString("D"));
        var (succeededExit, succeededOutput) = await JobsExecutable.RunAsync(environment, "publish", "--run", baseline.Id.ToString("D"));

        Assert.True(discardExit == 0, discardOutput);
        Assert.False(Directory.Exists(Path.Combine(_bundles, held.Id.ToString("D"))));
        await using (var db = fixture.CreateDbContext())
        {
            Assert.Equal(PipelineRunStatus.Discarded, (await db.PipelineRuns.AsNoTracking().SingleAsync(r => r.Id == held.Id)).Status);
        }

        Assert.Equal(before, await PublishedAsync());
        Assert.Equal(2, againExit);
        Assert.Contains($"Run {held.Id:D} is not held (its status is 'discarded')", againOutput, StringComparison.Ordinal);
        Assert.Equal(2, unknownExit);
        Assert.Contains($"There is no pipeline run {unknown:D}.", unknownOutput, StringComparison.Ordinal);
        Assert.Equal(2, succeededExit);
        Assert.Contains($"Run {baseline.Id:D} is not held (its status is 'succeeded')", succeededOutput, StringComparison.Ordinal);
        Assert.Equal(before, await PublishedAsync());
    }

    [Fact]
    public async Task ShrinkUnderTheLimits_PublishesNormally()
    {
        await using var full = fixture.Services(_bundles, fixture.OsmPath);
        await HeldRunFixture.RunAsync(full);
        var before = await PublishedAsync();
        await using var trimmed = fixture.Services(_bundles, fixture.TrimmedOsmPath);

        var run = await HeldRunFixture.RunAsync(trimmed);

        Assert.Equal(PipelineRunStatus.Succeeded, run.Status);
        var after = await PublishedAsync();
        Assert.Equal(run.Id, after.RunId);
        Assert.InRange(after.OsmElements, before.OsmElements * 0.9, before.OsmElements - 1);
        Assert.Null(RunHold.FromStats(run.Stats));
        Assert.False(File.Exists(Path.Combine(_bundles, run.Id.ToString("D"), ResultBundleStore.HeldFile)));
    }

    [Fact]
    public async Task LimitsRaisedInConfiguration_LetTheTruncatedAnswerPublish()
    {
        await using var full = fixture.Services(_bundles, fixture.OsmPath);
        await HeldRunFixture.RunAsync(full);
        await using var lenient = fixture.Services(_bundles, fixture.HalfOsmPath, new()
        {
            ["Pipeline:Publication:MaxShrink:OsmElementsPercent"] = "60",
            ["Pipeline:Publication:MaxShrink:MatchesPercent"] = "100",
        });

        var run = await HeldRunFixture.RunAsync(lenient);

        Assert.Equal(PipelineRunStatus.Succeeded, run.Status);
        Assert.Equal(run.Id, (await PublishedAsync()).RunId);
    }

    [Fact]
    public async Task FirstRunEver_IsNeverHeld_BecauseNothingIsPublishedToCompareWith()
    {
        await using var database = await HeldRunFixture.CreateMigratedDatabaseAsync();
        await using var services = fixture.Services(_bundles, fixture.HalfOsmPath, connectionString: database.ConnectionString);

        var run = await HeldRunFixture.RunAsync(services);

        Assert.Equal(PipelineRunStatus.Succeeded, run.Status);
        await using var db = HeldRunFixture.CreateDbContext(database.ConnectionString);
        Assert.Equal(run.Id, (await db.DatasetPublications.AsNoTracking().SingleAsync()).RunId);
    }

    [Fact]
    public async Task PublishAndDiscard_WaitForTheRunLock_AndLeaveTheRunHeldWhileAnotherRunIsActive()
    {
        await using var full = fixture.Services(_bundles, fixture.OsmPath);
        await HeldRunFixture.RunAsync(full);
        await using var truncated = fixture.Services(_bundles, fixture.HalfOsmPath);
        var held = await HeldRunFixture.RunAsync(truncated);

        PipelineRun publication;
        DiscardOutcome discard;
        await using (var active = await full.GetRequiredService<PipelineRunLock>().TryAcquireAsync())
        {
            Assert.NotNull(active);
            await using var scope = full.CreateAsyncScope();
            var heldRuns = scope.ServiceProvider.GetRequiredService<HeldRuns>();
            publication = await heldRuns.PublishAsync(held.Id, PipelineTrigger.Manual, CancellationToken.None);
            discard = await heldRuns.DiscardAsync(held.Id, CancellationToken.None);
        }

        Assert.Equal(PipelineRunStatus.Skipped, publication.Status);
        Assert.Equal(DiscardOutcome.Busy, discard);
        await using var db = fixture.CreateDbContext();
        Assert.Equal(PipelineRunStatus.Held, (await db.PipelineRuns.AsNoTracking().SingleAsync(r => r.Id == held.Id)).Status);
        Assert.True(File.Exists(Path.Combine(_bundles, held.Id.ToString("D"), ResultBundleStore.HeldFile)));
    }

    [Theory]
    [InlineData("AtlasPlatformsPercent", "-1")]
    [InlineData("OsmElementsPercent", "101")]
    [InlineData("MatchesPercent", "NaN")]
    public async Task MaxShrink_OutsideZeroToHundred_IsRefusedWithTheSettingNamed(string key, string value)
    {
        await using var services = fixture.Services(_bundles, fixture.OsmPath, new() { [$"Pipeline:Publication:MaxShrink:{key}"] = value });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<PipelineOptions>>().Value);

        Assert.Contains($"Pipeline:Publication:MaxShrink:{key} is", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Pipeline:Watchdog:IntervalSeconds", "0")]
    [InlineData("Pipeline:Lock:LeaseSeconds", "-5")]
    public async Task RunTimings_BelowOneSecond_AreRefusedWithTheSettingNamed(string key, string value)
    {
        await using var services = fixture.Services(_bundles, fixture.OsmPath, new() { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<PipelineOptions>>().Value);

        Assert.Contains($"{key} is {value}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(76_331, 37_753, 10, "OSM elements 76,331 → 37,753 (−50.5 %, limit 10 %)", true)]
    [InlineData(1_000, 900, 10, "OSM elements 1,000 → 900 (−10.0 %, limit 10 %)", false)]
    [InlineData(1_000, 1_020, 10, "OSM elements 1,000 → 1,020 (+2.0 %, limit 10 %)", false)]
    public void ShrinkFigure_DescribesTheChange_AndExceedsOnlyPastTheLimit(long published, long candidate, double limit, string text, bool exceeded)
    {
        var figure = new ShrinkFigure(ShrinkGuard.OsmElements, "OSM elements", published, candidate, limit);

        Assert.Equal((text, exceeded), (figure.Describe(), figure.Exceeded));
    }

    private async Task<Published> PublishedAsync()
    {
        await using var db = fixture.CreateDbContext();
        return new Published(
            (await db.DatasetPublications.AsNoTracking().SingleAsync()).RunId,
            await db.AtlasStops.LongCountAsync(),
            await db.OsmNodes.LongCountAsync(),
            await db.StopsMatched.LongCountAsync(s => s.StopType == StopTypes.Matched),
            await db.StopsMatched.LongCountAsync());
    }

    private async Task<PipelineRun> NewestRunAsync()
    {
        await using var db = fixture.CreateDbContext();
        return await db.PipelineRuns.AsNoTracking().OrderByDescending(r => r.StartedAt).FirstAsync();
    }

    private sealed record Published(Guid RunId, long AtlasPlatforms, long OsmElements, long Matches, long StopRows);
}
