using Npgsql;
using NpgsqlTypes;
using StopSync.Web.Pages.Map.Filters;

namespace StopSync.Web.Pages.Map;

/// <summary>
/// The review map's reads, one SQL statement each, in plain SQL on the shared data source: the rows are read straight
/// into compact records, without change tracking or an entity per row (docs/05-api.md, "Performance").
/// </summary>
public sealed class ReviewMapQueries(NpgsqlDataSource dataSource)
{
    /// <summary>Rows of one page, ranked as the map draws them: unmatched first, so that caps keep the rows to review.</summary>
    private const string RankedColumns = """
        s.id, s.sloid, s.stop_type, s.match_type, s.osm_node_id, s.atlas_lat, s.atlas_lon, s.osm_lat, s.osm_lon, s.distance_m,
        ST_Y(s.geom) AS lat, ST_X(s.geom) AS lon, s.has_atlas_duplicate, s.osm_node_type, s.problem_priority, s.osm_group_kind,
        CASE s.stop_type WHEN 'atlas_unmatched' THEN 0 WHEN 'osm_unmatched' THEN 1 WHEN 'effectively_matched' THEN 2 ELSE 3 END AS rank
        """;

    // Partner positions of pair and trio members, looked up only for the rows of the page that are in a group.
    private static string WithPartners(string nameColumn) => $"""
        SELECT page.id, page.sloid, page.stop_type, page.match_type, page.osm_node_id, page.atlas_lat, page.atlas_lon,
               page.osm_lat, page.osm_lon, page.distance_m, page.lat, page.lon, page.has_atlas_duplicate, page.osm_node_type,
               page.problem_priority, page.osm_group_kind,
               g.member_role, g.partner_ids, g.partner_roles, g.partner_lats, g.partner_lons, g.middle_matched, {nameColumn}
        FROM page
        LEFT JOIN LATERAL (
            SELECT me.member_role,
                   array_agg(pm.node_id ORDER BY pm.node_id) AS partner_ids,
                   array_agg(pm.member_role ORDER BY pm.node_id) AS partner_roles,
                   array_agg(n.lat ORDER BY pm.node_id) AS partner_lats,
                   array_agg(n.lon ORDER BY pm.node_id) AS partner_lons,
                   EXISTS (SELECT 1 FROM osm_stop_members mm JOIN stops_matched x ON x.osm_node_id = mm.node_id
                           WHERE mm.osm_stop_id = me.osm_stop_id AND mm.member_role = 'trio_middle' AND x.stop_type = 'matched') AS middle_matched
            FROM osm_stop_members me
            JOIN osm_stop_members pm ON pm.osm_stop_id = me.osm_stop_id AND pm.node_id <> me.node_id
            JOIN osm_nodes n ON n.osm_node_id = pm.node_id
            WHERE page.osm_group_kind IS NOT NULL AND me.node_id = page.osm_node_id
            GROUP BY me.osm_stop_id, me.member_role) g ON TRUE
        """;

    public async Task<(IReadOnlyList<MapRow> Rows, bool HasMore)> InBoxAsync(
        BoundingBox box, StopFilter filter, int take, int offset, CancellationToken ct)
    {
        var where = StopFilterSql.For(filter);
        var sql = $"""
            WITH page AS (
                SELECT {RankedColumns}
                FROM stops_matched s
                WHERE s.geom && ST_MakeEnvelope(@min_lon, @min_lat, @max_lon, @max_lat, 4326) AND {where.Where}
                ORDER BY rank, s.id
                LIMIT @take OFFSET @offset)
            {WithPartners("NULL::text AS name")}
            ORDER BY page.rank, page.id
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddRange(where.CloneParameters().ToArray());
        command.Parameters.Add(new NpgsqlParameter("min_lon", box.MinLon));
        command.Parameters.Add(new NpgsqlParameter("min_lat", box.MinLat));
        command.Parameters.Add(new NpgsqlParameter("max_lon", box.MaxLon));
        command.Parameters.Add(new NpgsqlParameter("max_lat", box.MaxLat));
        // One extra row says whether there are more.
        command.Parameters.Add(new NpgsqlParameter("take", NpgsqlDbType.Integer) { Value = take + 1 });
        command.Parameters.Add(new NpgsqlParameter("offset", NpgsqlDbType.Integer) { Value = offset });
        var rows = await ReadRowsAsync(command, ct);
        return rows.Count > take ? (rows.GetRange(0, take), true) : (rows, false);
    }

    public async Task<IReadOnlyList<MapRow>> TopMatchesAsync(StopFilter filter, int limit, CancellationToken ct)
    {
        var where = StopFilterSql.For(filter);
        var sql = $"""
            WITH page AS (
                SELECT {RankedColumns}
                FROM stops_matched s
                WHERE s.stop_type = 'matched' AND s.distance_m IS NOT NULL AND {where.Where}
                ORDER BY s.distance_m DESC, s.id
                LIMIT @limit)
            {WithPartners("COALESCE((SELECT a.atlas_designation_official FROM atlas_stops a WHERE a.sloid = page.sloid), " +
                "(SELECT o.name FROM osm_nodes o WHERE o.osm_node_id = page.osm_node_id)) AS name")}
            ORDER BY page.distance_m DESC, page.id
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddRange(where.CloneParameters().ToArray());
        command.Parameters.Add(new NpgsqlParameter("limit", NpgsqlDbType.Integer) { Value = limit });
        return await ReadRowsAsync(command, ct);
    }

    /// <summary>
    /// A random row among those the filter keeps. With top_n a uniform pick among those N rows; otherwise the first
    /// kept row at or after a random id (ids are dense after a publication, so nearly uniform), else the first kept row.
    /// </summary>
    public async Task<MapRow?> RandomAsync(StopFilter filter, CancellationToken ct)
    {
        var where = StopFilterSql.For(filter);
        var pick = filter.TopN is null
            ? $"""
                (SELECT {RankedColumns} FROM stops_matched s
                 WHERE {where.Where} AND s.id >= (SELECT min(id) + floor(random() * (max(id) - min(id) + 1))::bigint FROM stops_matched)
                 ORDER BY s.id LIMIT 1)
                UNION ALL
                (SELECT {RankedColumns} FROM stops_matched s WHERE {where.Where} ORDER BY s.id LIMIT 1)
                LIMIT 1
                """
            : $"SELECT {RankedColumns} FROM stops_matched s WHERE {where.Where} ORDER BY random() LIMIT 1";
        var sql = $"""
            WITH page AS ({pick})
            {WithPartners("NULL::text AS name")}
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddRange(where.CloneParameters().ToArray());
        var rows = await ReadRowsAsync(command, ct);
        return rows.Count > 0 ? rows[0] : null;
    }

    public async Task<GlobalStats> GlobalStatsAsync(StopFilter filter, CancellationToken ct)
    {
        var where = StopFilterSql.For(filter);
        // Stop units are counted through their members: a unit is matched when any of its members is.
        var sql = $"""
            WITH f AS MATERIALIZED (
                SELECT s.sloid, s.stop_type, s.osm_node_id, s.stop_type IN ('matched', 'effectively_matched') AS is_matched
                FROM stops_matched s WHERE {where.Where}),
            units AS (
                SELECT m.osm_stop_id, bool_or(f.is_matched) AS is_matched
                FROM f JOIN osm_stop_members m ON m.node_id = f.osm_node_id
                GROUP BY m.osm_stop_id)
            SELECT (SELECT count(DISTINCT sloid) FROM f),
                   (SELECT count(DISTINCT sloid) FROM f WHERE is_matched),
                   (SELECT count(*) FROM units),
                   (SELECT count(*) FROM units WHERE is_matched),
                   (SELECT count(DISTINCT osm_node_id) FROM f),
                   (SELECT count(*) FROM f WHERE is_matched),
                   (SELECT count(DISTINCT sloid) FROM f WHERE stop_type = 'atlas_unmatched')
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddRange(where.CloneParameters().ToArray());
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var totalUnits = reader.GetInt64(2);
        var matchedUnits = reader.GetInt64(3);
        var matchedRows = reader.GetInt64(5);
        return new GlobalStats(
            TotalAtlasStops: reader.GetInt64(0), MatchedAtlasStops: reader.GetInt64(1), TotalOsmStops: totalUnits,
            MatchedOsmStops: matchedUnits, TotalOsmNodes: reader.GetInt64(4), MatchedOsmNodes: matchedRows,
            MatchedPairsCount: matchedRows, UnmatchedEntitiesCount: reader.GetInt64(6) + totalUnits - matchedUnits);
    }

    public async Task<IReadOnlyList<string>> OperatorsAsync(OperatorSide side, CancellationToken ct)
    {
        var column = side == OperatorSide.Atlas ? "atlas_operator" : "osm_operator";
        await using var command = dataSource.CreateCommand(
            $"SELECT DISTINCT {column} FROM stops_matched WHERE {column} IS NOT NULL AND btrim({column}) <> ''");
        var operators = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            operators.Add(reader.GetString(0));
        }

        // Ordinal, case-insensitive first: a stable order that does not depend on the database's collation.
        operators.Sort((a, b) => StringComparer.OrdinalIgnoreCase.Compare(a, b) is var c and not 0 ? c : string.CompareOrdinal(a, b));
        return operators;
    }

    /// <summary>The run whose dataset is live; null before the first publication.</summary>
    public async Task<Guid?> PublishedRunIdAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT run_id FROM dataset_publication LIMIT 1");
        return await command.ExecuteScalarAsync(ct) is Guid id ? id : null;
    }

    private static async Task<List<MapRow>> ReadRowsAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var rows = new List<MapRow>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(ReadRow(reader));
        }

        return rows;
    }

    private static MapRow ReadRow(NpgsqlDataReader r)
    {
        var groupKind = r.IsDBNull(15) ? null : r.GetString(15);
        GroupPartner? partner = null;
        List<TrioLink>? links = null;
        bool? middleMatched = null;
        if (groupKind is not null && !r.IsDBNull(16))
        {
            var role = r.GetString(16);
            var ids = r.GetFieldValue<string[]>(17);
            var roles = r.GetFieldValue<string[]>(18);
            var lats = r.GetFieldValue<double[]>(19);
            var lons = r.GetFieldValue<double[]>(20);
            if (role is "trio_middle" or "trio_side")
            {
                middleMatched = r.GetBoolean(21);
                links = [];
                for (var i = 0; i < ids.Length; i++)
                {
                    // Only middle-to-side links: the two sides of a trio are not drawn as connected.
                    if (role == "trio_middle" || roles[i] == "trio_middle")
                    {
                        links.Add(new TrioLink(ids[i], Round(lats[i]), Round(lons[i]), role == "trio_middle", roles[i] == "trio_middle"));
                    }
                }
            }
            else if (ids.Length > 0)
            {
                partner = new GroupPartner(ids[0], groupKind, Round(lats[0]), Round(lons[0]));
            }
        }

        return new MapRow
        {
            Id = r.GetInt64(0),
            Sloid = r.IsDBNull(1) ? null : r.GetString(1),
            StopType = r.GetString(2),
            MatchType = r.IsDBNull(3) ? null : r.GetString(3),
            OsmNodeId = r.IsDBNull(4) ? null : r.GetString(4),
            AtlasLat = RoundOrNull(r, 5),
            AtlasLon = RoundOrNull(r, 6),
            OsmLat = RoundOrNull(r, 7),
            OsmLon = RoundOrNull(r, 8),
            DistanceM = r.IsDBNull(9) ? null : Math.Round(r.GetDouble(9), 2),
            Lat = Round(r.GetDouble(10)),
            Lon = Round(r.GetDouble(11)),
            HasAtlasDuplicate = r.GetBoolean(12),
            OsmNodeType = r.IsDBNull(13) ? null : r.GetString(13),
            ProblemPriority = r.IsDBNull(14) ? null : r.GetInt16(14),
            OsmGroupPartner = partner,
            OsmTrioLinks = links,
            IsTrioMiddleMatched = middleMatched,
            Name = r.IsDBNull(22) ? null : r.GetString(22),
        };
    }

    private static double Round(double value) => Math.Round(value, 6);

    private static double? RoundOrNull(NpgsqlDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : Round(r.GetDouble(ordinal));
}

public enum OperatorSide
{
    Atlas,
    Osm,
}
