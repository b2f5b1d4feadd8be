using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using StopSync.Jobs.Bundles;
using StopSync.Jobs.History;
using StopSync.Jobs.Review;
using StopSync.Jobs.Runs;
using StopSync.Jobs.Sources.Geography;

namespace StopSync.Jobs.Publication;

// A failure before the swap leaves the old dataset and its publication record untouched.
public sealed class DatasetPublisher(
    NpgsqlDataSource dataSource, IOptions<PipelineOptions> options, SwissCantons cantons, PublicationHistory history, ILogger<DatasetPublisher> logger)
{
    // Everything else in public (runs, publication record) stays in place.
    public static readonly IReadOnlyList<string> SnapshotTables =
        [
            "atlas_stops", "osm_nodes", "osm_stops", "osm_stop_members", "problems", "stops_matched",
            "line_families", "itineraries", "stop_calls", "line_family_matches", "itinerary_matches", "gtfs_stops",
        ];

    // Serialises swaps of concurrent publishers (there should be none: one run at a time) without a table of its own.
    private const long SwapAdvisoryLockKey = 0x5374_6F70_5379_6E63;

    // Per attempt: short enough that a reader queued behind the swap never reaches deadlock_timeout (1 s).
    private const int SwapAttemptLockMilliseconds = 250;
    private static readonly TimeSpan SwapRetryDelay = TimeSpan.FromMilliseconds(50);

    public Task<PublicationCounts> PublishAsync(Guid runId, ResultBundle bundle, IPublicationProgress? progress, CancellationToken ct) =>
        PublishAsync(runId, bundle, null, progress, ct);

    /// <param name="comparison">The changes against the live dataset; null records the publication without any.</param>
    public async Task<PublicationCounts> PublishAsync(
        Guid runId, ResultBundle bundle, RunComparison? comparison, IPublicationProgress? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        progress ??= IPublicationProgress.None;
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var staging = $"staging_{suffix}";
        var previous = $"previous_{suffix}";
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        PublicationCounts loaded;
        ReapplicationCounts decisions;
        try
        {
            await progress.StageAsync(PublicationStage.Load);
            await ExecuteAsync(connection, $"CREATE SCHEMA {staging}", ct);
            foreach (var table in SnapshotTables)
            {
                await ExecuteAsync(connection,
                    $"CREATE TABLE {staging}.{table} (LIKE public.{table} INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING CONSTRAINTS)", ct);
            }

            var ddl = await SnapshotDdl.ReadAsync(connection, staging, ct);

            await ExecuteAsync(connection, $"SET search_path = {staging}, public", ct);
            loaded = await SnapshotLoader.LoadAsync(connection, bundle.Result, cantons, progress.RowsAsync, ct);
            await ExecuteAsync(connection, "SET search_path = public", ct);

            await progress.StageAsync(PublicationStage.Index);
            foreach (var statement in ddl)
            {
                await ExecuteAsync(connection, statement, ct);
            }

            foreach (var table in SnapshotTables)
            {
                await ExecuteAsync(connection, $"ANALYZE {staging}.{table}", ct);
            }

            await history.RecordAsync(connection, runId, staging, bundle.Manifest,
                comparison ?? RunComparison.None(null, "not compared"), ct);

            await progress.StageAsync(PublicationStage.Swap);
            decisions = await SwapAsync(connection, runId, bundle.Manifest, staging, previous, ct);
        }
        catch (Exception ex)
        {
            logger.LogWarning("Publication of run {RunId} failed before the swap; dropping {Schema}: {Error}", runId, staging, ex.Message);
            await DropSchemaQuietlyAsync(staging);
            await ForgetHistoryQuietlyAsync(runId);
            throw;
        }

        await DropSchemaQuietlyAsync(previous);
        logger.LogInformation(
            "Run {RunId}: decisions re-applied in {Milliseconds:F0} ms: {Unchanged} unchanged, {NeedsAnotherLook} need another look, "
            + "{ResolvedByData} resolved by data, {Reapplied} re-applied",
            runId, decisions.Elapsed.TotalMilliseconds, decisions.Unchanged, decisions.NeedsAnotherLook, decisions.ResolvedByData, decisions.Reapplied);
        return loaded with { Decisions = decisions };
    }

    // Readers lock the snapshot tables one by one in their own orders, so no order of ours avoids a lock cycle: each
    // attempt takes the locks under a short lock_timeout and, when one is busy, rolls back and retries until
    // LockTimeoutSeconds is spent (docs/04-pipeline.md, "Atomic publication").
    private async Task<ReapplicationCounts> SwapAsync(
        NpgsqlConnection connection, Guid runId, BundleManifest manifest, string staging, string previous, CancellationToken ct)
    {
        var publication = options.Value.Publication;
        var budget = TimeSpan.FromSeconds(publication.LockTimeoutSeconds);
        var started = Stopwatch.GetTimestamp();
        // The live tables and the staged ones (autovacuum may be at a freshly loaded staged table), all in one statement.
        var tables = SnapshotTables.Order(StringComparer.Ordinal).Select(t => "public." + t).Concat(SnapshotTables.Select(t => $"{staging}.{t}"));
        for (var attempt = 1; ; attempt++)
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var remaining = budget - Stopwatch.GetElapsedTime(started);
            var wait = (int)Math.Clamp(remaining.TotalMilliseconds, 1, SwapAttemptLockMilliseconds);
            try
            {
                // lock_timeout bounds each table's wait; statement_timeout bounds the whole attempt, so one attempt never
                // holds a lock for longer than the wait in all while it queues for the next table.
                await ExecuteAsync(connection, string.Create(CultureInfo.InvariantCulture,
                    $"SET LOCAL lock_timeout = '{wait}ms'; SET LOCAL statement_timeout = '{wait}ms'"), ct);
                await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({SwapAdvisoryLockKey})", ct);
                await ExecuteAsync(connection, $"LOCK TABLE {string.Join(", ", tables)} IN ACCESS EXCLUSIVE MODE", ct);
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.DeadlockDetected
                or PostgresErrorCodes.QueryCanceled)
            {
                await transaction.RollbackAsync(CancellationToken.None);
                if (Stopwatch.GetElapsedTime(started) + SwapRetryDelay >= budget)
                {
                    throw new PublicationBusyException(
                        $"The published tables stayed busy for {budget.TotalSeconds:0.#} s ({attempt} attempts to lock them): readers held them, "
                        + "so the new dataset was not swapped in and the previous one stays live.", ex);
                }

                logger.LogDebug("Swap attempt {Attempt} found a table busy; retrying", attempt);
                await Task.Delay(SwapRetryDelay, ct);
                continue;
            }

            // Every table is ours now: the renames wait for nobody, so the usual timeouts apply to them.
            await ExecuteAsync(connection, string.Create(CultureInfo.InvariantCulture,
                $"SET LOCAL lock_timeout = '{(int)(publication.LockTimeoutSeconds * 1000)}ms'; "
                + $"SET LOCAL statement_timeout = '{(int)(publication.StatementTimeoutSeconds * 1000)}ms'"), ct);
            await MoveTablesAsync(connection, runId, manifest, staging, previous, ct);
            // In the same transaction: readers see the new problems only with their decisions' new states, and a database
            // error here rolls the swap back with it (docs/09-review.md).
            var decisions = await DecisionReapplication.RunAsync(connection, runId, ct);
            await history.MarkPublishedAsync(connection, runId, ct);
            // Not cancellable: once COMMIT is sent the dataset may be live, and the caller must not think otherwise.
            await transaction.CommitAsync(CancellationToken.None);
            if (attempt > 1)
            {
                logger.LogInformation("Swap of run {RunId} took {Attempts} attempts (readers held the tables)", runId, attempt);
            }

            return decisions;
        }
    }

    private static async Task MoveTablesAsync(NpgsqlConnection connection, Guid runId, BundleManifest manifest, string staging, string previous, CancellationToken ct)
    {
        await ExecuteAsync(connection, $"CREATE SCHEMA {previous}", ct);
        foreach (var table in SnapshotTables)
        {
            await ExecuteAsync(connection, $"ALTER TABLE public.{table} SET SCHEMA {previous}", ct);
        }

        foreach (var table in SnapshotTables)
        {
            await ExecuteAsync(connection, $"ALTER TABLE {staging}.{table} SET SCHEMA public", ct);
        }

        await using (var upsert = new NpgsqlCommand(
            """
            INSERT INTO dataset_publication (id, run_id, published_at, manifest) VALUES (1, @run, now(), @manifest)
            ON CONFLICT (id) DO UPDATE SET run_id = EXCLUDED.run_id, published_at = EXCLUDED.published_at, manifest = EXCLUDED.manifest
            """, connection))
        {
            upsert.Parameters.AddWithValue("run", runId);
            upsert.Parameters.Add(new NpgsqlParameter("manifest", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(manifest, StatsJson.Options) });
            await upsert.ExecuteNonQueryAsync(ct);
        }

        await ExecuteAsync(connection, $"DROP SCHEMA {staging}", ct);
    }

    // Only safe under the run lock. import_* is the staging prefix of releases before the rename.
    public async Task<int> DropLeftoverSchemasAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var schemas = await LeftoverSchemasAsync(connection, ct);
        foreach (var schema in schemas)
        {
            logger.LogWarning("Dropping leftover publication schema {Schema}", schema);
            await ExecuteAsync(connection, $"DROP SCHEMA IF EXISTS {schema} CASCADE", ct);
        }

        return schemas.Count;
    }

    public async Task<bool> HasLeftoverSchemasAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await LeftoverSchemasAsync(connection, ct)).Count > 0;
    }

    private static async Task<List<string>> LeftoverSchemasAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var schemas = new List<string>();
        await using var command = new NpgsqlCommand("SELECT nspname FROM pg_namespace WHERE nspname ~ '^(staging|import|previous)_[0-9a-f]{12}$'", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            schemas.Add(reader.GetString(0));
        }

        return schemas;
    }

    // On a fresh connection (the publishing one may be broken); a failure here is only logged.
    private async Task DropSchemaQuietlyAsync(string schema)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(CancellationToken.None);
            await ExecuteAsync(connection, $"DROP SCHEMA IF EXISTS {schema} CASCADE", CancellationToken.None);
        }
        catch (NpgsqlException ex)
        {
            logger.LogWarning(ex, "Could not drop schema {Schema}", schema);
        }
    }

    private async Task ForgetHistoryQuietlyAsync(Guid runId)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(CancellationToken.None);
            await PublicationHistory.ForgetAsync(connection, runId, CancellationToken.None);
        }
        catch (NpgsqlException ex)
        {
            logger.LogWarning(ex, "Could not delete the unpublished history of run {RunId}", runId);
        }
    }

    internal static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}

public sealed class PublicationBusyException(string message, PostgresException inner) : Exception(message, inner)
{
    // The last attempt's: 55P03 (lock timeout), 57014 (attempt timed out) or 40P01.
    public string SqlState => ((PostgresException)InnerException!).SqlState;
}

/// <param name="Decisions">What the publication did to the reviewers' decisions; null until the swap.</param>
public sealed record PublicationCounts(int AtlasStops, int OsmNodes, int StopRows, int Problems, ReapplicationCounts? Decisions = null)
{
    /// <summary>Null when the published result had no route tables.</summary>
    public RouteCounts? Routes { get; init; }
}

public enum PublicationStage
{
    Load,
    Index,
    Swap,
}

// Implemented by the run's live status and by tests that wait for a step.
public interface IPublicationProgress
{
    static readonly IPublicationProgress None = new Silent();

    // The step that starts now; the previous one is complete.
    Task StageAsync(PublicationStage stage);

    Task RowsAsync(long loaded, long total);

    private sealed class Silent : IPublicationProgress
    {
        public Task StageAsync(PublicationStage stage) => Task.CompletedTask;

        public Task RowsAsync(long loaded, long total) => Task.CompletedTask;
    }
}
