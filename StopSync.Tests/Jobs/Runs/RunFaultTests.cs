using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using StopSync.Data;
using StopSync.Data.Entities;
using StopSync.Data.Status;
using StopSync.Jobs.Runs;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Jobs.Runs;

/// <summary>
/// Every run row ends, and with its original cause, whatever fails: Redis or PostgreSQL gone at the start or in the
/// middle of a run, or the runner's process killed. Faults are injected on servers of the tests' own (a private
/// redis-server, a database of its own whose connections are cut) or on one backend of the shared server; the shared
/// servers themselves are never stopped.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class RunFaultTests(IntegrationFixture fixture) : IAsyncLifetime
{
    private readonly string _prefix = $"{fixture.PipelinePrefix}{Guid.NewGuid():N}:";
    private readonly string _work = Directory.CreateTempSubdirectory("stopsync-faults-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await IntegrationFixture.DeleteRedisKeysAsync(_prefix);
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task Run_IsRecordedFailed_NotSkipped_WhenRedisIsDownAtStart()
    {
        await using var redis = await PrivateRedis.StartAsync();
        await redis.StopAsync();
        await using var services = Services(fixture.ConnectionString, redis.ConnectionString);
        var since = DateTimeOffset.UtcNow;

        var error = await Assert.ThrowsAsync<RunLockUnavailableException>(() => RunAsync(services));

        var run = await SingleRunSinceAsync(fixture.ConnectionString, since);
        Assert.Equal(PipelineRunStatus.Failed, run.Status);
        Assert.Contains("Redis is unreachable: the run lock could not be taken", run.Message, StringComparison.Ordinal);
        Assert.Contains(error.Message, run.Error, StringComparison.Ordinal);
        Assert.NotNull(run.FinishedAt);
    }

    [Fact]
    public async Task Run_KeepsItsOriginalError_InTheRowAndTheThrow_WhenRedisIsGoneBeforeTheFailureIsWritten()
    {
        await using var redis = await PrivateRedis.StartAsync();
        await using var services = Services(fixture.ConnectionString, redis.ConnectionString);
        var before = await PublishedAsync(fixture.ConnectionString);
        var since = DateTimeOffset.UtcNow;
        Task<PipelineRun> running;
        await using (var block = await StagingBlock.HoldAsync(fixture.ConnectionString))
        {
            running = RunAsync(services);
            var backend = await block.WaitForPublisherAsync(running);
            // Redis dies while the run waits in its load; then the run's own database connection is cut.
            await redis.StopAsync();
            await block.TerminateAsync(backend);
        }

        var error = await Assert.ThrowsAsync<PostgresException>(() => running);

        Assert.Equal(PostgresErrorCodes.AdminShutdown, error.SqlState);
        var run = await SingleRunSinceAsync(fixture.ConnectionString, since);
        Assert.Equal(PipelineRunStatus.Failed, run.Status);
        Assert.Contains("database connection lost during load (57P01: terminating connection due to administrator command)", run.Message, StringComparison.Ordinal);
        Assert.Contains("57P01", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Redis", run.Error, StringComparison.Ordinal);
        Assert.Equal(before, await PublishedAsync(fixture.ConnectionString));
    }

    [Fact]
    public async Task Run_WritesTheFailedStatusWithItsCause_AndThrowsTheOriginalError_WhenTheDatabaseIsDownAtStart()
    {
        var nowhere = new NpgsqlConnectionStringBuilder(fixture.ConnectionString) { Port = PrivateRedis.FreePort(), Timeout = 2 }.ConnectionString;
        await using var services = Services(nowhere, TestEnvironment.RedisConnectionString);
        var store = services.GetRequiredService<PipelineStatusStore>();

        // EF reports the refused connection as a transient failure around Npgsql's error; that is what the run throws.
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync(services));

        var status = await store.ReadAsync();
        Assert.Equal(PipelineStates.Failed, status.Status);
        Assert.NotNull(status.RunId);
        Assert.StartsWith("database unreachable during start (", status.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", status.LastError, StringComparison.Ordinal);
        Assert.IsType<NpgsqlException>(error.InnerException);
        Assert.DoesNotContain("Npgsql", status.LastError, StringComparison.Ordinal);
        Assert.False(await store.IsLockHeldAsync());
    }

    [Fact]
    public async Task Run_EndsFailedWithTheCauseNamed_ViaTheWatchdog_WhenItsDatabaseGoesAwayMidLoad()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using (var db = Context(database.ConnectionString))
        {
            await db.Database.MigrateAsync();
        }

        var first = await RunWithAsync(database.ConnectionString);
        var before = await PublishedAsync(database.ConnectionString);
        var since = DateTimeOffset.UtcNow;
        Task<PipelineRun> running;
        await using (var services = Services(database.ConnectionString, TestEnvironment.RedisConnectionString))
        {
            await using (var block = await StagingBlock.HoldAsync(database.ConnectionString))
            {
                running = RunAsync(services);
                await block.WaitForPublisherAsync(running);
                // The database goes away for the runner: no new connection is accepted, every open one is cut.
                await AllowConnectionsAsync(database.Name, false);
                await TerminateAllAsync(database.Name);
            }

            var error = await Assert.ThrowsAsync<PostgresException>(() => running);
            Assert.Equal(PostgresErrorCodes.AdminShutdown, error.SqlState);
        }

        PipelineStatusDocument status;
        await using (var services = Services(database.ConnectionString, TestEnvironment.RedisConnectionString))
        {
            status = await services.GetRequiredService<PipelineStatusStore>().ReadAsync();
        }

        await AllowConnectionsAsync(database.Name, true);
        var cut = await SingleRunSinceAsync(database.ConnectionString, since);
        var leftBehind = await LeftoverSchemasAsync(database.ConnectionString);

        await using (var services = Services(database.ConnectionString, TestEnvironment.RedisConnectionString))
        await using (var scope = services.CreateAsyncScope())
        {
            var pass = await scope.ServiceProvider.GetRequiredService<PipelineWatchdog>().CheckAsync(CancellationToken.None);
            Assert.Equal(1, pass.RunsEnded);
        }

        // The Redis document said failed with the cause while the database was away; the row could not be written.
        Assert.Equal(PipelineStates.Failed, status.Status);
        Assert.Equal(cut.Id, status.RunId);
        Assert.StartsWith("database connection lost during load (57P01", status.LastError, StringComparison.Ordinal);
        Assert.Equal(PipelinePhases.Database, status.FailedPhase);
        Assert.Equal(PipelineRunStatus.Running, cut.Status);
        Assert.NotEmpty(leftBehind);
        var ended = await SingleRunSinceAsync(database.ConnectionString, since);
        Assert.Equal(PipelineRunStatus.Failed, ended.Status);
        Assert.Contains("database connection lost during load (57P01", ended.Message, StringComparison.Ordinal);
        Assert.Contains("database connection lost during load (57P01", ended.Error, StringComparison.Ordinal);
        Assert.Empty(await LeftoverSchemasAsync(database.ConnectionString));
        Assert.Equal(before, await PublishedAsync(database.ConnectionString));
        Assert.Equal(first.Id, before.RunId);
    }

    [Fact]
    public async Task RunPipelineProcess_KilledMidRun_IsEndedByTheNextWatchdogPass()
    {
        var bundles = Path.Combine(_work, "bundles");
        var since = DateTimeOffset.UtcNow;
        Guid runId;
        await using (var block = await StagingBlock.HoldAsync(fixture.ConnectionString))
        {
            using var process = JobsExecutable.Start(new Dictionary<string, string>
            {
                ["ConnectionStrings__StopSync"] = fixture.ConnectionString,
                ["ConnectionStrings__Redis"] = TestEnvironment.RedisConnectionString,
                ["Pipeline__KeyPrefix"] = _prefix,
                ["Pipeline__Lock__LeaseSeconds"] = "2",
                ["Pipeline__Sources__Atlas__Path"] = fixture.DemoAtlasPath,
                ["Pipeline__Sources__Osm__Path"] = fixture.DemoOsmPath,
                ["Pipeline__Sources__Gtfs__Path"] = fixture.DemoGtfsPath,
                ["Pipeline__Sources__CacheDirectory"] = Path.Combine(_work, "cache"),
                ["Pipeline__Bundles__Directory"] = bundles,
            }, "run-pipeline", "--mode", "full");
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            var backend = await block.WaitForPublisherAsync(process.WaitForExitAsync());
            runId = (await SingleRunSinceAsync(fixture.ConnectionString, since)).Id;

            process.Kill();
            await process.WaitForExitAsync();
            // The server would notice the dead client at its next write; the test does not wait for that.
            await block.TerminateAsync(backend);
        }

        await using var services = Services(fixture.ConnectionString, TestEnvironment.RedisConnectionString, new() { ["Pipeline:Bundles:Directory"] = bundles });
        var store = services.GetRequiredService<PipelineStatusStore>();
        var left = await store.ReadRunDocumentAsync();
        var leftSchemas = await LeftoverSchemasAsync(fixture.ConnectionString);
        var leftBundles = Directory.GetDirectories(bundles);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await store.IsLockHeldAsync())
        {
            Assert.True(DateTime.UtcNow < deadline, "the killed runner's 2 s lease did not expire");
            await Task.Delay(100);
        }

        WatchdogPass pass;
        await using (var scope = services.CreateAsyncScope())
        {
            pass = await scope.ServiceProvider.GetRequiredService<PipelineWatchdog>().CheckAsync(CancellationToken.None);
        }

        Assert.Equal((PipelineStates.Running, runId), (left!.Status, left.RunId));
        Assert.NotEmpty(leftSchemas);
        Assert.NotEmpty(leftBundles);
        Assert.True(pass.StatusRepaired);
        var run = await SingleRunSinceAsync(fixture.ConnectionString, since);
        Assert.Equal((PipelineRunStatus.Failed, PipelineWatchdog.StoppedMessage), (run.Status, run.Error));
        var status = await store.ReadAsync();
        Assert.Equal((PipelineStates.Failed, PipelineWatchdog.StoppedMessage), (status.Status, status.LastError));
        Assert.Empty(await LeftoverSchemasAsync(fixture.ConnectionString));
        Assert.Empty(Directory.GetDirectories(bundles));
    }

    private ServiceProvider Services(string database, string redis, Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis,
            ["Pipeline:Sources:CacheDirectory"] = Path.Combine(_work, "cache"),
            ["Pipeline:Bundles:Directory"] = Path.Combine(_work, "bundles"),
            // The tests hold a run in its load for as long as they need.
            ["Pipeline:Publication:LockTimeoutSeconds"] = "60",
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return PipelineServices.Create(database, fixture.DemoAtlasPath, fixture.DemoOsmPath, fixture.DemoGtfsPath, _prefix, settings);
    }

    private static async Task<PipelineRun> RunAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PipelineRunner>().RunAsync(PipelineTrigger.Manual, PipelineMode.Full, CancellationToken.None);
    }

    private async Task<PipelineRun> RunWithAsync(string database)
    {
        await using var services = Services(database, TestEnvironment.RedisConnectionString);
        return await RunAsync(services);
    }

    private static async Task<PipelineRun> SingleRunSinceAsync(string database, DateTimeOffset since)
    {
        await using var db = Context(database);
        return await db.PipelineRuns.AsNoTracking().SingleAsync(r => r.StartedAt >= since);
    }

    /// <summary>The live dataset: its publication record and row count.</summary>
    private static async Task<Published> PublishedAsync(string database)
    {
        await using var db = Context(database);
        return new Published(await db.DatasetPublications.AsNoTracking().Select(p => p.RunId).SingleAsync(), await db.StopsMatched.CountAsync());
    }

    private static async Task<List<string>> LeftoverSchemasAsync(string database)
    {
        await using var db = Context(database);
        return await db.Database.SqlQueryRaw<string>("SELECT nspname AS \"Value\" FROM pg_namespace WHERE nspname LIKE 'staging\\_%'").ToListAsync();
    }

    private static async Task AllowConnectionsAsync(string database, bool allow)
    {
        await using var admin = new NpgsqlConnection(TestEnvironment.PostgresConnectionString);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand($"ALTER DATABASE {database} ALLOW_CONNECTIONS {(allow ? "true" : "false")}", admin);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task TerminateAllAsync(string database)
    {
        await using var admin = new NpgsqlConnection(TestEnvironment.PostgresConnectionString);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = @db", admin);
        command.Parameters.AddWithValue("db", database);
        await command.ExecuteScalarAsync();
    }

    // Unpooled: a test that cuts every connection of its database must not get one of the cut ones back.
    private static StopSyncDbContext Context(string database) =>
        new(new DbContextOptionsBuilder<StopSyncDbContext>()
            .UseNpgsql(new NpgsqlConnectionStringBuilder(database) { Pooling = false }.ConnectionString, o => o.UseNetTopologySuite())
            .UseSnakeCaseNamingConvention()
            .Options);

    private sealed record Published(Guid RunId, int StopRows);

    /// <summary>
    /// Holds <c>public.problems</c> exclusively, so a publisher creating its staged copy (<c>CREATE TABLE … LIKE
    /// public.problems</c>) waits there: the run is certainly in its <c>database.load</c> sub-stage, with its staging
    /// schema created, until the block is released.
    /// </summary>
    private sealed class StagingBlock : IAsyncDisposable
    {
        private readonly NpgsqlConnection _holder;
        private readonly NpgsqlTransaction _transaction;
        private readonly string _database;

        private StagingBlock(NpgsqlConnection holder, NpgsqlTransaction transaction, string database)
        {
            _holder = holder;
            _transaction = transaction;
            _database = database;
        }

        public static async Task<StagingBlock> HoldAsync(string database)
        {
            var holder = new NpgsqlConnection(database);
            await holder.OpenAsync();
            var transaction = await holder.BeginTransactionAsync();
            await using var command = new NpgsqlCommand("LOCK TABLE public.problems IN ACCESS EXCLUSIVE MODE", holder, transaction);
            await command.ExecuteNonQueryAsync();
            return new StagingBlock(holder, transaction, database);
        }

        /// <summary>The waiting publisher's backend; fails early when <paramref name="runner"/> ends first.</summary>
        public async Task<int> WaitForPublisherAsync(Task runner)
        {
            var deadline = DateTime.UtcNow.AddSeconds(90);
            await using var probe = new NpgsqlConnection(_database);
            await probe.OpenAsync();
            while (true)
            {
                await using (var command = new NpgsqlCommand(
                    """
                    SELECT pid FROM pg_stat_activity
                    WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'CREATE TABLE staging\_%problems%'
                    """, probe))
                {
                    if (await command.ExecuteScalarAsync() is int pid)
                    {
                        return pid;
                    }
                }

                if (runner.IsCompleted)
                {
                    // Surfaces the run's own error, if it had one.
                    await runner;
                    Assert.Fail("the run ended before it reached its load");
                }

                Assert.True(DateTime.UtcNow < deadline, "no publisher reached its load within 90 s");
                await Task.Delay(100);
            }
        }

        public async Task TerminateAsync(int backend)
        {
            await using var command = new NpgsqlCommand("SELECT pg_terminate_backend(@pid)", _holder, _transaction);
            command.Parameters.AddWithValue("pid", backend);
            await command.ExecuteScalarAsync();
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await _transaction.RollbackAsync();
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
                // The database test cuts every connection, this one included.
            }

            await _holder.DisposeAsync();
        }
    }
}
