using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using StopSync.Data.Entities;
using StopSync.Data.Geo;
using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Runs;
using StopSync.Jobs.Sources.Atlas;
using StopSync.Jobs.Sources.Osm;

namespace StopSync.Jobs.Publication;

/// <summary>
/// Publishes a matching result atomically: the snapshot tables are loaded (binary COPY), indexed and analysed in a private
/// staging schema while readers keep using the old dataset, then swapped into <c>public</c> in one short transaction. A
/// failure before the swap drops the staging schema and leaves the old dataset and its publication record untouched.
/// </summary>
public sealed class DatasetPublisher(NpgsqlDataSource dataSource, IOptions<PipelineOptions> options, ILogger<DatasetPublisher> logger)
{
    /// <summary>The map's value for an unmatched ATLAS platform with no OSM element at all within 50 m.</summary>
    public const string NoNearbyCounterpart = "no_nearby_counterpart";

    /// <summary>The tables replaced on every publication; everything else in <c>public</c> (runs, publication record) stays.</summary>
    public static readonly IReadOnlyList<string> SnapshotTables =
        ["atlas_stops", "osm_nodes", "osm_stops", "osm_stop_members", "problems", "stops_matched"];

    // Serialises swaps of concurrent publishers (there should be none: one run at a time) without a table of its own.
    private const long SwapAdvisoryLockKey = 0x5374_6F70_5379_6E63;

    // Per attempt: short enough that a reader queued behind the swap never reaches deadlock_timeout (1 s).
    private const int SwapAttemptLockMilliseconds = 250;
    private static readonly TimeSpan SwapRetryDelay = TimeSpan.FromMilliseconds(50);

    public Task<PublicationCounts> PublishAsync(Guid runId, MatchingOutput result, object manifest, CancellationToken ct) =>
        PublishStagedAsync(runId, manifest, (connection, token) => LoadAsync(connection, PublicationInput.From(result), token), null, ct);

    /// <summary>
    /// The publication steps around a loader that fills the staged tables (resolved first on the connection's search
    /// path). <paramref name="onStage"/> hears each step: <c>load</c>, <c>index</c>, <c>swap</c>.
    /// </summary>
    internal async Task<T> PublishStagedAsync<T>(
        Guid runId, object manifest, Func<NpgsqlConnection, CancellationToken, Task<T>> load, Action<string>? onStage, CancellationToken ct)
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var staging = $"staging_{suffix}";
        var previous = $"previous_{suffix}";
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        T loaded;
        try
        {
            onStage?.Invoke("load");
            var ddl = await ReadSnapshotDdlAsync(connection, staging, ct);
            await ExecuteAsync(connection, $"CREATE SCHEMA {staging}", ct);
            foreach (var table in SnapshotTables)
            {
                await ExecuteAsync(connection,
                    $"CREATE TABLE {staging}.{table} (LIKE public.{table} INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING CONSTRAINTS)", ct);
            }

            await ExecuteAsync(connection, $"SET search_path = {staging}, public", ct);
            loaded = await load(connection, ct);
            await ExecuteAsync(connection, "SET search_path = public", ct);

            onStage?.Invoke("index");
            foreach (var statement in ddl)
            {
                await ExecuteAsync(connection, statement, ct);
            }

            foreach (var table in SnapshotTables)
            {
                await ExecuteAsync(connection, $"ANALYZE {staging}.{table}", ct);
            }

            onStage?.Invoke("swap");
            await SwapAsync(connection, runId, manifest, staging, previous, ct);
        }
        catch (Exception ex)
        {
            logger.LogWarning("Publication of run {RunId} failed before the swap; dropping {Schema}: {Error}", runId, staging, ex.Message);
            await DropSchemaQuietlyAsync(staging);
            throw;
        }

        await DropSchemaQuietlyAsync(previous);
        return loaded;
    }

    /// <param name="onRows">Hears the rows loaded so far and the rows to load in all, after each table.</param>
    internal static async Task<PublicationCounts> LoadAsync(
        NpgsqlConnection connection, PublicationInput result, CancellationToken ct, Func<long, long, Task>? onRows = null)
    {
        var platforms = result.AtlasPlatforms().ToList();
        var elements = result.OsmElements().ToList();
        var total = platforms.Count + elements.Count
            + result.StopUnits.Count + result.StopUnits.Sum(u => u.Members.Count)
            + result.Matches.Count + result.UnmatchedAtlas.Count + result.UnmatchedOsm.Count + result.Problems.Count;
        onRows ??= (_, _) => Task.CompletedTask;
        long done = 0;
        await onRows(done, total);
        var atlasCount = await CopyAtlasStopsAsync(connection, platforms, result.AtlasDuplicateGroups, ct);
        await onRows(done += atlasCount, total);
        var osmCount = await CopyOsmNodesAsync(connection, elements, ct);
        await onRows(done += osmCount, total);
        await onRows(done += await CopyOsmStopsAsync(connection, result.StopUnits, ct), total);
        var rows = await CopyStopsMatchedAsync(connection, result, ct);
        await onRows(done += rows.Count, total);
        var problemCount = await CopyProblemsAsync(connection, result.Problems, rows, ct);
        await onRows(done + problemCount, total);
        await ExecuteAsync(connection,
            "SELECT setval(pg_get_serial_sequence('stops_matched', 'id'), GREATEST(1, (SELECT max(id) FROM stops_matched)))", ct);
        return new PublicationCounts(atlasCount, osmCount, rows.Count, problemCount);
    }

    /// <summary>
    /// The keys, foreign keys and indexes of the public snapshot tables, rewritten for the staging schema. Reading them
    /// from the catalogue keeps the names the EF migration created (<c>ix_stops_matched_geom</c>, <c>pk_…</c>, <c>fk_…</c>),
    /// so queries and later migrations see no difference after the swap.
    /// </summary>
    private static async Task<List<string>> ReadSnapshotDdlAsync(NpgsqlConnection connection, string staging, CancellationToken ct)
    {
        var keys = new List<string>();
        var foreignKeys = new List<string>();
        var indexes = new List<string>();
        // With only pg_catalog on the path, the catalogue functions qualify every table name with its schema.
        await ExecuteAsync(connection, "SET search_path = pg_catalog", ct);
        try
        {
            await using var command = new NpgsqlCommand(
                """
                SELECT c.relname, con.conname, con.contype::text, pg_get_constraintdef(con.oid), ref.relname
                FROM pg_constraint con
                JOIN pg_class c ON c.oid = con.conrelid
                LEFT JOIN pg_class ref ON ref.oid = con.confrelid
                WHERE c.relnamespace = 'public'::regnamespace AND c.relname = ANY(@tables) AND con.contype IN ('p', 'u', 'f', 'x')
                ORDER BY c.relname, con.conname
                """, connection);
            command.Parameters.AddWithValue("tables", SnapshotTables.ToArray());
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    var (table, name, type, definition) = (reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3));
                    if (type == "f")
                    {
                        var referenced = reader.GetString(4);
                        if (SnapshotTables.Contains(referenced))
                        {
                            definition = definition.Replace($"REFERENCES public.{referenced}(", $"REFERENCES {staging}.{referenced}(", StringComparison.Ordinal);
                        }

                        foreignKeys.Add($"ALTER TABLE {staging}.{table} ADD CONSTRAINT {name} {definition}");
                    }
                    else
                    {
                        keys.Add($"ALTER TABLE {staging}.{table} ADD CONSTRAINT {name} {definition}");
                    }
                }
            }

            await using var indexCommand = new NpgsqlCommand(
                """
                SELECT c.relname, pg_get_indexdef(i.indexrelid)
                FROM pg_index i
                JOIN pg_class c ON c.oid = i.indrelid
                WHERE c.relnamespace = 'public'::regnamespace AND c.relname = ANY(@tables)
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid)
                ORDER BY c.relname, i.indexrelid
                """, connection);
            indexCommand.Parameters.AddWithValue("tables", SnapshotTables.ToArray());
            await using var indexReader = await indexCommand.ExecuteReaderAsync(ct);
            while (await indexReader.ReadAsync(ct))
            {
                var table = indexReader.GetString(0);
                indexes.Add(indexReader.GetString(1).Replace($" ON public.{table} ", $" ON {staging}.{table} ", StringComparison.Ordinal));
            }
        }
        finally
        {
            await ExecuteAsync(connection, "SET search_path = public", CancellationToken.None);
        }

        return [.. keys, .. indexes, .. foreignKeys];
    }

    /// <summary>
    /// The only moment readers can notice: metadata-only renames under short lock and statement timeouts. Readers lock the
    /// snapshot tables one by one in their own order (the map's query: stops_matched, then atlas_stops and osm_nodes; the
    /// problems list: problems first), so no single order of ours avoids a lock cycle with all of them. The swap therefore
    /// never waits long while holding a lock: each attempt takes the locks under a short <c>lock_timeout</c> and, when one
    /// is busy, rolls back (releasing what it holds) and tries again, until <c>Pipeline:Publication:LockTimeoutSeconds</c>
    /// is spent. A reader thus waits a fraction of a second at most, well below PostgreSQL's deadlock_timeout (1 s), and
    /// is never chosen as a deadlock victim.
    /// </summary>
    private async Task SwapAsync(NpgsqlConnection connection, Guid runId, object manifest, string staging, string previous, CancellationToken ct)
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
            // Not cancellable: once COMMIT is sent the dataset may be live, and the caller must not think otherwise.
            await transaction.CommitAsync(CancellationToken.None);
            if (attempt > 1)
            {
                logger.LogInformation("Swap of run {RunId} took {Attempts} attempts (readers held the tables)", runId, attempt);
            }

            return;
        }
    }

    private static async Task MoveTablesAsync(NpgsqlConnection connection, Guid runId, object manifest, string staging, string previous, CancellationToken ct)
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

    /// <summary>
    /// Drops every <c>staging_*</c> and <c>previous_*</c> schema (and <c>import_*</c>, the staging prefix of releases before
    /// the rename); only safe while no run holds the run lock.
    /// </summary>
    public async Task<int> DropLeftoverSchemasAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var schemas = new List<string>();
        await using (var command = new NpgsqlCommand(
            "SELECT nspname FROM pg_namespace WHERE nspname ~ '^(staging|import|previous)_[0-9a-f]{12}$'", connection))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                schemas.Add(reader.GetString(0));
            }
        }

        foreach (var schema in schemas)
        {
            logger.LogWarning("Dropping leftover publication schema {Schema}", schema);
            await ExecuteAsync(connection, $"DROP SCHEMA IF EXISTS {schema} CASCADE", ct);
        }

        return schemas.Count;
    }

    /// <summary>Cleanup on a fresh connection (the publishing one may be broken); a failure here is only logged.</summary>
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

    private static async Task<int> CopyAtlasStopsAsync(
        NpgsqlConnection connection, List<AtlasPlatform> platforms, IReadOnlyList<AtlasDuplicateGroup> duplicateGroups, CancellationToken ct)
    {
        var groups = new Dictionary<string, AtlasDuplicateGroup>(StringComparer.Ordinal);
        foreach (var group in duplicateGroups)
        {
            foreach (var member in group.Members)
            {
                groups[member.Sloid] = group;
            }
        }

        await using var writer = await connection.BeginBinaryImportAsync(
            """
            COPY atlas_stops (sloid, uic_ref, atlas_designation, atlas_designation_official, atlas_business_org_abbr, lat, lon,
                              representative_sloid, duplicate_group_sloids) FROM STDIN (FORMAT BINARY)
            """, ct);
        foreach (var p in platforms)
        {
            await writer.StartRowAsync(ct);
            await writer.WriteAsync(p.Sloid, ct);
            await writer.WriteAsync(NullIfEmpty(p.Number), NpgsqlDbType.Text, ct);
            await writer.WriteAsync(NullIfEmpty(p.Designation), NpgsqlDbType.Text, ct);
            await writer.WriteAsync(NullIfEmpty(p.DesignationOfficial), NpgsqlDbType.Text, ct);
            await writer.WriteAsync(NullIfEmpty(p.OperatorAbbreviation), NpgsqlDbType.Text, ct);
            await writer.WriteAsync(p.Lat, ct);
            await writer.WriteAsync(p.Lon, ct);
            var group = groups.GetValueOrDefault(p.Sloid);
            await writer.WriteAsync(group?.Representative.Sloid, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(group is null ? null : JsonSerializer.Serialize(group.Members.Select(m => m.Sloid)), NpgsqlDbType.Jsonb, ct);
        }

        await writer.CompleteAsync(ct);
        return platforms.Count;
    }

    private static async Task<int> CopyOsmNodesAsync(NpgsqlConnection connection, List<OsmElement> elements, CancellationToken ct)
    {
        await using var writer = await connection.BeginBinaryImportAsync(
            """
            COPY osm_nodes (osm_node_id, element_type, lat, lon, name, uic_name, uic_ref, local_ref, network, operator,
                            public_transport, railway, amenity, aerialway, osm_node_type, tags) FROM STDIN (FORMAT BINARY)
            """, ct);
        foreach (var e in elements)
        {
            await writer.StartRowAsync(ct);
            await writer.WriteAsync(e.Id, ct);
            await writer.WriteAsync(e.ElementType, ct);
            await writer.WriteAsync(e.Lat, ct);
            await writer.WriteAsync(e.Lon, ct);
            await writer.WriteAsync(e.Tag("name"), NpgsqlDbType.Text, ct);
            await writer.WriteAsync(e.Tag("uic_name"), NpgsqlDbType.Text, ct);
            await writer.WriteAsync(e.Tag("uic_ref"), NpgsqlDbType.Text, ct);
            await writer.WriteAsync(NullIfEmpty(e.LocalRef), NpgsqlDbType.Text, ct);
            await writer.WriteAsync(e.Tag("network"), NpgsqlDbType.Text, ct);
            await writer.WriteAsync(e.Operator, NpgsqlDbType.Text, ct);
            foreach (var key in (string[])["public_transport", "railway", "amenity", "aerialway"])
            {
                await writer.WriteAsync(e.Tag(key), NpgsqlDbType.Text, ct);
            }

            await writer.WriteAsync(e.NodeType, ct);
            await writer.WriteAsync(JsonSerializer.Serialize(e.Tags), NpgsqlDbType.Jsonb, ct);
        }

        await writer.CompleteAsync(ct);
        return elements.Count;
    }

    /// <summary>The engine's OSM stop units with their members; ids are assigned here, in the engine's unit order.</summary>
    private static async Task<int> CopyOsmStopsAsync(NpgsqlConnection connection, IReadOnlyList<StopUnit> units, CancellationToken ct)
    {
        await using (var stops = await connection.BeginBinaryImportAsync(
            "COPY osm_stops (id, stop_kind, group_kind, representative_node_id) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var k = 0; k < units.Count; k++)
            {
                await stops.StartRowAsync(ct);
                await stops.WriteAsync(k + 1L, ct);
                await stops.WriteAsync(units[k].Kind, ct);
                await stops.WriteAsync(units[k].GroupKind, NpgsqlDbType.Text, ct);
                await stops.WriteAsync(units[k].UnitId, ct);
            }

            await stops.CompleteAsync(ct);
        }

        var members = 0;
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY osm_stop_members (osm_stop_id, node_id, member_role) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var k = 0; k < units.Count; k++)
            {
                foreach (var member in units[k].Members)
                {
                    await writer.StartRowAsync(ct);
                    await writer.WriteAsync(k + 1L, ct);
                    await writer.WriteAsync(member.OsmId, ct);
                    await writer.WriteAsync(member.Role, ct);
                    members++;
                }
            }

            await writer.CompleteAsync(ct);
        }

        return units.Count + members;
    }

    /// <summary>One row per match record and per unmatched entity; the ids are assigned here so problems can point at them.</summary>
    private static async Task<StopRowIndex> CopyStopsMatchedAsync(NpgsqlConnection connection, PublicationInput result, CancellationToken ct)
    {
        var rows = new StopRowIndex();
        await using var writer = await connection.BeginBinaryImportAsync(
            """
            COPY stops_matched (id, sloid, stop_type, match_type, atlas_lat, atlas_lon, osm_node_id, osm_lat, osm_lon,
                                distance_m, matching_notes, geom) FROM STDIN (FORMAT BINARY)
            """, ct);
        foreach (var m in result.Matches)
        {
            var id = rows.Add(m.Sloid, m.OsmId);
            await WriteRowAsync(writer, id, m.Atlas, StopTypes.Matched, m.MatchType, m.Osm, m.DistanceMeters, m.Notes, ct);
        }

        foreach (var a in result.UnmatchedAtlas)
        {
            var id = rows.Add(a.Sloid, null);
            await WriteRowAsync(writer, id, a.Platform, StopTypes.AtlasUnmatched, a.Isolated ? NoNearbyCounterpart : null, null, null, null, ct);
        }

        foreach (var o in result.UnmatchedOsm)
        {
            var id = rows.Add(null, o.OsmId);
            // A trio middle whose two sides are matched is fine as it is: shown as effectively matched, not as a gap.
            var stopType = o.EffectivelyMatched ? StopTypes.EffectivelyMatched : StopTypes.OsmUnmatched;
            await WriteRowAsync(writer, id, null, stopType, null, o.Element, null, null, ct);
        }

        await writer.CompleteAsync(ct);
        return rows;
    }

    private static async Task WriteRowAsync(
        NpgsqlBinaryImporter writer, long id, AtlasPlatform? atlas, string stopType, string? matchType, OsmElement? osm,
        double? distance, string? notes, CancellationToken ct)
    {
        await writer.StartRowAsync(ct);
        await writer.WriteAsync(id, ct);
        await writer.WriteAsync(atlas?.Sloid, NpgsqlDbType.Text, ct);
        await writer.WriteAsync(stopType, ct);
        await writer.WriteAsync(matchType, NpgsqlDbType.Text, ct);
        await writer.WriteAsync(atlas?.Lat, NpgsqlDbType.Double, ct);
        await writer.WriteAsync(atlas?.Lon, NpgsqlDbType.Double, ct);
        await writer.WriteAsync(osm?.Id, NpgsqlDbType.Text, ct);
        await writer.WriteAsync(osm?.Lat, NpgsqlDbType.Double, ct);
        await writer.WriteAsync(osm?.Lon, NpgsqlDbType.Double, ct);
        await writer.WriteAsync(distance, NpgsqlDbType.Double, ct);
        await writer.WriteAsync(notes, NpgsqlDbType.Text, ct);
        // The map shows the ATLAS position when there is one, else the OSM position.
        var point = atlas is not null ? Srid.Point(atlas.Lat, atlas.Lon) : Srid.Point(osm!.Lat, osm.Lon);
        await writer.WriteAsync(point, NpgsqlDbType.Geometry, ct);
    }

    private static async Task<int> CopyProblemsAsync(NpgsqlConnection connection, IReadOnlyList<DetectedProblem> problems, StopRowIndex rows, CancellationToken ct)
    {
        var count = 0;
        await using var writer = await connection.BeginBinaryImportAsync("COPY problems (stop_id, problem_type, priority) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var problem in problems)
        {
            var stopId = rows.Find(problem.Sloid, problem.OsmId)
                ?? throw new InvalidOperationException($"Problem {problem.Id} ({problem.Type}) names no published stop row.");
            await writer.StartRowAsync(ct);
            await writer.WriteAsync(stopId, ct);
            await writer.WriteAsync(problem.Type, ct);
            await writer.WriteAsync(problem.Priority, ct);
            count++;
        }

        await writer.CompleteAsync(ct);
        return count;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    /// <summary>Row ids by (sloid, OSM id); a problem of one side alone lands on that side's row.</summary>
    private sealed class StopRowIndex
    {
        private readonly Dictionary<(string?, string?), long> _byPair = [];
        private readonly Dictionary<string, long> _bySloid = new(StringComparer.Ordinal);
        private readonly Dictionary<string, long> _byOsm = new(StringComparer.Ordinal);

        public int Count => _byPair.Count;

        public long Add(string? sloid, string? osmId)
        {
            var id = _byPair.Count + 1L;
            _byPair[(sloid, osmId)] = id;
            if (sloid is not null)
            {
                _bySloid.TryAdd(sloid, id);
            }

            if (osmId is not null)
            {
                _byOsm.TryAdd(osmId, id);
            }

            return id;
        }

        public long? Find(string? sloid, string? osmId) =>
            _byPair.TryGetValue((sloid, osmId), out var exact) ? exact
            : sloid is not null && _bySloid.TryGetValue(sloid, out var atlas) ? atlas
            : osmId is not null && _byOsm.TryGetValue(osmId, out var osm) ? osm
            : null;
    }
}

/// <summary>The swap could not lock the published tables within <c>Pipeline:Publication:LockTimeoutSeconds</c>.</summary>
public sealed class PublicationBusyException(string message, PostgresException inner) : Exception(message, inner)
{
    /// <summary>The last attempt's error: 55P03 (lock timeout), 57014 (attempt timed out) or 40P01.</summary>
    public string SqlState => ((PostgresException)InnerException!).SqlState;
}

public sealed record PublicationCounts(int AtlasStops, int OsmNodes, int StopRows, int Problems);
