using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using StopSync.Data;
using StopSync.Jobs.Publication;
using StopSync.Jobs.Runs;
using StopSync.Tests.Data;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Jobs.Publication;

/// <summary>
/// The staged publication on the real PostGIS database of the integration collection. Loaders copy the published
/// tables into the staging schema, so every successful publication here republishes the same demo dataset.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class DatasetPublisherTests(IntegrationFixture fixture) : IAsyncLifetime
{
    private NpgsqlDataSource _dataSource = null!;

    public Task InitializeAsync()
    {
        _dataSource = DataServiceCollectionExtensions.CreateDataSource(fixture.ConnectionString);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    [Fact]
    public async Task Publish_ReadersSeeTheOldDatasetWhileStaging_AndTheNewOneAfterTheSwap()
    {
        var before = await SnapshotAsync();
        var runId = Guid.NewGuid();
        Snapshot? duringStaging = null;
        long stagedRows = 0;

        await Publisher().PublishStagedAsync(runId, new { test = "staging" }, async (connection, ct) =>
        {
            await CopyPublishedAsync(connection, ct);
            stagedRows = await ScalarAsync<long>(connection, "SELECT count(*) FROM stops_matched WHERE matching_notes = 'staged'");
            duringStaging = await SnapshotAsync();
            return 0;
        }, null, CancellationToken.None);

        var after = await SnapshotAsync();
        Assert.Equal(before.RunId, duringStaging!.RunId);
        Assert.Equal(0, duringStaging.StagedMarkers);
        Assert.True(stagedRows > 0);
        Assert.Equal(runId, after.RunId);
        Assert.Equal(stagedRows, after.StagedMarkers);
        Assert.Equal(before.StopRows, after.StopRows);
        Assert.Empty(after.LeftoverSchemas);
        await RestoreDemoDatasetAsync();
    }

    [Fact]
    public async Task Publish_KeepsTheOldDataset_WhenTheLoadFails()
    {
        var before = await SnapshotAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Publisher().PublishStagedAsync<int>(
            Guid.NewGuid(), new { }, async (connection, ct) =>
            {
                await CopyPublishedAsync(connection, ct);
                throw new InvalidOperationException("loader broke");
            }, null, CancellationToken.None));

        Assert.Equal("loader broke", error.Message);
        await AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task Publish_KeepsTheOldDataset_WhenTheIndexBuildFails()
    {
        var before = await SnapshotAsync();
        var stages = new List<string>();

        // A duplicated ATLAS row loads fine (no keys yet) and breaks the primary key built afterwards.
        var error = await Assert.ThrowsAsync<PostgresException>(() => Publisher().PublishStagedAsync(
            Guid.NewGuid(), new { }, async (connection, ct) =>
            {
                await CopyPublishedAsync(connection, ct);
                await ExecuteAsync(connection, "INSERT INTO atlas_stops SELECT * FROM atlas_stops LIMIT 1", ct);
                return 0;
            }, stages.Add, CancellationToken.None));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);
        Assert.Equal(["load", "index"], stages);
        await AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task Publish_TimesOutAndKeepsTheOldDataset_WhenAReaderHoldsALock()
    {
        var before = await SnapshotAsync();
        await using var reader = await _dataSource.OpenConnectionAsync();
        await using var readerTransaction = await reader.BeginTransactionAsync();
        await ExecuteAsync(reader, "LOCK TABLE public.stops_matched IN ACCESS SHARE MODE", CancellationToken.None);

        var error = await Assert.ThrowsAsync<PublicationBusyException>(() => Publisher(lockTimeoutSeconds: 0.5).PublishStagedAsync(
            Guid.NewGuid(), new { }, async (connection, ct) =>
            {
                await CopyPublishedAsync(connection, ct);
                return 0;
            }, null, CancellationToken.None));
        await readerTransaction.RollbackAsync();

        Assert.Contains(error.SqlState, (string[])[PostgresErrorCodes.LockNotAvailable, PostgresErrorCodes.QueryCanceled]);
        Assert.Contains("stayed busy for 0.5 s", error.Message, StringComparison.Ordinal);
        Assert.Contains("the previous one stays live", error.Message, StringComparison.Ordinal);
        await AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task Publish_YieldsToAReaderLockingTheTablesInAnotherOrder_SoNeitherSideDeadlocks()
    {
        // The map's query locks stops_matched first and atlas_stops next; the swap takes the tables in name order. A swap
        // that waited while holding atlas_stops would close a lock cycle with this reader (SQLSTATE 40P01 after 1 s).
        await using var reader = await _dataSource.OpenConnectionAsync();
        await using var readerTransaction = await reader.BeginTransactionAsync();
        await ExecuteAsync(reader, "SELECT count(*) FROM public.stops_matched", CancellationToken.None);
        var swapping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runId = Guid.NewGuid();
        var publishing = Publisher(lockTimeoutSeconds: 10).PublishStagedAsync(runId, new { test = "order" }, async (connection, ct) =>
        {
            await CopyPublishedAsync(connection, ct);
            return 0;
        }, stage =>
        {
            if (stage == "swap")
            {
                swapping.SetResult();
            }
        }, CancellationToken.None);
        await swapping.Task;
        await Task.Delay(300);

        var readerError = await Record.ExceptionAsync(() => ExecuteAsync(reader, "SELECT count(*) FROM public.atlas_stops", CancellationToken.None));
        await readerTransaction.CommitAsync();
        var publishError = await Record.ExceptionAsync(() => publishing);

        Assert.Null(readerError);
        Assert.Null(publishError);
        Assert.Equal(runId, (await SnapshotAsync()).RunId);
        await RestoreDemoDatasetAsync();
    }

    [Fact]
    public async Task Publish_TwiceInARow_LeavesOnlyTheNewest_WithTheMigrationsIndexNames()
    {
        var namesBefore = await IndexAndConstraintNamesAsync();
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();

        await PublishCopyAsync(first);
        await PublishCopyAsync(second);

        var after = await SnapshotAsync();
        Assert.Equal(second, after.RunId);
        Assert.Empty(after.LeftoverSchemas);
        Assert.Equal(namesBefore, await IndexAndConstraintNamesAsync());
        await using var connection = await _dataSource.OpenConnectionAsync();
        var method = await ScalarAsync<string>(connection,
            "SELECT am.amname FROM pg_class i JOIN pg_am am ON am.oid = i.relam WHERE i.oid = 'public.ix_stops_matched_geom'::regclass");
        Assert.Equal("gist", method);
        var tablesOutsidePublic = await ScalarAsync<long>(connection,
            "SELECT count(*) FROM pg_tables WHERE tablename IN ('stops_matched', 'problems', 'atlas_stops', 'osm_nodes') AND schemaname <> 'public'");
        Assert.Equal(0, tablesOutsidePublic);
        var bundle = await MigrationBundleTests.RunAsync(Path.Combine(TestEnvironment.RepositoryRoot, "artifacts", "efbundle"), fixture.ConnectionString);
        Assert.True(bundle.ExitCode == 0, bundle.Output);
        Assert.Contains("No migrations were applied", bundle.Output, StringComparison.Ordinal);
        await RestoreDemoDatasetAsync();
    }

    private DatasetPublisher Publisher(double lockTimeoutSeconds = 3) =>
        new(_dataSource, Options.Create(new PipelineOptions { Publication = { LockTimeoutSeconds = lockTimeoutSeconds } }),
            NullLogger<DatasetPublisher>.Instance);

    private Task<int> PublishCopyAsync(Guid runId) =>
        Publisher().PublishStagedAsync(runId, new { test = "copy" }, async (connection, ct) =>
        {
            await CopyPublishedAsync(connection, ct);
            return 0;
        }, null, CancellationToken.None);

    /// <summary>Fills the staged tables (first on the search path) from the published ones, marking the staged stop rows.</summary>
    private static async Task CopyPublishedAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        foreach (var table in DatasetPublisher.SnapshotTables)
        {
            await ExecuteAsync(connection, $"INSERT INTO {table} SELECT * FROM public.{table}", ct);
        }

        await ExecuteAsync(connection, "UPDATE stops_matched SET matching_notes = 'staged' WHERE stop_type = 'atlas_unmatched'", ct);
    }

    /// <summary>The collection's other tests read the demo dataset as a real run publishes it.</summary>
    private async Task RestoreDemoDatasetAsync() => await fixture.RunPipelineAsync(fixture.DemoAtlasPath, fixture.DemoOsmPath);

    private async Task AssertUnchangedAsync(Snapshot before)
    {
        var after = await SnapshotAsync();
        Assert.Equal(before.RunId, after.RunId);
        Assert.Equal(before.PublishedAt, after.PublishedAt);
        Assert.Equal(before.StopRows, after.StopRows);
        Assert.Equal(before.Problems, after.Problems);
        Assert.Empty(after.LeftoverSchemas);
    }

    private async Task<Snapshot> SnapshotAsync()
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        var schemas = new List<string>();
        await using (var command = new NpgsqlCommand(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'staging\\_%' OR nspname LIKE 'previous\\_%'", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                schemas.Add(reader.GetString(0));
            }
        }

        return new Snapshot(
            await ScalarAsync<Guid>(connection, "SELECT run_id FROM dataset_publication WHERE id = 1"),
            await ScalarAsync<DateTime>(connection, "SELECT published_at FROM dataset_publication WHERE id = 1"),
            await ScalarAsync<long>(connection, "SELECT count(*) FROM public.stops_matched"),
            await ScalarAsync<long>(connection, "SELECT count(*) FROM public.problems"),
            await ScalarAsync<long>(connection, "SELECT count(*) FROM public.stops_matched WHERE matching_notes = 'staged'"),
            schemas);
    }

    private async Task<List<string>> IndexAndConstraintNamesAsync()
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND tablename = ANY(@tables)
            UNION ALL
            SELECT conname FROM pg_constraint WHERE conrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relname = ANY(@tables))
            ORDER BY 1
            """, connection);
        command.Parameters.AddWithValue("tables", DatasetPublisher.SnapshotTables.ToArray());
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private sealed record Snapshot(Guid RunId, DateTime PublishedAt, long StopRows, long Problems, long StagedMarkers, List<string> LeftoverSchemas);
}
