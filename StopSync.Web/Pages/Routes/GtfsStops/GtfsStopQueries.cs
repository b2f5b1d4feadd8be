using System.Data;
using Npgsql;
using NpgsqlTypes;
using StopSync.Web.Pages.Map;

namespace StopSync.Web.Pages.Routes.GtfsStops;

/// <summary>
/// The reads of the GTFS stop_id ↔ SLOID map, in plain SQL on the shared data source (docs/05-api.md,
/// "GTFS stops ↔ SLOIDs"). GTFS stops are found in a box through the GiST index of <c>gtfs_stops.geom</c>, ATLAS
/// platforms through that of <c>stops_matched.geom</c> (every platform has a row there, at its ATLAS position).
/// </summary>
public sealed class GtfsStopQueries(NpgsqlDataSource dataSource, PublishedDataCache cache, ReviewMapQueries published)
{
    /// <summary>Same-UIC candidates listed in a popup; big stations have dozens of platforms, a popup shows the nearest.</summary>
    public const int MaxCandidates = 25;

    /// <summary>Stops per side one search may return: more than any UIC number has platforms.</summary>
    public const int MaxTargetsPerSide = 200;

    // A publication swaps the tables under an exclusive lock for milliseconds; a reader that waits longer than this
    // meets something else (a stuck swap) and says "busy" instead of hanging. The statement limit bounds 'limit=all'.
    private const int LockTimeoutMilliseconds = 3000;
    private const int StatementTimeoutMilliseconds = 25_000;

    private const string GtfsColumns =
        "g.stop_id, g.stop_name, g.lat, g.lon, g.uic_number, g.platform_code, g.resolution_method, g.confidence, g.resolved_sloids";

    // Which ATLAS platforms some GTFS stop resolved to, and whether one of those stops passes the method filter. The
    // first SLOID of every stop is indexed (resolved_sloid); the further SLOIDs of the few stops that resolved to
    // several (ATLAS duplicates) come as @secondary_* arrays, read once per published run (SecondaryAsync), so a
    // detail view probes an index instead of reading every resolved_sloids array.
    private const string ReferencedCte = """
        referenced AS MATERIALIZED (
            SELECT x.sloid, bool_or(x.by_method) AS by_method
            FROM (
                SELECT g.resolved_sloid AS sloid, cardinality(@methods) = 0 OR g.resolution_method = ANY(@methods) AS by_method
                FROM gtfs_stops g WHERE g.resolved_sloid IN (SELECT sloid FROM candidates)
                UNION ALL
                SELECT s.sloid, s.by_method FROM unnest(@secondary_sloids::text[], @secondary_by_method::boolean[]) AS s(sloid, by_method)
                WHERE s.sloid IN (SELECT sloid FROM candidates)) x
            GROUP BY x.sloid)
        """;

    // Up to @take ids, half matched and half unmatched; a half with fewer rows leaves its share to the other. Within each
    // half the order is a hash of the id: a spread over the whole box rather than its first rows, the same on every
    // request. Only narrow rows (id, matched, hash) are ranked; the details are read for the picked ids alone.
    private const string PickedCtes = """
        quota AS MATERIALIZED (
            SELECT m, u, @take::integer - @take::integer / 2 AS half_up, @take::integer / 2 AS half_down
            FROM (SELECT count(*) FILTER (WHERE matched) AS m, count(*) FILTER (WHERE NOT matched) AS u FROM f) c),
        picked AS (
            (SELECT id, matched FROM f WHERE matched ORDER BY h, id
             LIMIT (SELECT greatest(half_up, @take - u) FROM quota))
            UNION ALL
            (SELECT id, matched FROM f WHERE NOT matched ORDER BY h, id
             LIMIT (SELECT greatest(half_down, @take - m) FROM quota)))
        """;

    private static readonly string GtfsInBoxSql = $"""
        WITH f AS MATERIALIZED (
            SELECT g.stop_id AS id, g.resolution_method <> 'unmatched' AS matched, hashtext(g.stop_id) AS h
            FROM gtfs_stops g
            WHERE g.geom && ST_MakeEnvelope(@min_lon, @min_lat, @max_lon, @max_lat, 4326)
              AND CASE WHEN g.resolution_method <> 'unmatched' THEN @matched ELSE @unmatched END
              AND (cardinality(@methods) = 0 OR g.resolution_method = ANY(@methods))),
        {PickedCtes}
        SELECT {GtfsColumns}, (SELECT m + u FROM quota) AS total
        FROM picked p JOIN gtfs_stops g ON g.stop_id = p.id
        ORDER BY p.matched DESC, g.stop_id COLLATE "C"
        """;

    private static readonly string AtlasInBoxSql = $"""
        WITH candidates AS MATERIALIZED (
            SELECT DISTINCT s.sloid FROM stops_matched s
            WHERE s.sloid IS NOT NULL AND s.geom && ST_MakeEnvelope(@min_lon, @min_lat, @max_lon, @max_lat, 4326)),
        {ReferencedCte},
        f AS MATERIALIZED (
            SELECT c.sloid AS id, r.sloid IS NOT NULL AS matched, hashtext(c.sloid) AS h
            FROM candidates c LEFT JOIN referenced r ON r.sloid = c.sloid
            WHERE CASE WHEN r.sloid IS NOT NULL THEN @matched AND r.by_method ELSE @unmatched END),
        {PickedCtes}
        SELECT a.sloid, a.atlas_designation_official, a.atlas_designation, a.lat, a.lon, a.uic_ref, p.matched,
               (SELECT m + u FROM quota) AS total
        FROM picked p JOIN atlas_stops a ON a.sloid = p.id
        ORDER BY p.matched DESC, a.sloid COLLATE "C"
        """;

    // Platforms by SLOID (a search's targets and what they connect to), whatever the box and the filters.
    private static readonly string AtlasBySloidsSql = $"""
        WITH candidates AS MATERIALIZED (SELECT DISTINCT unnest(@sloids::text[]) AS sloid),
        {ReferencedCte}
        SELECT a.sloid, a.atlas_designation_official, a.atlas_designation, a.lat, a.lon, a.uic_ref, r.sloid IS NOT NULL AS matched
        FROM candidates c JOIN atlas_stops a ON a.sloid = c.sloid LEFT JOIN referenced r ON r.sloid = a.sloid
        ORDER BY a.atlas_designation COLLATE "C" NULLS LAST, a.sloid COLLATE "C"
        """;

    public Task<GtfsStopsSummary> SummaryAsync(CancellationToken ct) => ReadAsync(async (connection, token) =>
    {
        await using var command = new NpgsqlCommand(
            """
            WITH g AS MATERIALIZED (SELECT resolution_method, identity_level, cardinality(resolved_sloids) AS n FROM gtfs_stops)
            SELECT 'method', resolution_method, count(*) FROM g GROUP BY resolution_method
            UNION ALL SELECT 'level', identity_level, count(*) FROM g GROUP BY identity_level
            UNION ALL SELECT 'sloids', CASE WHEN n = 1 THEN 'one' ELSE 'many' END, count(*) FROM g WHERE n > 0 GROUP BY 2
            UNION ALL SELECT 'atlas', 'total', count(*) FROM atlas_stops
            UNION ALL SELECT 'atlas', 'matched', count(*) FROM atlas_stops a
                      WHERE a.sloid IN (SELECT unnest(resolved_sloids) FROM gtfs_stops)
            """, connection);
        var methods = new Dictionary<string, long>(StringComparer.Ordinal);
        var levels = new Dictionary<string, long>(StringComparer.Ordinal);
        var sloids = new Dictionary<string, long>(StringComparer.Ordinal);
        var atlas = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(token))
        {
            while (await reader.ReadAsync(token))
            {
                var target = reader.GetString(0) switch { "method" => methods, "level" => levels, "sloids" => sloids, _ => atlas };
                target[reader.GetString(1)] = reader.GetInt64(2);
            }
        }

        var gtfsTotal = methods.Values.Sum();
        var atlasTotal = atlas.GetValueOrDefault("total");
        if (gtfsTotal == 0)
        {
            return GtfsStopsSummary.Empty(atlasTotal);
        }

        var gtfsMatched = gtfsTotal - methods.GetValueOrDefault(GtfsResolutionMethods.Unmatched);
        var atlasMatched = atlas.GetValueOrDefault("matched");
        // Known methods in tier order, then any the pipeline may add later, by name.
        var byMethod = GtfsResolutionMethods.All
            .Concat(methods.Keys.Where(m => !GtfsResolutionMethods.All.Contains(m)).Order(StringComparer.Ordinal))
            .Select(m => new GtfsMethodCount(m, methods.GetValueOrDefault(m), GtfsStopsSummary.Confidence(m)))
            .ToList();
        return new GtfsStopsSummary(
            true, null,
            new GtfsSideCounts(gtfsTotal, gtfsMatched, gtfsTotal - gtfsMatched, Percent(gtfsMatched, gtfsTotal)),
            new GtfsSideCounts(atlasTotal, atlasMatched, atlasTotal - atlasMatched, Percent(atlasMatched, atlasTotal)),
            byMethod, new SortedDictionary<string, long>(levels, StringComparer.Ordinal),
            sloids.GetValueOrDefault("one"), sloids.GetValueOrDefault("many"));
    }, GtfsStopsSummary.Empty(0), ct);

    public async Task<GtfsMapResponse> MapAsync(GtfsMapRequest request, CancellationToken ct)
    {
        var secondary = await SecondaryAsync(ct);
        return await ReadAsync(async (connection, token) => await MapAsync(connection, request, secondary, token),
            new GtfsMapResponse([], [], [], new GtfsMapMeta(request.Zoom, false, request.IsOverview ? "overview" : "detail", request.Limit, 0, 0, 0, 0, request.Search)), ct);
    }

    private static async Task<GtfsMapResponse> MapAsync(NpgsqlConnection connection, GtfsMapRequest request, IReadOnlyList<SecondarySloid> secondary, CancellationToken token)
    {
        var filtered = SecondaryParameters.For(secondary, request.Methods);
        var unfiltered = SecondaryParameters.For(secondary, []);
        var (gtfs, gtfsTotal) = await BalancedAsync(connection, GtfsInBoxSql, request, filtered, ReadGtfs, token);
        var (atlas, atlasTotal) = await BalancedAsync(connection, AtlasInBoxSql, request, filtered, ReadAtlas, token);
        var capped = gtfsTotal > gtfs.Count || atlasTotal > atlas.Count;
        var (gtfsReturned, atlasReturned) = (gtfs.Count, atlas.Count);

        if (request.Search is { } search)
        {
            // What was searched for is always drawn, with the stops at the other end of its lines, whatever the caps.
            var found = await TargetsAsync(connection, search, unfiltered, token);
            var gtfsIds = gtfs.Select(s => s.StopId).ToHashSet(StringComparer.Ordinal);
            var atlasIds = atlas.Select(s => s.Sloid).ToHashSet(StringComparer.Ordinal);
            var foundSloids = found.Atlas.Select(a => a.Sloid).ToArray();
            var also = secondary.Where(x => foundSloids.Contains(x.Sloid, StringComparer.Ordinal)).Select(x => x.StopId).ToArray();
            var connected = await GtfsResolvingToAsync(connection, foundSloids, also, token);
            foreach (var stop in found.Gtfs.Concat(connected).Where(s => gtfsIds.Add(s.StopId)))
            {
                gtfs.Add(stop);
            }

            var wanted = foundSloids.Concat(found.Gtfs.SelectMany(s => s.ResolvedSloids)).Where(s => !atlasIds.Contains(s)).Distinct(StringComparer.Ordinal).ToArray();
            foreach (var stop in await AtlasBySloidsAsync(connection, wanted, unfiltered, token))
            {
                atlas.Add(stop);
            }
        }

        var matches = request.IncludeMatches
            ? await MatchesAsync(connection, [.. gtfs.Where(s => s.Matched).Select(s => s.StopId)], token)
            : [];
        var meta = new GtfsMapMeta(request.Zoom, capped, request.IsOverview ? "overview" : "detail", request.Limit,
            gtfsTotal, atlasTotal, gtfsReturned, atlasReturned, request.Search);
        return new GtfsMapResponse(gtfs, atlas, matches, meta);
    }

    /// <summary>The stops an identifier names; null when none has a position.</summary>
    public async Task<GtfsSearchResponse?> SearchAsync(GtfsSearchEcho search, CancellationToken ct)
    {
        var secondary = SecondaryParameters.For(await SecondaryAsync(ct), []);
        return await ReadAsync((connection, token) => SearchAsync(connection, search, secondary, token), null, ct);
    }

    private static async Task<GtfsSearchResponse?> SearchAsync(NpgsqlConnection connection, GtfsSearchEcho search, SecondaryParameters secondary, CancellationToken token)
    {
        var found = await TargetsAsync(connection, search, secondary, token);
        var targets = found.Atlas.Select(a => new GtfsSearchTarget("atlas", a.Sloid, a.Name, a.Lat, a.Lon, a.Matched))
            .Concat(found.Gtfs.Select(g => new GtfsSearchTarget("gtfs", g.StopId, g.Name, g.Lat, g.Lon, g.Matched)))
            .ToList();
        if (targets.Count == 0)
        {
            return null;
        }

        double[][] bounds = [[targets.Min(t => t.Lat), targets.Min(t => t.Lon)], [targets.Max(t => t.Lat), targets.Max(t => t.Lon)]];
        return new GtfsSearchResponse(search, targets, new GtfsPoint(targets[0].Lat, targets[0].Lon), bounds);
    }

    public Task<GtfsStopPopup?> GtfsPopupAsync(string stopId, CancellationToken ct) => ReadAsync(async (connection, token) =>
    {
        GtfsPopupStop stop;
        string[] resolved;
        await using (var command = new NpgsqlCommand(
            """
            SELECT stop_id, stop_name, lat, lon, stop_code, uic_number, local_ref, platform_code, original_stop_id, location_type,
                   parent_station, identity_level, resolution_method, confidence, distance_m, resolved_sloids
            FROM gtfs_stops WHERE stop_id = @id
            """, connection))
        {
            command.Parameters.AddWithValue("id", stopId);
            await using var r = await command.ExecuteReaderAsync(token);
            if (!await r.ReadAsync(token))
            {
                return null;
            }

            var method = r.GetString(12);
            resolved = r.GetFieldValue<string[]>(15);
            stop = new GtfsPopupStop(
                r.GetString(0), r.GetString(1), r.GetDouble(2), r.GetDouble(3), Text(r, 4), Text(r, 5), Text(r, 6), Text(r, 7), Text(r, 8),
                Text(r, 9), Text(r, 10), r.GetString(11), method, GtfsResolutionMethods.Explain(method), r.GetDouble(13),
                r.IsDBNull(14) ? null : r.GetDouble(14), method != GtfsResolutionMethods.Unmatched);
        }

        var resolvedPreviews = new List<AtlasPreview>();
        var candidates = new List<AtlasPreview>();
        await using (var command = new NpgsqlCommand(
            """
            SELECT a.sloid, a.atlas_designation_official, a.atlas_designation, a.uic_ref, a.atlas_business_org_abbr, a.lat, a.lon,
                   ST_DistanceSphere(ST_MakePoint(a.lon, a.lat), ST_MakePoint(@lon, @lat)) AS distance, a.sloid = ANY(@resolved) AS resolved
            FROM atlas_stops a
            WHERE a.sloid = ANY(@resolved) OR (@uic::text IS NOT NULL AND a.uic_ref = @uic)
            ORDER BY distance, a.sloid COLLATE "C"
            """, connection))
        {
            command.Parameters.AddWithValue("resolved", resolved);
            command.Parameters.Add(new NpgsqlParameter("uic", NpgsqlDbType.Text) { Value = (object?)stop.UicNumber ?? DBNull.Value });
            command.Parameters.AddWithValue("lat", stop.Lat);
            command.Parameters.AddWithValue("lon", stop.Lon);
            await using var r = await command.ExecuteReaderAsync(token);
            while (await r.ReadAsync(token))
            {
                var preview = new AtlasPreview(r.GetString(0), Text(r, 1), Text(r, 2), Text(r, 3), Text(r, 4), r.GetDouble(5), r.GetDouble(6), Metres(r.GetDouble(7)));
                (r.GetBoolean(8) ? resolvedPreviews : candidates).Add(preview);
            }
        }

        // In the order the resolution listed them (the first is resolved_sloid).
        resolvedPreviews.Sort((x, y) => Array.IndexOf(resolved, x.Sloid).CompareTo(Array.IndexOf(resolved, y.Sloid)));
        return new GtfsStopPopup("gtfs", stop, resolvedPreviews, [.. candidates.Take(MaxCandidates)], candidates.Count);
    }, null, ct);

    public async Task<AtlasStopPopup?> AtlasPopupAsync(string sloid, CancellationToken ct)
    {
        // Stops that resolved to this SLOID after another one: the index on resolved_sloid holds only their first.
        var also = (await SecondaryAsync(ct)).Where(x => x.Sloid == sloid).Select(x => x.StopId).ToArray();
        return await ReadAsync((connection, token) => AtlasPopupAsync(connection, sloid, also, token), null, ct);
    }

    private static async Task<AtlasStopPopup?> AtlasPopupAsync(NpgsqlConnection connection, string sloid, string[] also, CancellationToken token)
    {
        string? name, designation, uic, operatorAbbr;
        double lat, lon;
        await using (var command = new NpgsqlCommand(
            "SELECT atlas_designation_official, atlas_designation, uic_ref, atlas_business_org_abbr, lat, lon FROM atlas_stops WHERE sloid = @sloid",
            connection))
        {
            command.Parameters.AddWithValue("sloid", sloid);
            await using var r = await command.ExecuteReaderAsync(token);
            if (!await r.ReadAsync(token))
            {
                return null;
            }

            (name, designation, uic, operatorAbbr, lat, lon) = (Text(r, 0), Text(r, 1), Text(r, 2), Text(r, 3), r.GetDouble(4), r.GetDouble(5));
        }

        var resolvedBy = new List<GtfsPreview>();
        var candidates = new List<GtfsPreview>();
        await using (var command = new NpgsqlCommand(
            """
            SELECT g.stop_id, g.stop_name, g.platform_code, g.resolution_method, g.confidence, g.resolved_sloid, g.lat, g.lon,
                   ST_DistanceSphere(g.geom, ST_SetSRID(ST_MakePoint(@lon, @lat), 4326)) AS distance,
                   g.resolved_sloids @> ARRAY[@sloid] AS resolved
            FROM gtfs_stops g
            WHERE g.resolved_sloid = @sloid OR g.stop_id = ANY(@also) OR (@uic::text IS NOT NULL AND g.uic_number = @uic)
            ORDER BY distance, g.stop_id COLLATE "C"
            """, connection))
        {
            command.Parameters.AddWithValue("sloid", sloid);
            command.Parameters.AddWithValue("also", also);
            command.Parameters.Add(new NpgsqlParameter("uic", NpgsqlDbType.Text) { Value = (object?)uic ?? DBNull.Value });
            command.Parameters.AddWithValue("lat", lat);
            command.Parameters.AddWithValue("lon", lon);
            await using var r = await command.ExecuteReaderAsync(token);
            while (await r.ReadAsync(token))
            {
                var preview = new GtfsPreview(r.GetString(0), r.GetString(1), Text(r, 2), r.GetString(3), r.GetDouble(4), Text(r, 5),
                    r.GetDouble(6), r.GetDouble(7), Metres(r.GetDouble(8)));
                (r.GetBoolean(9) ? resolvedBy : candidates).Add(preview);
            }
        }

        var stop = new AtlasPopupStop(sloid, name, designation, uic, operatorAbbr, lat, lon, resolvedBy.Count > 0);
        return new AtlasStopPopup("atlas", stop, resolvedBy, [.. candidates.Take(MaxCandidates)], candidates.Count);
    }

    /// <summary>The SLOIDs after the first of every stop that resolved to several, per published run.</summary>
    private Task<IReadOnlyList<SecondarySloid>> SecondaryAsync(CancellationToken ct) =>
        cache.GetOrAddAsync("routes:gtfs-stops:secondary-sloids", published, token => ReadAsync<IReadOnlyList<SecondarySloid>>(async (connection, t) =>
        {
            await using var command = new NpgsqlCommand(
                """
                SELECT g.stop_id, r.sloid, g.resolution_method
                FROM gtfs_stops g CROSS JOIN LATERAL unnest(g.resolved_sloids[2:]) AS r(sloid)
                WHERE cardinality(g.resolved_sloids) > 1
                """, connection);
            return await ReadAllAsync(command, r => new SecondarySloid(r.GetString(0), r.GetString(1), r.GetString(2)), t);
        }, [], token), ct);

    private async Task<T> ReadAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> read, T withoutTables, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        // One snapshot for the several statements of an answer, so its stops and lines agree even across a publication.
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        await using (var limits = new NpgsqlCommand(
            $"SET LOCAL lock_timeout = {LockTimeoutMilliseconds}; SET LOCAL statement_timeout = {StatementTimeoutMilliseconds}", connection))
        {
            await limits.ExecuteNonQueryAsync(ct);
        }

        try
        {
            var result = await read(connection, ct);
            await transaction.CommitAsync(ct);
            return result;
        }
        // A database migrated before the route tables existed, or restored without them: no data rather than an error.
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return withoutTables;
        }
    }

    private static async Task<(List<T> Rows, long Total)> BalancedAsync<T>(
        NpgsqlConnection connection, string sql, GtfsMapRequest request, SecondaryParameters secondary, Func<NpgsqlDataReader, T> read, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (sql.Contains("@secondary_sloids", StringComparison.Ordinal))
        {
            secondary.AddTo(command);
        }

        command.Parameters.AddWithValue("min_lon", request.MinLon);
        command.Parameters.AddWithValue("min_lat", request.MinLat);
        command.Parameters.AddWithValue("max_lon", request.MaxLon);
        command.Parameters.AddWithValue("max_lat", request.MaxLat);
        command.Parameters.AddWithValue("matched", request.Matched);
        command.Parameters.AddWithValue("unmatched", request.Unmatched);
        command.Parameters.Add(new NpgsqlParameter("methods", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = request.Methods.ToArray() });
        command.Parameters.Add(new NpgsqlParameter("take", NpgsqlDbType.Integer) { Value = (object?)request.Limit ?? DBNull.Value });
        var rows = new List<T>();
        long total = 0;
        await using var reader = await command.ExecuteReaderAsync(ct);
        var totalOrdinal = -1;
        while (await reader.ReadAsync(ct))
        {
            if (totalOrdinal < 0)
            {
                totalOrdinal = reader.GetOrdinal("total");
            }

            rows.Add(read(reader));
            total = reader.GetInt64(totalOrdinal);
        }

        return (rows, total);
    }

    private static async Task<(List<AtlasMapStop> Atlas, List<GtfsMapStop> Gtfs)> TargetsAsync(
        NpgsqlConnection connection, GtfsSearchEcho search, SecondaryParameters secondary, CancellationToken ct)
    {
        switch (search.Kind)
        {
            case "sloid":
                return (await AtlasBySloidsAsync(connection, [search.Value], secondary, ct), []);
            case "stop_id":
                return ([], await GtfsWhereAsync(connection, "g.stop_id = @value", search.Value, ct));
            default:
                List<string> sloids = [];
                await using (var command = new NpgsqlCommand("SELECT sloid FROM atlas_stops WHERE uic_ref = @value ORDER BY sloid COLLATE \"C\" LIMIT @max", connection))
                {
                    command.Parameters.AddWithValue("value", search.Value);
                    command.Parameters.AddWithValue("max", MaxTargetsPerSide);
                    await using var reader = await command.ExecuteReaderAsync(ct);
                    while (await reader.ReadAsync(ct))
                    {
                        sloids.Add(reader.GetString(0));
                    }
                }

                return (await AtlasBySloidsAsync(connection, [.. sloids], secondary, ct), await GtfsWhereAsync(connection, "g.uic_number = @value", search.Value, ct));
        }
    }

    private static async Task<List<GtfsMapStop>> GtfsWhereAsync(NpgsqlConnection connection, string where, string value, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT {GtfsColumns} FROM gtfs_stops g WHERE {where} ORDER BY g.stop_id COLLATE \"C\" LIMIT {MaxTargetsPerSide}", connection);
        command.Parameters.AddWithValue("value", value);
        return await ReadAllAsync(command, ReadGtfs, ct);
    }

    /// <param name="also">Stops that resolved to one of <paramref name="sloids"/> after another SLOID.</param>
    private static async Task<List<GtfsMapStop>> GtfsResolvingToAsync(NpgsqlConnection connection, string[] sloids, string[] also, CancellationToken ct)
    {
        if (sloids.Length == 0)
        {
            return [];
        }

        await using var command = new NpgsqlCommand(
            $"SELECT {GtfsColumns} FROM gtfs_stops g WHERE g.resolved_sloid = ANY(@sloids) OR g.stop_id = ANY(@also) ORDER BY g.stop_id COLLATE \"C\" LIMIT {MaxTargetsPerSide}", connection);
        command.Parameters.AddWithValue("sloids", sloids);
        command.Parameters.AddWithValue("also", also);
        return await ReadAllAsync(command, ReadGtfs, ct);
    }

    private static async Task<List<AtlasMapStop>> AtlasBySloidsAsync(NpgsqlConnection connection, string[] sloids, SecondaryParameters secondary, CancellationToken ct)
    {
        if (sloids.Length == 0)
        {
            return [];
        }

        await using var command = new NpgsqlCommand(AtlasBySloidsSql, connection);
        command.Parameters.AddWithValue("sloids", sloids);
        command.Parameters.Add(new NpgsqlParameter("methods", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = Array.Empty<string>() });
        secondary.AddTo(command);
        return await ReadAllAsync(command, ReadAtlas, ct);
    }

    private static async Task<List<GtfsMapMatch>> MatchesAsync(NpgsqlConnection connection, string[] stopIds, CancellationToken ct)
    {
        if (stopIds.Length == 0)
        {
            return [];
        }

        await using var command = new NpgsqlCommand(
            """
            SELECT g.stop_id, r.sloid, g.resolution_method, g.confidence, g.lat, g.lon, a.lat, a.lon,
                   ST_DistanceSphere(g.geom, ST_SetSRID(ST_MakePoint(a.lon, a.lat), 4326))
            FROM gtfs_stops g CROSS JOIN LATERAL unnest(g.resolved_sloids) WITH ORDINALITY AS r(sloid, ord)
            JOIN atlas_stops a ON a.sloid = r.sloid
            WHERE g.stop_id = ANY(@ids)
            ORDER BY g.stop_id, r.ord
            """, connection);
        command.Parameters.AddWithValue("ids", stopIds);
        return await ReadAllAsync(command, r => new GtfsMapMatch(
            r.GetString(0), r.GetString(1), r.GetString(2), r.GetDouble(3), Metres(r.GetDouble(8)),
            Round(r.GetDouble(4)), Round(r.GetDouble(5)), Round(r.GetDouble(6)), Round(r.GetDouble(7))), ct);
    }

    private static async Task<List<T>> ReadAllAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> read, CancellationToken ct)
    {
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    // Columns of GtfsColumns, by name: the balanced query puts its own in front.
    private static GtfsMapStop ReadGtfs(NpgsqlDataReader r)
    {
        var resolved = r.GetFieldValue<string[]>(r.GetOrdinal("resolved_sloids"));
        var method = r.GetString(r.GetOrdinal("resolution_method"));
        return new GtfsMapStop(
            r.GetString(r.GetOrdinal("stop_id")), r.GetString(r.GetOrdinal("stop_name")), Round(r.GetDouble(r.GetOrdinal("lat"))),
            Round(r.GetDouble(r.GetOrdinal("lon"))), Text(r, r.GetOrdinal("uic_number")), Text(r, r.GetOrdinal("platform_code")),
            method, r.GetDouble(r.GetOrdinal("confidence")), method != GtfsResolutionMethods.Unmatched)
        {
            ResolvedSloids = resolved,
        };
    }

    private static AtlasMapStop ReadAtlas(NpgsqlDataReader r) => new(
        r.GetString(r.GetOrdinal("sloid")), Text(r, r.GetOrdinal("atlas_designation_official")), Text(r, r.GetOrdinal("atlas_designation")),
        Round(r.GetDouble(r.GetOrdinal("lat"))), Round(r.GetDouble(r.GetOrdinal("lon"))), Text(r, r.GetOrdinal("uic_ref")),
        r.GetBoolean(r.GetOrdinal("matched")));

    private static string? Text(NpgsqlDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);

    private static double Round(double value) => Math.Round(value, 6);

    private static double Metres(double value) => Math.Round(value, 1);

    private static double? Percent(long part, long whole) => whole == 0 ? null : Math.Round(100.0 * part / whole, 1);
}

/// <summary>A SLOID a GTFS stop resolved to after its first (<c>resolved_sloids[2:]</c>).</summary>
public sealed record SecondarySloid(string StopId, string Sloid, string Method);

/// <summary>The secondary SLOIDs as the SQL takes them: each once, and whether a stop of a kept method reached it.</summary>
internal sealed record SecondaryParameters(string[] Sloids, bool[] ByMethod)
{
    public static SecondaryParameters For(IReadOnlyList<SecondarySloid> secondary, IReadOnlyList<string> methods)
    {
        var bySloid = secondary.GroupBy(x => x.Sloid, StringComparer.Ordinal)
            .Select(g => (Sloid: g.Key, ByMethod: methods.Count == 0 || g.Any(x => methods.Contains(x.Method))))
            .ToList();
        return new SecondaryParameters([.. bySloid.Select(x => x.Sloid)], [.. bySloid.Select(x => x.ByMethod)]);
    }

    public void AddTo(NpgsqlCommand command)
    {
        command.Parameters.Add(new NpgsqlParameter("secondary_sloids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = Sloids });
        command.Parameters.Add(new NpgsqlParameter("secondary_by_method", NpgsqlDbType.Array | NpgsqlDbType.Boolean) { Value = ByMethod });
    }
}
