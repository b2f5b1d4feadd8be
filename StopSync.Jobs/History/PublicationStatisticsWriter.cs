using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using StopSync.Jobs.Sources.Geography;

namespace StopSync.Jobs.History;

/// <summary>Computes a publication's statistics per scope from its staged tables into <c>publication_statistics</c>
/// (docs/10-history.md, "Statistics").</summary>
public sealed partial class PublicationStatisticsWriter(ILogger<PublicationStatisticsWriter> logger)
{
    // The grouped hashes (one entry per SLOID, per OSM element, per scope and element) spill to disk under the server's
    // default of 4 MB at Swiss scale and then take several times as long; 32 MB holds them. JIT compiling this one
    // large statement costs far more than it saves on 100k rows (measured: seconds against a fraction of one).
    private const string SessionSettings = "SET work_mem = '32MB'; SET jit = off";

    /// <returns>The number of statistics rows written: one for the whole dataset, one per operator and per canton.</returns>
    public async Task<int> WriteAsync(NpgsqlConnection connection, Guid runId, string stagingSchema, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        // The schema name is spliced into the SQL (identifiers cannot be parameters): only the publisher's own names pass.
        if (!SchemaName().IsMatch(stagingSchema))
        {
            throw new ArgumentException($"'{stagingSchema}' is not a staging schema name.", nameof(stagingSchema));
        }

        var started = Stopwatch.GetTimestamp();
        await using (var set = new NpgsqlCommand(SessionSettings, connection))
        {
            await set.ExecuteNonQueryAsync(ct);
        }

        int rows;
        try
        {
            await using var insert = new NpgsqlCommand(InsertSql(stagingSchema), connection);
            insert.Parameters.AddWithValue("run", runId);
            insert.Parameters.Add(new NpgsqlParameter("codes", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = SwissCantons.Codes.ToArray() });
            insert.Parameters.Add(new NpgsqlParameter("names", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = CantonNames.Names.ToArray() });
            rows = await insert.ExecuteNonQueryAsync(ct);
        }
        finally
        {
            if (connection.FullState == System.Data.ConnectionState.Open)
            {
                await using var reset = new NpgsqlCommand("RESET work_mem; RESET jit", connection);
                await reset.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }

        logger.LogInformation("Statistics of run {RunId}: {Rows} scopes in {Milliseconds:F0} ms",
            runId, rows, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return rows;
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();

    // One statement. Each measure is counted once per entity and then per scope through GROUPING SETS or a scope list,
    // so no count needs DISTINCT over the scopes' rows. The definitions are those of docs/10-history.md, "Statistics":
    // - a platform (SLOID) belongs to the operator and canton of its rows; it is matched when it has a `matched` row;
    // - an OSM element belongs to every scope one of its rows belongs to; for an operator that is the elements matched
    //   to its platforms, plus the trio middles counted as matched because a side of their trio is matched to one;
    // - an unmatched OSM element is isolated when its `unmatched` problem says so (the engine's flag: no ATLAS platform
    //   within 50 m); an unmatched platform is isolated when its row carries `no_nearby_counterpart`.
    private static string InsertSql(string s) => $$"""
        WITH stop_rows AS MATERIALIZED (
            SELECT r.id, r.sloid, r.stop_type, r.match_type, r.osm_node_id, r.distance_m, r.atlas_operator, r.canton::text AS canton,
                   r.stop_type = 'osm_unmatched' AND EXISTS (
                       SELECT 1 FROM {{s}}.problems p
                       WHERE p.stop_id = r.id AND p.problem_type = 'unmatched' AND p.evidence @> '{"isolated": true}') AS osm_isolated,
                   u.id AS unit_id, coalesce(u.group_kind, u.stop_kind)::text AS unit_kind
            FROM {{s}}.stops_matched r
            LEFT JOIN {{s}}.osm_stop_members m ON m.node_id = r.osm_node_id
            LEFT JOIN {{s}}.osm_stops u ON u.id = m.osm_stop_id
        ),
        -- From the few middles through the indexes of the staged tables, not through the whole row set.
        middle_operators AS (
            SELECT DISTINCT middle.osm_node_id, side.atlas_operator
            FROM {{s}}.stops_matched middle
            JOIN {{s}}.osm_stop_members mm ON mm.node_id = middle.osm_node_id
            JOIN {{s}}.osm_stop_members sm ON sm.osm_stop_id = mm.osm_stop_id AND sm.node_id <> mm.node_id
            JOIN {{s}}.stops_matched side ON side.osm_node_id = sm.node_id AND side.stop_type = 'matched'
            WHERE middle.stop_type = 'effectively_matched' AND side.atlas_operator IS NOT NULL
        ),
        platforms AS (
            SELECT sloid, min(atlas_operator) AS operator, min(canton) AS canton,
                   bool_or(stop_type = 'matched') AS matched,
                   bool_or(stop_type = 'atlas_unmatched') AS unmatched,
                   bool_or(stop_type = 'atlas_unmatched' AND match_type IS NOT DISTINCT FROM 'no_nearby_counterpart') AS isolated,
                   bool_or(stop_type = 'matched' AND coalesce(distance_m <= 50, false)) AS within_50m
            FROM stop_rows WHERE sloid IS NOT NULL GROUP BY sloid
        ),
        atlas_counts AS (
            SELECT CASE WHEN GROUPING(operator) = 0 THEN 'operator' WHEN GROUPING(canton) = 0 THEN 'canton' ELSE 'all' END AS kind,
                   CASE WHEN GROUPING(operator) = 0 THEN operator WHEN GROUPING(canton) = 0 THEN canton ELSE '' END AS key,
                   count(*) AS platforms,
                   count(*) FILTER (WHERE matched) AS matched,
                   count(*) FILTER (WHERE unmatched) AS unmatched,
                   count(*) FILTER (WHERE unmatched AND isolated) AS isolated,
                   count(*) FILTER (WHERE unmatched AND NOT isolated) AS nearby,
                   count(*) FILTER (WHERE within_50m) AS within_50m
            FROM platforms GROUP BY GROUPING SETS ((), (operator), (canton))
        ),
        -- An element's rows all have the same stop type (its matches, or its one unmatched or trio-middle row), so the
        -- flags of its rows inside a scope are its own.
        scoped_elements AS (
            SELECT CASE WHEN GROUPING(atlas_operator) = 0 THEN 'operator' WHEN GROUPING(canton) = 0 THEN 'canton' ELSE 'all' END AS kind,
                   CASE WHEN GROUPING(atlas_operator) = 0 THEN atlas_operator WHEN GROUPING(canton) = 0 THEN canton ELSE '' END AS key,
                   bool_or(stop_type = 'matched') AS matched,
                   bool_or(stop_type = 'effectively_matched') AS effective,
                   bool_or(stop_type = 'osm_unmatched') AS unmatched,
                   bool_or(osm_isolated) AS isolated
            FROM stop_rows WHERE osm_node_id IS NOT NULL
            GROUP BY GROUPING SETS ((osm_node_id), (osm_node_id, canton), (osm_node_id, atlas_operator))
            UNION ALL
            SELECT 'operator', atlas_operator, false, true, false, false FROM middle_operators
        ),
        osm_counts AS (
            SELECT kind, key, count(*) AS nodes,
                   count(*) FILTER (WHERE matched) AS matched,
                   count(*) FILTER (WHERE effective) AS effective,
                   count(*) FILTER (WHERE unmatched) AS unmatched,
                   count(*) FILTER (WHERE unmatched AND isolated) AS isolated,
                   count(*) FILTER (WHERE unmatched AND NOT isolated) AS nearby
            FROM scoped_elements WHERE key IS NOT NULL GROUP BY kind, key
        ),
        method_rows AS (
            SELECT CASE WHEN GROUPING(atlas_operator) = 0 THEN 'operator' WHEN GROUPING(canton) = 0 THEN 'canton' ELSE 'all' END AS kind,
                   CASE WHEN GROUPING(atlas_operator) = 0 THEN atlas_operator WHEN GROUPING(canton) = 0 THEN canton ELSE '' END AS key,
                   match_type AS method, count(*) AS n, avg(distance_m) AS mean,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY distance_m) AS median,
                   percentile_cont(0.95) WITHIN GROUP (ORDER BY distance_m) AS p95
            FROM stop_rows WHERE stop_type = 'matched'
            GROUP BY GROUPING SETS ((match_type), (atlas_operator, match_type), (canton, match_type))
            UNION ALL
            SELECT kind, key, 'effectively_matched', effective, NULL, NULL, NULL FROM osm_counts WHERE effective > 0
        ),
        methods AS (
            SELECT kind, key, jsonb_agg(jsonb_build_object(
                       'method', method, 'count', n, 'distance_mean', round(mean::numeric, 1),
                       'distance_median', round(median::numeric, 1), 'distance_p95', round(p95::numeric, 1)) ORDER BY n DESC, method) AS list
            FROM method_rows WHERE key IS NOT NULL GROUP BY kind, key
        ),
        problem_rows AS (
            SELECT CASE WHEN GROUPING(r.atlas_operator) = 0 THEN 'operator' WHEN GROUPING(r.canton) = 0 THEN 'canton' ELSE 'all' END AS kind,
                   CASE WHEN GROUPING(r.atlas_operator) = 0 THEN r.atlas_operator WHEN GROUPING(r.canton) = 0 THEN r.canton ELSE '' END AS key,
                   p.problem_type AS type, count(*) AS total,
                   count(*) FILTER (WHERE p.priority = 1) AS p1,
                   count(*) FILTER (WHERE p.priority = 2) AS p2,
                   count(*) FILTER (WHERE p.priority = 3) AS p3
            FROM stop_rows r JOIN {{s}}.problems p ON p.stop_id = r.id
            GROUP BY GROUPING SETS ((p.problem_type), (r.atlas_operator, p.problem_type), (r.canton, p.problem_type))
        ),
        problem_types AS (
            SELECT kind, key, sum(total) AS total, sum(p1) AS p1, sum(p2) AS p2, sum(p3) AS p3,
                   jsonb_agg(jsonb_build_object('type', type, 'total', total, 'p1', p1, 'p2', p2, 'p3', p3) ORDER BY total DESC, type) AS list
            FROM problem_rows WHERE key IS NOT NULL GROUP BY kind, key
        ),
        -- An operator's trio middles add no unit: their trio is already there through its matched side.
        units AS (
            SELECT kind, key, jsonb_agg(jsonb_build_object('kind', unit_kind, 'count', n) ORDER BY n DESC, unit_kind) AS list
            FROM (
                SELECT kind, key, unit_kind, count(*) AS n
                FROM (
                    SELECT CASE WHEN GROUPING(atlas_operator) = 0 THEN 'operator' WHEN GROUPING(canton) = 0 THEN 'canton' ELSE 'all' END AS kind,
                           CASE WHEN GROUPING(atlas_operator) = 0 THEN atlas_operator WHEN GROUPING(canton) = 0 THEN canton ELSE '' END AS key,
                           unit_kind
                    FROM stop_rows WHERE unit_id IS NOT NULL
                    GROUP BY GROUPING SETS ((unit_id, unit_kind), (unit_id, unit_kind, canton), (unit_id, unit_kind, atlas_operator))
                ) scoped_units WHERE key IS NOT NULL GROUP BY kind, key, unit_kind
            ) counted GROUP BY kind, key
        ),
        scopes AS (
            SELECT kind, key FROM atlas_counts WHERE key IS NOT NULL
            UNION SELECT kind, key FROM osm_counts
            UNION SELECT 'all', ''
        ),
        operator_names AS (
            SELECT DISTINCT ON (atlas_business_org_abbr) atlas_business_org_abbr AS abbr, atlas_business_org_name AS name
            FROM {{s}}.atlas_stops
            WHERE atlas_business_org_abbr IS NOT NULL AND atlas_business_org_name IS NOT NULL
            GROUP BY atlas_business_org_abbr, atlas_business_org_name
            ORDER BY atlas_business_org_abbr, count(*) DESC, atlas_business_org_name
        ),
        canton_names AS (
            SELECT code, name FROM unnest(@codes::text[], @names::text[]) AS c(code, name)
        )
        INSERT INTO publication_statistics (
            run_id, scope_kind, scope_key, scope_name, atlas_platforms, atlas_matched, atlas_effectively_matched, atlas_unmatched,
            osm_nodes, osm_matched, osm_unmatched, problems, problems_p1, problems_p2, problems_p3, details)
        SELECT @run, sc.kind, sc.key,
               CASE sc.kind WHEN 'operator' THEN o.name WHEN 'canton' THEN c.name END,
               coalesce(a.platforms, 0), coalesce(a.matched, 0), coalesce(e.effective, 0), coalesce(a.unmatched, 0),
               coalesce(e.nodes, 0), coalesce(e.matched, 0), coalesce(e.unmatched, 0),
               coalesce(pt.total, 0), coalesce(pt.p1, 0), coalesce(pt.p2, 0), coalesce(pt.p3, 0),
               jsonb_build_object(
                   'match_methods', coalesce(m.list, '[]'::jsonb),
                   'unmatched', jsonb_build_object(
                       'atlas_isolated', coalesce(a.isolated, 0), 'atlas_with_counterpart_nearby', coalesce(a.nearby, 0),
                       'osm_isolated', coalesce(e.isolated, 0), 'osm_with_counterpart_nearby', coalesce(e.nearby, 0)),
                   'problem_types', coalesce(pt.list, '[]'::jsonb),
                   'stop_units', coalesce(u.list, '[]'::jsonb),
                   'within_50m', coalesce(a.within_50m, 0))
        FROM scopes sc
        LEFT JOIN atlas_counts a ON a.kind = sc.kind AND a.key = sc.key
        LEFT JOIN osm_counts e ON e.kind = sc.kind AND e.key = sc.key
        LEFT JOIN methods m ON m.kind = sc.kind AND m.key = sc.key
        LEFT JOIN problem_types pt ON pt.kind = sc.kind AND pt.key = sc.key
        LEFT JOIN units u ON u.kind = sc.kind AND u.key = sc.key
        LEFT JOIN operator_names o ON sc.kind = 'operator' AND o.abbr = sc.key
        LEFT JOIN canton_names c ON sc.kind = 'canton' AND c.code = sc.key
        """;
}
