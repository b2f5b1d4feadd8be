using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using StopSync.Data.Entities;
using StopSync.Data.Status;
using StopSync.Jobs.Runs;
using StopSync.Jobs.Sources;
using StopSync.Tests.Infrastructure;
using StopSync.Tests.Jobs.Sources.Acquisition;

namespace StopSync.Tests.Jobs.Runs;

/// <summary>One run at a time, the status document and orphan recovery, on the real Redis and PostGIS.</summary>
[Collection(IntegrationGroup.Name)]
public sealed class PipelineRunControlTests(IntegrationFixture fixture) : IAsyncLifetime
{
    // Each test has keys of its own under the fixture's prefix, deleted with it at the end of the collection.
    private readonly string _prefix = $"{fixture.PipelinePrefix}{Guid.NewGuid():N}:";
    private ConnectionMultiplexer _redis = null!;

    public async Task InitializeAsync() => _redis = await ConnectionMultiplexer.ConnectAsync(TestEnvironment.RedisConnectionString);

    public async Task DisposeAsync()
    {
        await IntegrationFixture.DeleteRedisKeysAsync(_prefix);
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task TwoConcurrentTriggers_GiveExactlyOneRun_AndTheOtherIsSkipped()
    {
        // Two service providers stand for two scheduler processes sharing Redis. A reader's lock holds the first run in its
        // swap for as long as the test needs, so the second trigger certainly lands while the first run is active.
        await using var first = Services(new() { ["Pipeline:Publication:LockTimeoutSeconds"] = "30" });
        await using var second = Services();
        await using var reader = new Npgsql.NpgsqlConnection(fixture.ConnectionString);
        await reader.OpenAsync();
        var readerTransaction = await reader.BeginTransactionAsync();
        await using (var command = new Npgsql.NpgsqlCommand("LOCK TABLE public.stops_matched IN ACCESS SHARE MODE", reader, readerTransaction))
        {
            await command.ExecuteNonQueryAsync();
        }

        var running = Task.Run(() => RunAsync(first, "scheduled"));
        await WaitUntilAsync(async () => (await Store(first).ReadAsync()).Phase == PipelinePhases.Publish);
        var secondRun = await RunAsync(second, "manual");
        await readerTransaction.RollbackAsync();
        var runs = new[] { secondRun, await running };

        Assert.Single(runs, r => r.Status == PipelineRunStatus.Succeeded);
        var skipped = Assert.Single(runs, r => r.Status == PipelineRunStatus.Skipped);
        Assert.Equal(PipelineRunner.SkippedMessage, skipped.Message);
        var status = await Store(first).ReadAsync();
        Assert.Equal(PipelineStates.Idle, status.Status);
        Assert.NotNull(status.LastSkipped);
        Assert.Equal(skipped.Trigger, status.LastSkipped.Trigger);
        Assert.False(await Store(first).IsLockHeldAsync());
        await using var db = fixture.CreateDbContext();
        Assert.Equal(PipelineRunStatus.Skipped, (await db.PipelineRuns.SingleAsync(r => r.Id == skipped.Id)).Status);
    }

    [Fact]
    public async Task SuccessfulRun_RecordsEveryPhase_WithDurationsAndTheEtaOfTheNextRun()
    {
        await using var services = Services();

        var run = await RunAsync(services, "manual");
        var next = await RunAsync(services, "manual");

        var status = await Store(services).ReadAsync();
        Assert.Equal(PipelineRunStatus.Succeeded, next.Status);
        Assert.Equal(next.Id, status.RunId);
        Assert.Equal(PipelinePhases.All.Select(p => p.Id), status.Phases.Select(p => p.Id));
        Assert.All(status.Phases, p => Assert.Contains(p.Status, (string[])[PhaseStatus.Complete, PhaseStatus.Reused, PhaseStatus.Skipped]));
        Assert.Equal(PhaseStatus.Complete, status.Phases.Single(p => p.Id == PipelinePhases.StopMatching).Status);
        Assert.True(status.Phases.Single(p => p.Id == PipelinePhases.StopMatching).Counts["matches"] > 0);
        Assert.NotNull(status.LastSuccessAt);
        Assert.NotNull(status.EtaSeconds);
        Assert.Contains(status.PhaseHistory, h => h.Phase == PipelinePhases.Publish && h.Status == PhaseStatus.Complete);
        Assert.True(PhaseSeconds(run).ContainsKey(PipelinePhases.Database));
    }

    [Fact]
    public async Task DeadRun_LeaseExpires_AndTheWatchdogMarksItFailed()
    {
        await using var services = Services();
        var store = Store(services);
        var runId = Guid.NewGuid();
        await using (var db = fixture.CreateDbContext())
        {
            db.PipelineRuns.Add(new PipelineRun { Id = runId, Trigger = "scheduled", Mode = "full", Status = PipelineRunStatus.Running, StartedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }

        var phases = PipelinePhases.Plan();
        phases[0].Status = PhaseStatus.Complete;
        phases[1].Status = PhaseStatus.Running;
        await store.WriteRunDocumentAsync(new PipelineStatusDocument
        {
            Status = PipelineStates.Running, Phase = PipelinePhases.SourceFiles, RunId = runId, Phases = phases, StartedAt = DateTimeOffset.UtcNow,
        });
        await using (var connection = new Npgsql.NpgsqlConnection(fixture.ConnectionString))
        {
            // What a publisher that died while staging leaves behind.
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand("CREATE SCHEMA staging_0123456789ab; CREATE TABLE staging_0123456789ab.t (x int)", connection);
            await command.ExecuteNonQueryAsync();
        }

        // The lease a runner left behind when its process died: nobody extends it any more.
        // Long enough for the first pass on a busy machine; the expiry is then simulated by removing the key.
        await _redis.GetDatabase().StringSetAsync(store.Keys.Lock, "dead-owner", TimeSpan.FromSeconds(60));
        await using var scope = services.CreateAsyncScope();
        var watchdog = scope.ServiceProvider.GetRequiredService<PipelineWatchdog>();

        var whileLeased = await watchdog.RecoverAsync(CancellationToken.None);
        await _redis.GetDatabase().KeyDeleteAsync(store.Keys.Lock);
        var afterExpiry = await watchdog.RecoverAsync(CancellationToken.None);

        Assert.True(whileLeased.RunActive);
        Assert.False(whileLeased.Recovered);
        Assert.True(afterExpiry.StatusRepaired);
        Assert.Equal(1, afterExpiry.RunsEnded);
        Assert.True(afterExpiry.SchemasDropped >= 1);
        var status = await store.ReadAsync();
        Assert.Equal(PipelineStates.Failed, status.Status);
        Assert.Equal(PipelineWatchdog.StoppedMessage, status.Message);
        Assert.Equal(PipelinePhases.SourceFiles, status.FailedPhase);
        Assert.Equal(PhaseStatus.Failed, status.Phases[1].Status);
        await using (var db = fixture.CreateDbContext())
        {
            var row = await db.PipelineRuns.AsNoTracking().SingleAsync(r => r.Id == runId);
            Assert.Equal(PipelineRunStatus.Failed, row.Status);
            Assert.Equal(PipelineWatchdog.StoppedMessage, row.Error);
            Assert.Equal(0, await db.Database.SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM pg_namespace WHERE nspname = 'staging_0123456789ab'").SingleAsync());
        }

        Assert.Equal(PipelineRunStatus.Succeeded, (await RunAsync(services, "scheduled")).Status);
    }

    [Fact]
    public async Task FailingSource_FailsTheRun_WithAClearMessage_AndThePreviousDatasetStays()
    {
        await using var server = await SourceTestServer.StartAsync();
        var atlas = server.Serve("/atlas.csv", await File.ReadAllBytesAsync(fixture.DemoAtlasPath));
        for (var i = 0; i < 20; i++)
        {
            atlas.Faults.Enqueue(new Fault(500, "upstream broke"));
        }

        var cache = Directory.CreateTempSubdirectory("stopsync-runs-").FullName;
        await using var services = Services(new()
        {
            ["Pipeline:Sources:Atlas:Path"] = "",
            ["Pipeline:Sources:Atlas:Url"] = server.Url("/atlas.csv").ToString(),
            ["Pipeline:Sources:CacheDirectory"] = cache,
            ["Pipeline:Sources:RetryDelay"] = "00:00:00.010",
            ["Pipeline:Sources:MaxRetries"] = "1",
        });
        await using var db = fixture.CreateDbContext();
        var before = await db.DatasetPublications.AsNoTracking().SingleAsync();
        var rowsBefore = await db.StopsMatched.CountAsync();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => RunAsync(services, "scheduled"));

        Assert.Contains("500", error.Message, StringComparison.Ordinal);
        var status = await Store(services).ReadAsync();
        Assert.Equal(PipelineStates.Failed, status.Status);
        // The probe's failure only plans a download; the download is what fails.
        Assert.Equal(PhaseStatus.Complete, status.Phases.Single(p => p.Id == PipelinePhases.SourceCheck).Status);
        Assert.Equal(PipelinePhases.SourceFiles, status.FailedPhase);
        Assert.Equal(error.Message, status.LastError);
        Assert.Equal(PhaseStatus.Skipped, status.Phases.Single(p => p.Id == PipelinePhases.Publish).Status);
        var failed = await db.PipelineRuns.AsNoTracking().SingleAsync(r => r.Id == status.RunId);
        Assert.Equal(PipelineRunStatus.Failed, failed.Status);
        Assert.Contains(error.Message, failed.Error, StringComparison.Ordinal);
        Assert.Equal(before.RunId, (await db.DatasetPublications.AsNoTracking().SingleAsync()).RunId);
        Assert.Equal(rowsBefore, await db.StopsMatched.CountAsync());
        Directory.Delete(cache, recursive: true);
    }

    [Fact]
    public async Task FullRun_ChecksAndFetchesInPhasesOfTheirOwn_AndRecordsADownloadOnlyOnceItWasRead()
    {
        await using var server = await SourceTestServer.StartAsync();
        var atlas = server.Serve("/atlas.csv", "sloid;number\n"u8.ToArray());
        atlas.ETag = "\"v1\"";
        var cache = Directory.CreateTempSubdirectory("stopsync-runs-").FullName;
        var manifest = Path.Combine(cache, "sources.json");
        await using var services = Services(new()
        {
            ["Pipeline:Sources:Atlas:Path"] = "",
            ["Pipeline:Sources:Atlas:Url"] = server.Url("/atlas.csv").ToString(),
            ["Pipeline:Sources:CacheDirectory"] = cache,
        });

        var unreadable = await Assert.ThrowsAsync<SourceFormatException>(() => RunAsync(services, "manual"));
        var failed = await Store(services).ReadAsync();
        var recordedAfterFailure = File.Exists(manifest);
        // The same validators: only because the failed run recorded nothing is the file downloaded again.
        atlas.Content = await File.ReadAllBytesAsync(fixture.DemoAtlasPath);
        var downloaded = await RunAsync(services, "manual");
        var first = await Store(services).ReadAsync();
        server.ClearRequests();
        var reused = await RunAsync(services, "manual");
        var second = await Store(services).ReadAsync();

        Assert.Contains("has no column", unreadable.Message, StringComparison.Ordinal);
        Assert.Equal(PipelinePhases.MatchingInputs, failed.FailedPhase);
        Assert.False(recordedAfterFailure);
        Assert.Equal(PipelineRunStatus.Succeeded, downloaded.Status);
        Assert.Equal(PipelineRunStatus.Succeeded, reused.Status);

        var check = first.Phases.Single(p => p.Id == PipelinePhases.SourceCheck);
        var files = first.Phases.Single(p => p.Id == PipelinePhases.SourceFiles);
        Assert.Equal(
            (PhaseStatus.Complete, 1L, 0L, 2L),
            (check.Status, check.Counts["to_download"], check.Counts["to_reuse"], check.Counts["local_files"]));
        Assert.Equal(PhaseStatus.Complete, files.Status);
        Assert.Equal(atlas.Content.Length, files.Counts["atlas_bytes"]);
        Assert.True(files.StartedAt >= check.FinishedAt);
        Assert.Equal([PipelinePhases.SourceCheck, PipelinePhases.SourceFiles], first.PhaseHistory.Select(h => h.Phase).Take(2));
        Assert.Contains(PipelinePhases.SourceFiles, PhaseSeconds(downloaded).Keys);

        // Each source is a sub-stage of source_files, with its bytes: downloaded, cached or a local file.
        var atlasStage = files.Stages.Single(s => s.Id == "source_files.atlas");
        Assert.Equal((PhaseStatus.Complete, "ATLAS: download"), (atlasStage.Status, atlasStage.Label));
        Assert.Equal((atlas.Content.Length, atlas.Content.Length), (atlasStage.Processed, atlasStage.Total));
        Assert.Equal(["source_files.atlas", "source_files.gtfs", "source_files.osm"], files.Stages.Select(s => s.Id).Order(StringComparer.Ordinal));
        Assert.All(files.Stages.Where(s => s.Id != "source_files.atlas"), s => Assert.Contains("local file", s.Label, StringComparison.Ordinal));
        var reusedStage = second.Phases.Single(p => p.Id == PipelinePhases.SourceFiles).Stages.Single(s => s.Id == "source_files.atlas");
        Assert.Equal((PhaseStatus.Reused, "ATLAS: cached copy"), (reusedStage.Status, reusedStage.Label));

        Assert.Equal(1, second.Phases.Single(p => p.Id == PipelinePhases.SourceCheck).Counts["to_reuse"]);
        Assert.Equal(PhaseStatus.Reused, second.Phases.Single(p => p.Id == PipelinePhases.SourceFiles).Status);
        Assert.All(server.Requests, r => Assert.True(r.IsProbe));
        using var recorded = JsonDocument.Parse(await File.ReadAllTextAsync(manifest));
        var snapshot = recorded.RootElement.GetProperty("sources").GetProperty("atlas").GetProperty("snapshot");
        Assert.Equal("\"v1\"", snapshot.GetProperty("etag").GetString());
        Directory.Delete(cache, recursive: true);
    }

    [Fact]
    public async Task StatusEndpoint_ServesEveryFieldOfTheStatusDocument()
    {
        // The web app reads the fixture's own pipeline keys.
        await using var services = PipelineServices.Create(
            fixture.ConnectionString, fixture.DemoAtlasPath, fixture.DemoOsmPath, fixture.DemoGtfsPath, fixture.PipelinePrefix);
        var store = Store(services);
        await store.SetBlockingMaintenanceAsync(true);
        await store.SetNextRunAtAsync(DateTimeOffset.UtcNow.AddHours(3));
        using var client = fixture.Factory.CreateClient();

        try
        {
            using var response = await client.GetAsync(new Uri("/api/system/pipeline_status", UriKind.Relative));
            var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

            Assert.True(response.IsSuccessStatusCode);
            Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
            foreach (var field in (string[])["status", "phase", "message", "blocking_maintenance", "maintenance_started_at", "eta_seconds",
                         "run_id", "trigger", "started_at", "finished_at", "phase_history", "last_success_at", "last_error", "failed_phase",
                         "next_run_at", "phases"])
            {
                Assert.True(json.TryGetProperty(field, out _), $"missing field {field}");
            }

            Assert.True(json.GetProperty("blocking_maintenance").GetBoolean());
            Assert.Equal(JsonValueKind.String, json.GetProperty("maintenance_started_at").ValueKind);
            Assert.Equal(JsonValueKind.String, json.GetProperty("next_run_at").ValueKind);
            Assert.Equal(PipelinePhases.All.Select(p => p.Id), json.GetProperty("phases").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        }
        finally
        {
            await store.SetBlockingMaintenanceAsync(false);
        }
    }

    [Fact]
    public async Task RunPipelineCommand_Exits2_WhenAnotherRunHoldsTheLock()
    {
        await _redis.GetDatabase().StringSetAsync(_prefix + "lock", "other-run", TimeSpan.FromSeconds(60));

        var (exitCode, output) = await JobsExecutable.RunAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__StopSync"] = fixture.ConnectionString,
            ["ConnectionStrings__Redis"] = TestEnvironment.RedisConnectionString,
            ["Pipeline__KeyPrefix"] = _prefix,
            ["Pipeline__Sources__Atlas__Path"] = fixture.DemoAtlasPath,
            ["Pipeline__Sources__Osm__Path"] = fixture.DemoOsmPath,
            ["Pipeline__Sources__Gtfs__Path"] = fixture.DemoGtfsPath,
        }, "run-pipeline", "--mode", "full");

        Assert.Equal(2, exitCode);
        Assert.Contains(PipelineRunner.SkippedMessage, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MatchImport_UsesTheCachedFiles_WithoutAnyRequest_AndAsksForAFullRunWhenThereAreNone()
    {
        await using var server = await SourceTestServer.StartAsync();
        var cache = Directory.CreateTempSubdirectory("stopsync-runs-").FullName;
        await using var services = Services(new()
        {
            ["Pipeline:Sources:Atlas:Path"] = "",
            ["Pipeline:Sources:Atlas:Url"] = server.Url("/atlas.csv").ToString(),
            ["Pipeline:Sources:CacheDirectory"] = cache,
        });

        var missing = await Assert.ThrowsAsync<SourceFormatException>(() => RunAsync(services, "manual", PipelineMode.MatchImport));
        File.Copy(fixture.DemoAtlasPath, Path.Combine(cache, "atlas-traffic-points.csv"));
        var run = await RunAsync(services, "manual", PipelineMode.MatchImport);

        Assert.Contains("run a full update first", missing.Message, StringComparison.Ordinal);
        Assert.Equal(PipelineRunStatus.Succeeded, run.Status);
        Assert.Equal("match-import", run.Mode);
        Assert.Empty(server.Requests);
        var status = await Store(services).ReadAsync();
        Assert.Equal(PhaseStatus.Skipped, status.Phases.Single(p => p.Id == PipelinePhases.SourceCheck).Status);
        Assert.Equal(PhaseStatus.Reused, status.Phases.Single(p => p.Id == PipelinePhases.SourceFiles).Status);
        Directory.Delete(cache, recursive: true);
    }

    private ServiceProvider Services(Dictionary<string, string?>? extra = null) =>
        PipelineServices.Create(fixture.ConnectionString, fixture.DemoAtlasPath, fixture.DemoOsmPath, fixture.DemoGtfsPath, _prefix, extra);

    /// <summary>The phase durations as the Data page and the ETA read them: <c>stats.phase_seconds</c>.</summary>
    private static Dictionary<string, double> PhaseSeconds(PipelineRun run) =>
        JsonDocument.Parse(run.Stats).RootElement.GetProperty("phase_seconds").Deserialize<Dictionary<string, double>>()!;

    private static PipelineStatusStore Store(IServiceProvider services) => services.GetRequiredService<PipelineStatusStore>();

    private static async Task<PipelineRun> RunAsync(IServiceProvider services, string trigger, PipelineMode mode = PipelineMode.Full)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PipelineRunner>().RunAsync(trigger, mode, CancellationToken.None);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, int pollMilliseconds = 100)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 10 s");
            await Task.Delay(pollMilliseconds);
        }
    }
}
