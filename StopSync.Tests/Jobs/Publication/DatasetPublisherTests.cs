using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using StopSync.Data;
using StopSync.Jobs.Bundles;
using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Publication;
using StopSync.Jobs.Runs;
using StopSync.Jobs.Sources.Geography;
using StopSync.Tests.Data;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Jobs.Publication;

/// <summary>
/// The staged publication on the real PostGIS database of the integration collection. Every publication here loads the
/// bundle of the demo dataset the collection published, so a successful one republishes the same rows.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class DatasetPublisherTests(IntegrationFixture fixture) : IAsyncLifetime
{
    private static readonly SwissCantons Cantons = new();
    private NpgsqlDataSource _dataSource = null!;
    private ResultBundle _bundle = null!;

    public Task InitializeAsync()
    {
        _dataSource = DataServiceCollectionExtensions.CreateDataSource(fixture.ConnectionString);
        // The bundle of the demo dataset the collection's runs published: publishing it again changes no row.
        var store = new ResultBundleStore(
            Options.Create(new PipelineOptions { Bundles = { Directory = Path.Combine(fixture.DemoDirectory, "bundles") } }),
            NullLogger<ResultBundleStore>.Instance);
        _bundle = ResultBundleReader.Read(store.Latest() ?? throw new InvalidOperationException("The fixture's run left no published bundle."));
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
        var progress = new RecordingProgress(async stage =>
        {
            if (stage == PublicationStage.Index)
            {
                duringStaging = await SnapshotAsync();
                await using var connection = await _dataSource.OpenConnectionAsync();
                var staging = Assert.Single(duringStaging.LeftoverSchemas);
                stagedRows = await ScalarAsync<long>(connection, $"SELECT count(*) FROM {staging}.stops_matched");
            }
        });

        var counts = await Publisher().PublishAsync(runId, _bundle, progress, CancellationToken.None);

        var after = await SnapshotAsync();
        Assert.Equal(before.RunId, duringStaging!.RunId);
        Assert.Equal(before.StopRows, stagedRows);
        Assert.Equal(runId, after.RunId);
        Assert.Equal(before.StopRows, after.StopRows);
        Assert.Equal(counts.StopRows, after.StopRows);
        Assert.Empty(after.LeftoverSchemas);
        Assert.Equal([PublicationStage.Load, PublicationStage.Index, PublicationStage.Swap], progress.Stages);
        // Rows are reported after each table, ending with all of them.
        Assert.True(progress.Rows.Count > 2);
        Assert.Equal(progress.Rows[^1].Total, progress.Rows[^1].Loaded);
        await RestoreDemoDatasetAsync();
    }

    [Fact]
    public async Task Publish_KeepsTheOldDataset_WhenTheLoadFails()
    {
        var before = await SnapshotAsync();
        // A problem naming a stop row the bundle does not have: the load stops at the problems table.
        var broken = _bundle with
        {
            Result = _bundle.Result with { Problems = [.. _bundle.Result.Problems, new DetectedProblem("dangling", "distance", 1, "ch:1:sloid:0:0:0", null)] },
        };
        var progress = new RecordingProgress();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Publisher().PublishAsync(Guid.NewGuid(), broken, progress, CancellationToken.None));

        Assert.Contains("names no published stop row", error.Message, StringComparison.Ordinal);
        Assert.Equal([PublicationStage.Load], progress.Stages);
        await AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task Publish_KeepsTheOldDataset_WhenTheIndexBuildFails()
    {
        var before = await SnapshotAsync();
        var progress = new RecordingProgress();
        // A stop unit listed twice loads fine (no keys yet) and breaks the unique index on osm_stop_members.node_id built afterwards.
        var broken = _bundle with
        {
            Result = _bundle.Result with { StopUnits = [.. _bundle.Result.StopUnits, _bundle.Result.StopUnits[0]] },
        };

        var error = await Assert.ThrowsAsync<PostgresException>(() => Publisher().PublishAsync(Guid.NewGuid(), broken, progress, CancellationToken.None));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);
        Assert.Equal([PublicationStage.Load, PublicationStage.Index], progress.Stages);
        await AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task Publish_TimesOutAndKeepsTheOldDataset_WhenAReaderHoldsALock()
    {
        var before = await SnapshotAsync();
        await using var reader = await _dataSource.OpenConnectionAsync();
        await using var readerTransaction = await reader.BeginTransactionAsync();
        await ExecuteAsync(reader, "LOCK TABLE public.stops_matched IN ACCESS SHARE MODE", CancellationToken.None);

        var error = await Assert.ThrowsAsync<PublicationBusyException>(() => Publisher(lockTimeoutSeconds: 0.5).PublishAsync(
            Guid.NewGuid(), _bundle, null, CancellationToken.None));
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
        var publishing = Publisher(lockTimeoutSeconds: 10).PublishAsync(runId, _bundle, new RecordingProgress(stage =>
        {
            if (stage == PublicationStage.Swap)
            {
                swapping.SetResult();
            }

            return Task.CompletedTask;
        }), CancellationToken.None);
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

        await Publisher().PublishAsync(first, _bundle, null, CancellationToken.None);
        await Publisher().PublishAsync(second, _bundle, null, CancellationToken.None);

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

    [Fact]
    public async Task Publish_KeepsTheSearchTrigramIndexes_WithTheirExpressions()
    {
        var before = await SearchIndexDefinitionsAsync();

        await Publisher().PublishAsync(Guid.NewGuid(), _bundle, null, CancellationToken.None);

        var after = await SearchIndexDefinitionsAsync();
        Assert.Equal(["ix_atlas_stops_search", "ix_osm_nodes_search"], before.Keys.Order(StringComparer.Ordinal).ToList());
        Assert.Equal(before, after);
        Assert.All(after.Values, definition =>
        {
            Assert.Contains("USING gin", definition, StringComparison.Ordinal);
            Assert.Contains("gin_trgm_ops", definition, StringComparison.Ordinal);
            Assert.Contains("lower(", definition, StringComparison.Ordinal);
        });
        await RestoreDemoDatasetAsync();
    }

    private async Task<Dictionary<string, string>> SearchIndexDefinitionsAsync()
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND indexname IN ('ix_atlas_stops_search', 'ix_osm_nodes_search')",
            connection);
        var definitions = new Dictionary<string, string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            definitions[reader.GetString(0)] = reader.GetString(1);
        }

        return definitions;
    }

    private DatasetPublisher Publisher(double lockTimeoutSeconds = 3) =>
        TestPublisher.Create(_dataSource, new PipelineOptions { Publication = { LockTimeoutSeconds = lockTimeoutSeconds } }, Cantons);

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

    private sealed record Snapshot(Guid RunId, DateTime PublishedAt, long StopRows, long Problems, List<string> LeftoverSchemas);

    /// <summary>The steps and row counts a publication reported, in order; <c>onStage</c> runs at each step.</summary>
    private sealed class RecordingProgress(Func<PublicationStage, Task>? onStage = null) : IPublicationProgress
    {
        public List<PublicationStage> Stages { get; } = [];

        public List<(long Loaded, long Total)> Rows { get; } = [];

        public async Task StageAsync(PublicationStage stage)
        {
            Stages.Add(stage);
            if (onStage is not null)
            {
                await onStage(stage);
            }
        }

        public Task RowsAsync(long loaded, long total)
        {
            Rows.Add((loaded, total));
            return Task.CompletedTask;
        }
    }
}
