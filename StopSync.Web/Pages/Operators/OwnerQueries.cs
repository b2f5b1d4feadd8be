using Npgsql;
using StopSync.Web.Pages.Map;
using StopSync.Web.Pages.Map.Filters;

namespace StopSync.Web.Pages.Operators;

/// <summary>
/// The reads of the operator and canton pages (docs/08-site.md, "Operators and cantons"). The published figures are
/// one set-based statement per kind of owner, kept per published run in <see cref="PublishedDataCache"/>; decisions
/// change at any time and are counted on every request from <c>review.decisions</c>, which is small; trends come from
/// the history tables.
/// </summary>
public sealed class OwnerQueries(NpgsqlDataSource dataSource, PublishedDataCache cache, ReviewMapQueries runs)
{
    /// <summary>Null before the first publication.</summary>
    public Task<Guid?> LiveRunAsync(CancellationToken ct) => PublishedRun.IdAsync(dataSource, ct);

    /// <summary>Every ATLAS operator of the live dataset (or every canton), in the order of the lists.</summary>
    public Task<IReadOnlyList<OwnerFigures>> FiguresAsync(OwnerScope scope, CancellationToken ct) =>
        cache.GetOrAddAsync($"owners:{scope}", runs, c => ReadFiguresAsync(scope, c), ct);

    /// <summary>
    /// Counted decisions are reused while no decision event has been written since (every change of a decision, by a
    /// reviewer or by a publication re-applying it, appends one to <c>review.decision_events</c>) and for at most this
    /// long, so that a change made outside the application shows too.
    /// </summary>
    public static readonly TimeSpan DecisionLifetime = TimeSpan.FromSeconds(60);

    private readonly Lock _decisionsLock = new();
    private readonly Dictionary<OwnerScope, (string Stamp, long At, IReadOnlyDictionary<string, OwnerDecisions> Counts)> _decisions = [];

    /// <summary>The decisions per owner (key = abbreviation or canton code), every owner of the scope.</summary>
    public async Task<IReadOnlyDictionary<string, OwnerDecisions>> DecisionsAsync(OwnerScope scope, CancellationToken ct)
    {
        // A publication changes which problems exist, so the live run is part of the stamp.
        await using var stampCommand = dataSource.CreateCommand(
            "SELECT coalesce(max(id), 0)::text || '/' || coalesce((SELECT run_id::text FROM dataset_publication LIMIT 1), '') FROM review.decision_events");
        var stamp = (string)(await stampCommand.ExecuteScalarAsync(ct))!;
        var now = Environment.TickCount64;
        lock (_decisionsLock)
        {
            if (_decisions.TryGetValue(scope, out var kept) && string.Equals(kept.Stamp, stamp, StringComparison.Ordinal) && now - kept.At < DecisionLifetime.TotalMilliseconds)
            {
                return kept.Counts;
            }
        }

        var counts = await CountDecisionsAsync(scope, ct);
        lock (_decisionsLock)
        {
            _decisions[scope] = (stamp, now, counts);
        }

        return counts;
    }

    private async Task<IReadOnlyDictionary<string, OwnerDecisions>> CountDecisionsAsync(OwnerScope scope, CancellationToken ct)
    {
        var column = Column(scope);
        var filter = $"d.{column} IS NOT NULL";
        var problemFilter = $"s.{column} IS NOT NULL";
        // Problem rows with a decision on their key are no longer open, whatever the decision's state (as on /problems).
        var sql = $"""
            SELECT d.{column}, d.state, 0, count(*)::int FROM review.decisions d WHERE {filter} GROUP BY 1, 2
            UNION ALL
            SELECT s.{column}, NULL, p.priority, count(*)::int
            FROM review.decisions d
            JOIN problems p ON p.problem_key = d.problem_key
            JOIN stops_matched s ON s.id = p.stop_id
            WHERE {problemFilter}
            GROUP BY 1, 3
            """;
        await using var command = dataSource.CreateCommand(sql);
        var states = new Dictionary<string, (int Decided, int Again, int Resolved, int P1, int P2, int P3)>(StringComparer.Ordinal);
        await using (var r = await command.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                var owner = r.GetString(0);
                var n = r.GetInt32(3);
                var c = states.GetValueOrDefault(owner);
                if (!r.IsDBNull(1))
                {
                    c = r.GetString(1) switch
                    {
                        "needs_another_look" => c with { Again = c.Again + n },
                        "resolved_by_data" => c with { Resolved = c.Resolved + n },
                        _ => c with { Decided = c.Decided + n },
                    };
                }
                else
                {
                    c = r.GetInt32(2) switch
                    {
                        1 => c with { P1 = n },
                        2 => c with { P2 = n },
                        _ => c with { P3 = n },
                    };
                }

                states[owner] = c;
            }
        }

        return states.ToDictionary(s => s.Key, s => new OwnerDecisions(s.Value.Decided, s.Value.Again, s.Value.Resolved,
            new PriorityCounts(s.Value.P1, s.Value.P2, s.Value.P3)), StringComparer.Ordinal);
    }

    /// <summary>The scope's figures of every publication still in the history, oldest first.</summary>
    public async Task<IReadOnlyList<TrendPoint>> TrendAsync(OwnerScope scope, string key, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT h.run_id, h.published_at, s.atlas_platforms, s.atlas_matched, s.atlas_effectively_matched, s.atlas_unmatched,
                   s.problems, s.problems_p1, s.problems_p2, s.problems_p3
            FROM publication_statistics s
            JOIN publication_history h ON h.run_id = s.run_id
            WHERE s.scope_kind = @kind AND s.scope_key = @key AND h.published_at IS NOT NULL
            ORDER BY h.published_at, h.run_id
            """);
        command.Parameters.AddWithValue("kind", Kind(scope));
        command.Parameters.AddWithValue("key", key);
        var points = new List<TrendPoint>();
        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            points.Add(new TrendPoint(r.GetGuid(0), r.GetFieldValue<DateTimeOffset>(1), r.GetInt32(2), r.GetInt32(3), r.GetInt32(4),
                r.GetInt32(5), r.GetInt32(6), r.GetInt32(7), r.GetInt32(8), r.GetInt32(9)));
        }

        return points;
    }

    /// <summary>The live run's changes of the scope by type and cause; null when the live run has no history row.</summary>
    public async Task<ChangeSummary?> ChangesAsync(OwnerScope scope, string key, Guid liveRun, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT h.published_at, h.previous_run_id, h.no_comparison_reason, c.change_type, c.cause, c.n
            FROM publication_history h
            LEFT JOIN LATERAL (
                SELECT change_type, cause, count(*)::int AS n FROM data_changes
                WHERE {Column(scope)} = @key AND run_id = h.run_id GROUP BY 1, 2) c ON TRUE
            WHERE h.run_id = @run AND h.published_at IS NOT NULL
            ORDER BY c.n DESC NULLS LAST, c.change_type, c.cause
            """);
        command.Parameters.AddWithValue("key", key);
        command.Parameters.AddWithValue("run", liveRun);
        ChangeSummary? summary = null;
        var counts = new List<(string, string, int)>();
        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            summary ??= new ChangeSummary(liveRun, r.IsDBNull(0) ? null : r.GetFieldValue<DateTimeOffset>(0),
                r.IsDBNull(1) ? null : r.GetGuid(1), r.IsDBNull(2) ? null : r.GetString(2), counts);
            if (!r.IsDBNull(3))
            {
                counts.Add((r.GetString(3), r.GetString(4), r.GetInt32(5)));
            }
        }

        return summary;
    }

    /// <summary>The operators with platforms in one canton, most platforms first.</summary>
    public Task<IReadOnlyList<OperatorShare>> OperatorsInCantonAsync(string canton, CancellationToken ct) =>
        cache.GetOrAddAsync($"owners:canton-operators:{canton}", runs, async c =>
        {
            await using var command = dataSource.CreateCommand("""
                SELECT atlas_operator, count(DISTINCT sloid)::int, count(DISTINCT sloid) FILTER (WHERE stop_type = 'matched')::int
                FROM stops_matched
                WHERE canton = @canton AND sloid IS NOT NULL AND atlas_operator IS NOT NULL AND atlas_operator <> ''
                GROUP BY 1 ORDER BY 2 DESC, 1
                """);
            command.Parameters.AddWithValue("canton", canton);
            var shares = new List<OperatorShare>();
            await using var r = await command.ExecuteReaderAsync(c);
            while (await r.ReadAsync(c))
            {
                shares.Add(new OperatorShare(r.GetString(0), r.GetInt32(1), r.GetInt32(2)));
            }

            return (IReadOnlyList<OperatorShare>)shares;
        }, ct);

    public static string Kind(OwnerScope scope) => scope == OwnerScope.Operator ? "operator" : "canton";

    private static string Column(OwnerScope scope) => scope == OwnerScope.Operator ? "atlas_operator" : "canton";

    private async Task<IReadOnlyList<OwnerFigures>> ReadFiguresAsync(OwnerScope scope, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(scope == OwnerScope.Operator ? OperatorSql : CantonSql);
        var figures = new List<OwnerFigures>();
        await using (var r = await command.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                var values = r.IsDBNull(7) ? [] : r.GetFieldValue<string[]>(7);
                var counts = r.IsDBNull(8) ? [] : r.GetFieldValue<int[]>(8);
                figures.Add(new OwnerFigures(
                    r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2),
                    r.GetInt32(3), r.GetInt32(4), r.GetInt32(5), r.GetInt32(6),
                    [.. values.Zip(counts, (v, n) => new ValueCount(v, n))],
                    new PriorityCounts(r.GetInt32(9), r.GetInt32(10), r.GetInt32(11))));
            }
        }

        if (scope == OwnerScope.Canton)
        {
            // All 26 cantons, in the order of the Federal Statistical Office, also those without a platform.
            var byCode = figures.ToDictionary(f => f.Key, StringComparer.Ordinal);
            return [.. Cantons.All.Select(c => byCode.TryGetValue(c.Code, out var f) ? f with { Name = c.Name }
                : new OwnerFigures(c.Code, c.Name, null, 0, 0, 0, 0, [], PriorityCounts.Zero))];
        }

        return [.. figures.OrderBy(f => (f.Name ?? f.Key).ToLowerInvariant(), StringComparer.Ordinal).ThenBy(f => f.Key, StringComparer.Ordinal)];
    }

    // Platforms are the ATLAS rows of stops_matched (one stop type per SLOID, several rows when a platform has several
    // OSM elements), so counts are of distinct SLOIDs. A platform misses an OSM operator when none of its matched OSM
    // elements carries a non-blank operator tag. Name and SBOID: the most frequent spelling among the operator's rows.
    private const string OperatorSql = """
        WITH per_sloid AS (
            SELECT atlas_operator AS owner, sloid, bool_or(stop_type = 'matched') AS matched,
                   bool_or(stop_type = 'matched' AND btrim(coalesce(osm_operator, '')) <> '') AS has_operator
            FROM stops_matched
            WHERE sloid IS NOT NULL AND atlas_operator IS NOT NULL AND atlas_operator <> ''
            GROUP BY 1, 2),
        counts AS (
            SELECT owner, count(*)::int AS platforms, count(*) FILTER (WHERE matched)::int AS matched,
                   count(*) FILTER (WHERE matched AND NOT has_operator)::int AS missing
            FROM per_sloid GROUP BY owner),
        names AS (
            SELECT atlas_business_org_abbr AS owner,
                   mode() WITHIN GROUP (ORDER BY atlas_business_org_name) AS name,
                   mode() WITHIN GROUP (ORDER BY atlas_business_org_sboid) AS sboid
            FROM atlas_stops WHERE atlas_business_org_abbr IS NOT NULL GROUP BY 1),
        osm_values AS (
            SELECT owner, array_agg(value ORDER BY n DESC, value) AS osm_values, array_agg(n ORDER BY n DESC, value) AS osm_counts
            FROM (SELECT atlas_operator AS owner, btrim(osm_operator) AS value, count(DISTINCT sloid)::int AS n
                  FROM stops_matched
                  WHERE stop_type = 'matched' AND atlas_operator IS NOT NULL AND btrim(coalesce(osm_operator, '')) <> ''
                  GROUP BY 1, 2) v
            GROUP BY owner),
        problem_counts AS (
            SELECT s.atlas_operator AS owner, count(*) FILTER (WHERE p.priority = 1)::int AS p1,
                   count(*) FILTER (WHERE p.priority = 2)::int AS p2, count(*) FILTER (WHERE p.priority = 3)::int AS p3
            FROM problems p JOIN stops_matched s ON s.id = p.stop_id
            WHERE s.atlas_operator IS NOT NULL
            GROUP BY 1)
        SELECT c.owner, n.name, n.sboid, c.platforms, c.matched, c.missing, 0, o.osm_values, o.osm_counts,
               coalesce(p.p1, 0), coalesce(p.p2, 0), coalesce(p.p3, 0)
        FROM counts c
        LEFT JOIN names n USING (owner)
        LEFT JOIN osm_values o USING (owner)
        LEFT JOIN problem_counts p USING (owner)
        """;

    // A canton's rows are those the map shows in it (stops_matched.canton: the ATLAS position, else the OSM one).
    private const string CantonSql = """
        WITH per_sloid AS (
            SELECT canton AS owner, sloid, bool_or(stop_type = 'matched') AS matched,
                   bool_or(stop_type = 'matched' AND btrim(coalesce(osm_operator, '')) <> '') AS has_operator
            FROM stops_matched
            WHERE sloid IS NOT NULL AND canton IS NOT NULL
            GROUP BY 1, 2),
        counts AS (
            SELECT owner, count(*)::int AS platforms, count(*) FILTER (WHERE matched)::int AS matched,
                   count(*) FILTER (WHERE matched AND NOT has_operator)::int AS missing
            FROM per_sloid GROUP BY owner),
        osm_unmatched AS (
            SELECT canton AS owner, count(*)::int AS n FROM stops_matched WHERE stop_type = 'osm_unmatched' AND canton IS NOT NULL GROUP BY 1),
        problem_counts AS (
            SELECT s.canton AS owner, count(*) FILTER (WHERE p.priority = 1)::int AS p1,
                   count(*) FILTER (WHERE p.priority = 2)::int AS p2, count(*) FILTER (WHERE p.priority = 3)::int AS p3
            FROM problems p JOIN stops_matched s ON s.id = p.stop_id
            WHERE s.canton IS NOT NULL
            GROUP BY 1),
        owners AS (SELECT owner FROM counts UNION SELECT owner FROM osm_unmatched UNION SELECT owner FROM problem_counts)
        SELECT o.owner, NULL, NULL, coalesce(c.platforms, 0), coalesce(c.matched, 0), coalesce(c.missing, 0), coalesce(u.n, 0),
               NULL::text[], NULL::int[], coalesce(p.p1, 0), coalesce(p.p2, 0), coalesce(p.p3, 0)
        FROM owners o
        LEFT JOIN counts c USING (owner)
        LEFT JOIN osm_unmatched u USING (owner)
        LEFT JOIN problem_counts p USING (owner)
        """;
}
