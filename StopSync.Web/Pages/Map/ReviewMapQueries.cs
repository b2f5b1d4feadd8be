using Npgsql;
using NpgsqlTypes;
using StopSync.Web.Pages.Map.Filters;

namespace StopSync.Web.Pages.Map;

/// <summary>
/// The review map's reads, one SQL statement each, in plain SQL on the shared data source: the rows are read straight
/// into compact records, without change tracking or an entity per row (docs/05-api.md, "Performance").
/// </summary>
public sealed class ReviewMapQueries(NpgsqlDataSource dataSource, StopUnitPartners partners)
{
    /// <summary>Rows of one page, ranked as the map draws them: unmatched first, so that caps keep the rows to review.</summary>
    private const string RankedColumns = """
        s.id, s.sloid, s.stop_type, s.match_type, s.osm_node_id, s.atlas_lat, s.atlas_lon, s.osm_lat, s.osm_lon, s.distance_m,
        ST_Y(s.geom) AS lat, ST_X(s.geom) AS lon, s.has_atlas_duplicate, s.osm_node_type, s.problem_priority, s.osm_group_kind,
        CASE s.stop_type WHEN 'atlas_unmatched' THEN 0 WHEN 'osm_unmatched' THEN 1 WHEN 'effectively_matched' THEN 2 ELSE 3 END AS rank
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
            SELECT page.*, NULL::text AS name FROM page
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
            SELECT page.*,
                   COALESCE((SELECT a.atlas_designation_official FROM atlas_stops a WHERE a.sloid = page.sloid),
                            (SELECT o.name FROM osm_nodes o WHERE o.osm_node_id = page.osm_node_id)) AS name
            FROM page
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
            SELECT page.*, NULL::text AS name FROM page
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
    public Task<Guid?> PublishedRunIdAsync(CancellationToken ct) => PublishedRun.IdAsync(dataSource, ct);

    private async Task<List<MapRow>> ReadRowsAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var units = await partners.CurrentAsync(ct);
        var rows = new List<MapRow>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(ReadRow(reader, units));
        }

        return rows;
    }

    // Columns: those of RankedColumns (rank at 16), then name.
    private static MapRow ReadRow(NpgsqlDataReader r, IReadOnlyDictionary<string, UnitMembership> units)
    {
        var osmNodeId = r.IsDBNull(4) ? null : r.GetString(4);
        var groupKind = r.IsDBNull(15) ? null : r.GetString(15);
        GroupPartner? partner = null;
        List<TrioLink>? links = null;
        bool? middleMatched = null;
        if (groupKind is not null && osmNodeId is not null && units.TryGetValue(osmNodeId, out var unit))
        {
            var role = unit.Role;
            if (role is "trio_middle" or "trio_side")
            {
                middleMatched = unit.MiddleMatched;
                links = [];
                for (var i = 0; i < unit.PartnerIds.Length; i++)
                {
                    // Only middle-to-side links: the two sides of a trio are not drawn as connected.
                    if (role == "trio_middle" || unit.PartnerRoles[i] == "trio_middle")
                    {
                        links.Add(new TrioLink(unit.PartnerIds[i], Round(unit.PartnerLats[i]), Round(unit.PartnerLons[i]),
                            role == "trio_middle", unit.PartnerRoles[i] == "trio_middle"));
                    }
                }
            }
            else if (unit.PartnerIds.Length > 0)
            {
                partner = new GroupPartner(unit.PartnerIds[0], groupKind, Round(unit.PartnerLats[0]), Round(unit.PartnerLons[0]));
            }
        }

        return new MapRow
        {
            Id = r.GetInt64(0),
            Sloid = r.IsDBNull(1) ? null : r.GetString(1),
            StopType = r.GetString(2),
            MatchType = r.IsDBNull(3) ? null : r.GetString(3),
            OsmNodeId = osmNodeId,
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
            Name = r.IsDBNull(17) ? null : r.GetString(17),
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
