using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace StopSync.Web.Pages.Routes;

/// <summary>Time limits of the route pages' reads (docs/08-site.md, "Routes"), under <c>Routes</c>.</summary>
public sealed class RouteOptions
{
    public const string SectionName = "Routes";

    /// <summary>How long a read waits for a table lock (a publication swapping the tables) before answering 503.</summary>
    public int LockTimeoutMilliseconds { get; set; } = 3000;

    /// <summary>How long one statement may run before answering 503.</summary>
    public int StatementTimeoutMilliseconds { get; set; } = 25000;
}

/// <summary>
/// Reads of the route pages and APIs in plain SQL on the shared data source (docs/05-api.md, "Performance"). Every read
/// runs in a transaction with the lock and statement limits of <see cref="RouteOptions"/>, so a reader queued behind
/// a publication gives up and answers "busy" rather than holding a request for as long as the swap takes.
/// </summary>
public sealed class RouteQueries(NpgsqlDataSource dataSource, IOptions<RouteOptions> options)
{
    internal const string FamilyColumns = """
        f.id, f.source, f.source_family_id, f.family_origin, f.route_type, f.mode, f.display_route_id, f.gtfs_route_id,
        f.normalized_route_id, f.public_name, f.ref, f.operator, f.network, f.agency_id, f.route_master_id, f.is_non_gtfs,
        f.itinerary_count, f.stop_count
        """;

    private const string ItineraryColumns = """
        i.id, i.line_family_id, i.source, i.source_itinerary_id, i.direction_id, i.headsign, i.from_name, i.to_name,
        i.display_name, i.trip_count, i.stop_count, i.relation_id, i.matched_itinerary_id
        """;

    private const string SummaryColumns = """
        i.id, i.line_family_id, i.source, i.source_itinerary_id, f.display_route_id, f.public_name, f.ref, f.operator, f.mode,
        i.direction_id, i.headsign, i.from_name, i.to_name, i.display_name, i.trip_count, i.stop_count, i.relation_id,
        f.route_master_id, i.matched_itinerary_id
        """;

    // Matched pairs, then each side's families without a counterpart; OSM families left out of matching have their own page.
    private const string EntriesSql = """
        WITH entries AS (
            SELECT m.atlas_line_family_id AS atlas_id, m.osm_line_family_id AS osm_id, true AS matched, a.display_route_id AS sort_key
            FROM line_family_matches m JOIN line_families a ON a.id = m.atlas_line_family_id
            UNION ALL
            SELECT f.id, NULL::bigint, false, f.display_route_id FROM line_families f
            WHERE f.source = 'atlas' AND f.matched_family_id IS NULL
            UNION ALL
            SELECT NULL::bigint, f.id, false, f.display_route_id FROM line_families f
            WHERE f.source = 'osm' AND f.matched_family_id IS NULL AND NOT f.is_non_gtfs),
        kept AS (
            SELECT e.* FROM entries e
            LEFT JOIN line_families a ON a.id = e.atlas_id
            LEFT JOIN line_families o ON o.id = e.osm_id
            WHERE {0}
              AND (cardinality(@atlas_ops) = 0 OR a.operator = ANY(@atlas_ops))
              AND (cardinality(@osm_ops) = 0 OR o.operator = ANY(@osm_ops))
              AND (@q = '' OR {1} OR {2}))
        """;

    private const string NonGtfsSql = """
        WITH kept AS (
            SELECT NULL::bigint AS atlas_id, f.id AS osm_id, false AS matched, f.display_route_id AS sort_key
            FROM line_families f WHERE f.source = 'osm' AND f.is_non_gtfs)
        """;

    private const string PageSql = """
        SELECT atlas_id, osm_id FROM kept
        ORDER BY matched DESC, lower(sort_key), sort_key, atlas_id NULLS LAST, osm_id NULLS LAST
        LIMIT @take OFFSET @skip
        """;

    /// <summary>One page of /routes (<paramref name="nonGtfs"/> false) or /routes/non-gtfs, ordered and paged in SQL.</summary>
    public Task<RouteCardPage> CardsAsync(RouteListQuery query, bool nonGtfs, CancellationToken ct) => ReadAsync(async (connection, tx) =>
    {
        var entriesSql = nonGtfs
            ? NonGtfsSql
            : EntriesSql.Replace("{0}", MatchedCondition(query.Matched), StringComparison.Ordinal)
                .Replace("{1}", SearchCondition("a"), StringComparison.Ordinal).Replace("{2}", SearchCondition("o"), StringComparison.Ordinal);
        var batch = new NpgsqlBatch(connection, tx);
        await using (batch)
        {
            foreach (var sql in (string[])[$"{entriesSql} SELECT count(*)::int FROM kept", $"{entriesSql} {PageSql}"])
            {
                var command = new NpgsqlBatchCommand(sql);
                if (!nonGtfs)
                {
                    AddSearchParameters(command.Parameters, query.Q);
                    command.Parameters.Add(new NpgsqlParameter("atlas_ops", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = query.AtlasOperators.ToArray() });
                    command.Parameters.Add(new NpgsqlParameter("osm_ops", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = query.OsmOperators.ToArray() });
                }

                command.Parameters.Add(new NpgsqlParameter("take", NpgsqlDbType.Integer) { Value = query.PerPage });
                command.Parameters.Add(new NpgsqlParameter("skip", NpgsqlDbType.Integer) { Value = query.Skip });
                batch.BatchCommands.Add(command);
            }

            var entries = new List<(long? Atlas, long? Osm)>();
            int total;
            await using (var reader = await batch.ExecuteReaderAsync(ct))
            {
                await reader.ReadAsync(ct);
                total = reader.GetInt32(0);
                await reader.NextResultAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    entries.Add((reader.IsDBNull(0) ? null : reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt64(1)));
                }
            }

            return new RouteCardPage(await CardsForAsync(connection, tx, entries, ct), total);
        }
    }, ct);

    /// <summary>The distinct operators of each side's families, for the filter form.</summary>
    public Task<RouteOperatorOptions> OperatorOptionsAsync(CancellationToken ct) => ReadAsync(async (connection, tx) =>
        new RouteOperatorOptions(await OperatorsAsync(connection, tx, "atlas", ct), await OperatorsAsync(connection, tx, "osm", ct)), ct);

    /// <summary>Distinct non-empty <c>operator</c> values of the OSM route families, sorted case-insensitively.</summary>
    public Task<IReadOnlyList<string>> OsmRouteOperatorsAsync(CancellationToken ct) =>
        ReadAsync((connection, tx) => OperatorsAsync(connection, tx, "osm", ct), ct);

    public Task<(ItinerarySummary Itinerary, IReadOnlyList<StopCallView> Calls)?> ItineraryAsync(long id, CancellationToken ct) =>
        ReadAsync(async (connection, tx) =>
        {
            var summaries = await SummariesAsync(connection, tx, [id], ct);
            if (summaries.Count == 0)
            {
                return ((ItinerarySummary, IReadOnlyList<StopCallView>)?)null;
            }

            await using var command = new NpgsqlCommand(
                """
                SELECT stop_sequence, source_stop_id, stop_label, sloid, sloid_variants, osm_node_id, uic_ref, platform_code, lat, lon,
                       member_role, stop_keys
                FROM stop_calls WHERE itinerary_id = @id ORDER BY stop_sequence, id
                """, connection, tx);
            command.Parameters.Add(new NpgsqlParameter("id", id));
            var calls = new List<StopCallView>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                calls.Add(new StopCallView(reader.GetInt32(0), reader.GetString(1), reader.GetString(2), Text(reader, 3),
                    reader.GetFieldValue<string[]>(4), Text(reader, 5), Text(reader, 6), Text(reader, 7), reader.GetDouble(8),
                    reader.GetDouble(9), Text(reader, 10), reader.GetFieldValue<string[]>(11)));
            }

            return (summaries[0], (IReadOnlyList<StopCallView>)calls);
        }, ct);

    public Task<SavedMatch?> SavedMatchAsync(long atlasId, long osmId, CancellationToken ct) => ReadAsync(async (connection, tx) =>
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT stop_score, overall_score, matched_stops, match_reason FROM itinerary_matches
            WHERE atlas_itinerary_id = @a AND osm_itinerary_id = @o
            """, connection, tx);
        command.Parameters.Add(new NpgsqlParameter("a", atlasId));
        command.Parameters.Add(new NpgsqlParameter("o", osmId));
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new SavedMatch(reader.GetDouble(0), reader.GetDouble(1), reader.GetInt32(2), reader.GetString(3))
            : null;
    }, ct);

    /// <summary>
    /// Candidates of the comparison picker on <paramref name="source"/>'s side. Without a fixed itinerary: ordered by
    /// route id, then name, paged in SQL. With one: those sharing a stop with it first, by stop score (then matched stops,
    /// then id), then the rest in route order; only the candidates are scored in memory, the rest is paged in SQL.
    /// </summary>
    public Task<ComparisonOptionsResponse> OptionsAsync(
        string source, string q, bool unmatchedOnly, int page, int perPage, long? anchorId, long? fixedId, CancellationToken ct) =>
        ReadAsync(async (connection, tx) =>
        {
            var where = $"""
                i.source = @source AND f.source = @source AND NOT f.is_non_gtfs
                AND (NOT @unmatched OR i.matched_itinerary_id IS NULL)
                AND (@q = '' OR {SearchCondition("f")} OR lower(i.source_itinerary_id) LIKE @q_like
                     OR lower(coalesce(i.display_name, '')) LIKE @q_like OR lower(coalesce(i.headsign, '')) LIKE @q_like)
                """;
            var total = await CountAsync(connection, tx, where, source, q, unmatchedOnly, [], ct);
            var pages = Math.Max(1, (total + perPage - 1) / perPage);

            List<ComparisonOption> ranked = [];
            ComparisonOption? best = null;
            if (fixedId is { } fixedItinerary)
            {
                var fixedKeys = (await StopKeysAsync(connection, tx, [fixedItinerary], ct)).GetValueOrDefault(fixedItinerary) ?? [];
                var scored = await RankAsync(connection, tx, fixedKeys, source, unmatchedOnly, q, ct);
                var visible = scored.Where(s => s.Visible).ToList();
                var ids = visible.Select(s => s.Id).Append(scored.FirstOrDefault().Id).Where(id => id > 0).Distinct().ToArray();
                var summaries = (await SummariesAsync(connection, tx, ids, ct)).ToDictionary(s => s.Id);
                ranked = [.. visible.Select(s => new ComparisonOption(summaries[s.Id], s.Score, s.Matched))];
                best = scored.Count > 0 ? new ComparisonOption(summaries[scored[0].Id], scored[0].Score, scored[0].Matched) : null;
            }

            var rankedIds = ranked.Select(r => r.Itinerary.Id).ToArray();
            if (anchorId is { } anchor && q.Length == 0)
            {
                var index = ranked.FindIndex(r => r.Itinerary.Id == anchor);
                var position = index >= 0 ? index : await PositionAsync(connection, tx, where, source, unmatchedOnly, rankedIds, anchor, ct) is { } p ? ranked.Count + p : -1;
                if (position >= 0)
                {
                    page = position / perPage + 1;
                }
            }

            page = Math.Min(page, pages);
            var skip = (page - 1) * perPage;
            var items = ranked.Skip(skip).Take(perPage).ToList();
            if (items.Count < perPage)
            {
                var restSkip = Math.Max(0, skip - ranked.Count);
                var rest = await UnscoredPageAsync(connection, tx, where, source, q, unmatchedOnly, rankedIds, perPage - items.Count, restSkip, ct);
                items.AddRange(rest.Select(s => new ComparisonOption(s, fixedId is null ? null : 0, fixedId is null ? null : 0)));
            }

            return new ComparisonOptionsResponse(items, best, page, pages, total, perPage);
        }, ct);

    /// <summary>For each itinerary, the candidate on the other side with the highest stop score (matched or not), or null.</summary>
    public Task<IReadOnlyDictionary<long, ComparisonOption?>?> BestAsync(IReadOnlyList<long> ids, CancellationToken ct) => ReadAsync(async (connection, tx) =>
    {
        var sources = await SourcesAsync(connection, tx, ids, ct);
        if (sources.Count != ids.Count)
        {
            return null;
        }

        var keys = await StopKeysAsync(connection, tx, [.. ids], ct);
        var result = new Dictionary<long, ComparisonOption?>();
        var bestIds = new Dictionary<long, (long Id, double Score, int Matched)>();
        foreach (var id in ids)
        {
            var other = sources[id] == "atlas" ? "osm" : "atlas";
            var scored = await RankAsync(connection, tx, keys.GetValueOrDefault(id) ?? [], other, false, "", ct);
            if (scored.Count > 0)
            {
                bestIds[id] = (scored[0].Id, scored[0].Score, scored[0].Matched);
            }
        }

        var summaries = (await SummariesAsync(connection, tx, [.. bestIds.Values.Select(b => b.Id).Distinct()], ct)).ToDictionary(s => s.Id);
        foreach (var id in ids)
        {
            result[id] = bestIds.TryGetValue(id, out var b) ? new ComparisonOption(summaries[b.Id], b.Score, b.Matched) : null;
        }

        return (IReadOnlyDictionary<long, ComparisonOption?>?)result;
    }, ct);

    /// <summary>
    /// The distinct stops of the families whose GTFS route id, normalised route id or display route id is
    /// <paramref name="routeId"/> (both sides), in the order they are first called, optionally of one direction.
    /// </summary>
    public Task<RouteStopsResponse> RouteStopsAsync(string routeId, string? direction, int limit, CancellationToken ct) => ReadAsync(async (connection, tx) =>
    {
        const string families = """
            WITH fam AS (
                SELECT f.id, f.source, f.source_family_id FROM line_families f
                WHERE f.gtfs_route_id = @route OR f.normalized_route_id = @normalized OR f.display_route_id = @route)
            """;
        var batch = new NpgsqlBatch(connection, tx);
        await using (batch)
        {
            foreach (var sql in (string[])[
                $"{families} SELECT source || ':' || source_family_id FROM fam ORDER BY source, source_family_id",
                $"""
                {families},
                calls AS (
                    SELECT fam.source, c.stop_sequence, c.stop_label, c.sloid, c.osm_node_id, c.uic_ref, c.lat, c.lon,
                           coalesce(c.sloid, c.osm_node_id, c.source_stop_id) AS stop_key
                    FROM fam JOIN itineraries i ON i.line_family_id = fam.id
                    JOIN stop_calls c ON c.itinerary_id = i.id
                    WHERE @direction::text IS NULL OR i.direction_id = @direction::text),
                firsts AS (
                    SELECT DISTINCT ON (source, stop_key) source, stop_sequence, stop_label, sloid, osm_node_id, uic_ref, lat, lon, stop_key
                    FROM calls ORDER BY source, stop_key, stop_sequence)
                SELECT source, stop_sequence, stop_label, sloid, osm_node_id, uic_ref, lat, lon FROM firsts
                ORDER BY source, stop_sequence, stop_label, stop_key LIMIT @limit
                """])
            {
                var command = new NpgsqlBatchCommand(sql);
                command.Parameters.Add(new NpgsqlParameter("route", routeId));
                command.Parameters.Add(new NpgsqlParameter("normalized", RouteSearch.NormalizeRouteId(routeId)));
                command.Parameters.Add(new NpgsqlParameter("direction", NpgsqlDbType.Text) { Value = (object?)direction ?? DBNull.Value });
                command.Parameters.Add(new NpgsqlParameter("limit", NpgsqlDbType.Integer) { Value = limit });
                batch.BatchCommands.Add(command);
            }

            var names = new List<string>();
            var stops = new List<RouteStopView>();
            await using var reader = await batch.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                names.Add(reader.GetString(0));
            }

            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                stops.Add(new RouteStopView(reader.GetString(0), reader.GetInt32(1), reader.GetString(2), Text(reader, 3), Text(reader, 4),
                    Text(reader, 5), reader.GetDouble(6), reader.GetDouble(7)));
            }

            return new RouteStopsResponse(routeId, direction, names, stops, stops.Count);
        }
    }, ct);

    private async Task<T> ReadAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> read, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var limits = new NpgsqlCommand(
            "SELECT set_config('lock_timeout', @lock, true), set_config('statement_timeout', @statement, true)", connection, tx))
        {
            limits.Parameters.Add(new NpgsqlParameter("lock", $"{Math.Max(1, options.Value.LockTimeoutMilliseconds)}ms"));
            limits.Parameters.Add(new NpgsqlParameter("statement", $"{Math.Max(1, options.Value.StatementTimeoutMilliseconds)}ms"));
            await limits.ExecuteNonQueryAsync(ct);
        }

        var result = await read(connection, tx);
        await tx.CommitAsync(ct);
        return result;
    }

    private static string MatchedCondition(string matched) => matched switch
    {
        MatchedFilter.Matched => "e.matched",
        MatchedFilter.Unmatched => "NOT e.matched",
        MatchedFilter.UnmatchedAtlas => "NOT e.matched AND e.atlas_id IS NOT NULL",
        MatchedFilter.UnmatchedOsm => "NOT e.matched AND e.osm_id IS NOT NULL",
        _ => "true",
    };

    // The route id search: any of a family's ids or its ref or name contains the text; a timetable year is any year.
    private static string SearchCondition(string alias) => $"""
        (lower({alias}.display_route_id) LIKE @q_like OR lower(coalesce({alias}.gtfs_route_id, '')) LIKE @q_like
         OR lower(coalesce({alias}.normalized_route_id, '')) LIKE @qn_like OR lower(coalesce({alias}.ref, '')) LIKE @q_like
         OR lower(coalesce({alias}.public_name, '')) LIKE @q_like OR lower({alias}.source_family_id) LIKE @q_like
         OR coalesce({alias}.route_master_id, '') = @q)
        """;

    private static void AddSearchParameters(NpgsqlParameterCollection parameters, string q)
    {
        parameters.Add(new NpgsqlParameter("q", NpgsqlDbType.Text) { Value = q });
        parameters.Add(new NpgsqlParameter("q_like", NpgsqlDbType.Text) { Value = RouteSearch.Contains(q.ToLowerInvariant()) });
        parameters.Add(new NpgsqlParameter("qn_like", NpgsqlDbType.Text) { Value = RouteSearch.Contains(RouteSearch.NormalizeRouteId(q).ToLowerInvariant()) });
    }

    private static async Task<IReadOnlyList<RouteCard>> CardsForAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, List<(long? Atlas, long? Osm)> entries, CancellationToken ct)
    {
        if (entries.Count == 0)
        {
            return [];
        }

        var ids = entries.SelectMany(e => new[] { e.Atlas, e.Osm }).OfType<long>().Distinct().ToArray();
        var families = new Dictionary<long, FamilyView>();
        var matches = new Dictionary<(long, long), (string Method, double Score)>();
        var itineraries = new List<ItineraryView>();
        var pairs = new List<(long Atlas, long Osm, double Score, int Matched)>();
        await using (var batch = new NpgsqlBatch(connection, tx))
        {
            foreach (var sql in (string[])[
                $"SELECT {FamilyColumns} FROM line_families f WHERE f.id = ANY(@ids)",
                "SELECT atlas_line_family_id, osm_line_family_id, match_method, score FROM line_family_matches WHERE atlas_line_family_id = ANY(@ids)",
                $"SELECT {ItineraryColumns} FROM itineraries i WHERE i.line_family_id = ANY(@ids) ORDER BY i.trip_count DESC, i.id",
                """
                SELECT im.atlas_itinerary_id, im.osm_itinerary_id, im.stop_score, im.matched_stops
                FROM itinerary_matches im JOIN itineraries i ON i.id = im.atlas_itinerary_id
                WHERE i.line_family_id = ANY(@ids)
                """])
            {
                var command = new NpgsqlBatchCommand(sql);
                command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = ids });
                batch.BatchCommands.Add(command);
            }

            await using var reader = await batch.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var family = ReadFamily(reader);
                families[family.Id] = family;
            }

            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                matches[(reader.GetInt64(0), reader.GetInt64(1))] = (reader.GetString(2), reader.GetDouble(3));
            }

            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                itineraries.Add(new ItineraryView(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), Text(reader, 4),
                    Text(reader, 5), Text(reader, 6), Text(reader, 7), Text(reader, 8), reader.GetInt32(9), reader.GetInt32(10), Text(reader, 11),
                    reader.IsDBNull(12) ? null : reader.GetInt64(12)));
            }

            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                pairs.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetDouble(2), reader.GetInt32(3)));
            }
        }

        var byFamily = itineraries.ToLookup(i => i.FamilyId);
        var byId = itineraries.ToDictionary(i => i.Id);
        var cards = new List<RouteCard>(entries.Count);
        foreach (var (atlasId, osmId) in entries)
        {
            var atlas = atlasId is { } a ? families.GetValueOrDefault(a) : null;
            var osm = osmId is { } o ? families.GetValueOrDefault(o) : null;
            if (atlas is null && osm is null)
            {
                continue;
            }

            var match = atlas is not null && osm is not null ? matches.GetValueOrDefault((atlas.Id, osm.Id)) : default;
            var atlasItineraries = atlas is null ? [] : byFamily[atlas.Id].ToList();
            var osmItineraries = osm is null ? [] : byFamily[osm.Id].ToList();
            var cardPairs = pairs
                .Where(p => byId.TryGetValue(p.Atlas, out var ai) && ai.FamilyId == atlas?.Id && byId.TryGetValue(p.Osm, out var oi) && oi.FamilyId == osm?.Id)
                .Select(p => new ItineraryPairView(byId[p.Atlas], byId[p.Osm], p.Score, p.Matched))
                .ToList();
            cards.Add(new RouteCard(atlas, osm, match.Method, match.Method is null ? null : match.Score, cardPairs.Count,
                Directions(atlasItineraries, osmItineraries, cardPairs)));
        }

        return cards;
    }

    // Directions in numeric order, unknown last; in each, the matched pairs, then each side's unpaired itineraries.
    private static List<DirectionGroup> Directions(List<ItineraryView> atlas, List<ItineraryView> osm, List<ItineraryPairView> pairs)
    {
        var paired = pairs.SelectMany(p => new[] { p.Atlas.Id, p.Osm.Id }).ToHashSet();
        var directions = atlas.Concat(osm).Select(i => i.DirectionId).Distinct()
            .OrderBy(d => d is null ? 1 : 0).ThenBy(d => d?.Length ?? 0).ThenBy(d => d, StringComparer.Ordinal)
            .ToList();
        return [.. directions.Select(d => new DirectionGroup(
            d,
            [.. pairs.Where(p => p.Atlas.DirectionId == d).OrderByDescending(p => p.StopScore).ThenBy(p => p.Atlas.Title, StringComparer.Ordinal)],
            [.. atlas.Where(i => i.DirectionId == d && !paired.Contains(i.Id))],
            [.. osm.Where(i => i.DirectionId == d && !paired.Contains(i.Id)).OrderBy(i => i.Title, StringComparer.Ordinal).ThenBy(i => i.Id)]))];
    }

    internal static FamilyView ReadFamily(NpgsqlDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), Text(r, 4), r.GetString(5), r.GetString(6), Text(r, 7), Text(r, 8),
        Text(r, 9), Text(r, 10), Text(r, 11), Text(r, 12), Text(r, 13), Text(r, 14), r.GetBoolean(15), r.GetInt32(16), r.GetInt32(17));

    private static async Task<IReadOnlyList<string>> OperatorsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string source, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT DISTINCT operator FROM line_families WHERE source = @source AND operator IS NOT NULL AND btrim(operator) <> ''
            """, connection, tx);
        command.Parameters.Add(new NpgsqlParameter("source", source));
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            values.Add(reader.GetString(0));
        }

        return [.. values.Order(StringComparer.OrdinalIgnoreCase).ThenBy(v => v, StringComparer.Ordinal)];
    }

    private static async Task<List<ItinerarySummary>> SummariesAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long[] ids, CancellationToken ct)
    {
        if (ids.Length == 0)
        {
            return [];
        }

        await using var command = new NpgsqlCommand(
            $"SELECT {SummaryColumns} FROM itineraries i JOIN line_families f ON f.id = i.line_family_id WHERE i.id = ANY(@ids)", connection, tx);
        command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = ids });
        return await ReadSummariesAsync(command, ct);
    }

    private static async Task<List<ItinerarySummary>> ReadSummariesAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var list = new List<ItinerarySummary>();
        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new ItinerarySummary(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetString(4), Text(r, 5), Text(r, 6),
                Text(r, 7), r.GetString(8), Text(r, 9), Text(r, 10), Text(r, 11), Text(r, 12), Text(r, 13), r.GetInt32(14), r.GetInt32(15),
                Text(r, 16), Text(r, 17), r.IsDBNull(18) ? null : r.GetInt64(18)));
        }

        return list;
    }

    private static async Task<Dictionary<long, string>> SourcesAsync(NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyList<long> ids, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT id, source FROM itineraries WHERE id = ANY(@ids)", connection, tx);
        command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = ids.ToArray() });
        var sources = new Dictionary<long, string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            sources[reader.GetInt64(0)] = reader.GetString(1);
        }

        return sources;
    }

    private static async Task<Dictionary<long, List<IReadOnlyList<string>>>> StopKeysAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, long[] ids, CancellationToken ct)
    {
        var keys = new Dictionary<long, List<IReadOnlyList<string>>>();
        if (ids.Length == 0)
        {
            return keys;
        }

        await using var command = new NpgsqlCommand(
            "SELECT itinerary_id, stop_keys FROM stop_calls WHERE itinerary_id = ANY(@ids) ORDER BY itinerary_id, stop_sequence, id", connection, tx);
        command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = ids });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetInt64(0);
            if (!keys.TryGetValue(id, out var list))
            {
                keys[id] = list = [];
            }

            list.Add(reader.GetFieldValue<string[]>(1));
        }

        return keys;
    }

    /// <summary>
    /// Itineraries on <paramref name="source"/>'s side sharing at least one stop with <paramref name="fixedKeys"/>, best
    /// first. Candidates are found through the indexed SLOID and UIC columns: every cross-side stop key is a
    /// <c>sloid:</c> or <c>uic:</c> key. Visible says whether the candidate also passes the text search.
    /// </summary>
    private static async Task<List<(long Id, double Score, int Matched, bool Visible)>> RankAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, List<IReadOnlyList<string>> fixedKeys, string source, bool unmatchedOnly,
        string q, CancellationToken ct)
    {
        var all = fixedKeys.SelectMany(k => k).ToHashSet(StringComparer.Ordinal);
        var sloids = all.Where(k => k.StartsWith("sloid:", StringComparison.Ordinal)).Select(k => k["sloid:".Length..]).ToArray();
        var uics = all.Where(k => k.StartsWith("uic:", StringComparison.Ordinal)).Select(k => k["uic:".Length..]).ToArray();
        if (sloids.Length == 0 && uics.Length == 0)
        {
            return [];
        }

        await using var command = new NpgsqlCommand(
            $"""
            SELECT i.id, (@q = '' OR {SearchCondition("f")} OR lower(i.source_itinerary_id) LIKE @q_like
                          OR lower(coalesce(i.display_name, '')) LIKE @q_like OR lower(coalesce(i.headsign, '')) LIKE @q_like)
            FROM itineraries i JOIN line_families f ON f.id = i.line_family_id
            WHERE i.source = @source AND f.source = @source AND NOT f.is_non_gtfs AND (NOT @unmatched OR i.matched_itinerary_id IS NULL)
              AND i.id IN (SELECT c.itinerary_id FROM stop_calls c WHERE c.sloid = ANY(@sloids) OR c.uic_ref = ANY(@uics))
            """, connection, tx);
        AddSearchParameters(command.Parameters, q);
        command.Parameters.Add(new NpgsqlParameter("source", source));
        command.Parameters.Add(new NpgsqlParameter("unmatched", unmatchedOnly));
        command.Parameters.Add(new NpgsqlParameter("sloids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = sloids });
        command.Parameters.Add(new NpgsqlParameter("uics", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = uics });
        var candidates = new Dictionary<long, bool>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                candidates[reader.GetInt64(0)] = reader.GetBoolean(1);
            }
        }

        var keys = await StopKeysAsync(connection, tx, [.. candidates.Keys], ct);
        var scored = new List<(long Id, double Score, int Matched, bool Visible)>();
        foreach (var (id, visible) in candidates)
        {
            var calls = keys.GetValueOrDefault(id) ?? [];
            var matched = RouteAlignment.MatchedCount(fixedKeys, calls);
            if (matched > 0)
            {
                scored.Add((id, (double)matched / Math.Max(fixedKeys.Count, calls.Count), matched, visible));
            }
        }

        return [.. scored.OrderByDescending(s => s.Score).ThenByDescending(s => s.Matched).ThenBy(s => s.Id)];
    }

    private const string RouteOrder = "lower(f.display_route_id), lower(coalesce(i.display_name, i.headsign, '')), i.id";

    private static async Task<int> CountAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string where, string source, string q, bool unmatched, long[] excluded, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT count(*)::int FROM itineraries i JOIN line_families f ON f.id = i.line_family_id WHERE {where} AND i.id <> ALL(@excluded)", connection, tx);
        AddOptionParameters(command.Parameters, source, q, unmatched, excluded);
        return (int)(await command.ExecuteScalarAsync(ct))!;
    }

    private static async Task<List<ItinerarySummary>> UnscoredPageAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string where, string source, string q, bool unmatched, long[] excluded, int take, int skip, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"""
            SELECT {SummaryColumns} FROM itineraries i JOIN line_families f ON f.id = i.line_family_id
            WHERE {where} AND i.id <> ALL(@excluded) ORDER BY {RouteOrder} LIMIT @take OFFSET @skip
            """, connection, tx);
        AddOptionParameters(command.Parameters, source, q, unmatched, excluded);
        command.Parameters.Add(new NpgsqlParameter("take", NpgsqlDbType.Integer) { Value = take });
        command.Parameters.Add(new NpgsqlParameter("skip", NpgsqlDbType.Integer) { Value = skip });
        return await ReadSummariesAsync(command, ct);
    }

    // Where the anchor stands in route order among the unscored candidates; null when it is not among them.
    private static async Task<int?> PositionAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string where, string source, bool unmatched, long[] excluded, long anchor, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"""
            WITH a AS (
                SELECT lower(f.display_route_id) AS r, lower(coalesce(i.display_name, i.headsign, '')) AS n, i.id
                FROM itineraries i JOIN line_families f ON f.id = i.line_family_id WHERE i.id = @anchor AND {where} AND i.id <> ALL(@excluded))
            SELECT (SELECT count(*)::int FROM itineraries i JOIN line_families f ON f.id = i.line_family_id, a
                    WHERE {where} AND i.id <> ALL(@excluded)
                      AND (lower(f.display_route_id), lower(coalesce(i.display_name, i.headsign, '')), i.id) < (a.r, a.n, a.id))
            FROM a
            """, connection, tx);
        AddOptionParameters(command.Parameters, source, "", unmatched, excluded);
        command.Parameters.Add(new NpgsqlParameter("anchor", anchor));
        return await command.ExecuteScalarAsync(ct) is int position ? position : null;
    }

    private static void AddOptionParameters(NpgsqlParameterCollection parameters, string source, string q, bool unmatched, long[] excluded)
    {
        AddSearchParameters(parameters, q);
        parameters.Add(new NpgsqlParameter("source", source));
        parameters.Add(new NpgsqlParameter("unmatched", unmatched));
        parameters.Add(new NpgsqlParameter("excluded", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = excluded });
    }

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
