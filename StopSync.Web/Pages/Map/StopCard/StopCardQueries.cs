using System.Text.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using StopSync.Web.Pages.Data.Changes;

namespace StopSync.Web.Pages.Map.StopCard;

/// <summary>
/// Reads the stop card and the stop-by-id lookups from the published tables. The card is one batch of six statements on
/// indexed keys: one round trip to PostgreSQL.
/// </summary>
public sealed class StopCardQueries(NpgsqlDataSource dataSource, IOptions<MapOptions> options)
{
    /// <summary>A main station is called at by hundreds of lines; the card lists at most this many per side.</summary>
    public const int MaxLines = 30;

    /// <summary>A stop rarely changes in more than a handful of ways at once; the card lists at most this many.</summary>
    public const int MaxChanges = 20;

    /// <summary>An ATLAS platform can be linked to every OSM element of its UIC and the other way round; the card lists at most this many.</summary>
    public const int MaxRelatedMatches = 200;

    // Matched rows first, then the trio middles that need nothing, then the unmatched ones.
    private const string RelevanceOrder = "CASE s.stop_type WHEN 'matched' THEN 0 WHEN 'effectively_matched' THEN 1 ELSE 2 END";

    private const string MarkerColumns =
        """
        s.id, s.sloid, s.stop_type, s.match_type, s.osm_node_id, ST_Y(s.geom) AS lat, ST_X(s.geom) AS lon, s.atlas_lat, s.atlas_lon,
        s.osm_lat, s.osm_lon, s.distance_m, s.has_atlas_duplicate, s.osm_node_type, s.problem_priority
        """;

    private const string RowSql =
        """
        SELECT s.id, s.sloid, s.stop_type, s.match_type, s.osm_node_id, s.distance_m, s.canton,
               a.sloid AS a_sloid, a.uic_ref AS a_uic_ref, a.atlas_designation, a.atlas_designation_official, a.atlas_designation_operational,
               a.atlas_business_org_abbr, a.atlas_business_org_name, a.atlas_business_org_sboid, a.parent_service_point_sloid,
               a.element_type AS a_element_type, a.valid_from, a.valid_to, a.compass_direction, a.lv95_east, a.lv95_north,
               a.lat AS a_lat, a.lon AS a_lon, a.edition_date, a.canton AS a_canton, a.representative_sloid,
               a.duplicate_group_sloids::text AS duplicate_group_sloids,
               o.osm_node_id AS o_id, o.element_type AS o_element_type, o.name, o.uic_name, o.uic_ref AS o_uic_ref, o.local_ref,
               o.network, o.operator, o.tags->>'operator' AS operator_tag, o.tags->>'operator:wikidata' AS operator_wikidata,
               o.tags->>'network:wikidata' AS network_wikidata, o.osm_node_type AS o_node_type, o.lat AS o_lat, o.lon AS o_lon,
               o.version, o.timestamp, o.osm_user, o.canton AS o_canton, o.tags::text AS tags,
               st.stop_kind, st.group_kind, m.member_role
        FROM stops_matched s
        LEFT JOIN atlas_stops a ON a.sloid = s.sloid
        LEFT JOIN osm_nodes o ON o.osm_node_id = s.osm_node_id
        LEFT JOIN osm_stop_members m ON m.node_id = s.osm_node_id
        LEFT JOIN osm_stops st ON st.id = m.osm_stop_id
        WHERE s.id = $1
        """;

    private const string ProblemsSql = "SELECT problem_type, priority, evidence::text FROM problems WHERE stop_id = $1 ORDER BY priority, problem_type";

    private static readonly string AtlasLinesSql = LinesSql("atlas", "c.sloid = (SELECT sloid FROM stops_matched WHERE id = $1)");

    private static readonly string OsmLinesSql = LinesSql("osm", "c.osm_node_id = (SELECT osm_node_id FROM stops_matched WHERE id = $1)");

    // The families whose itineraries call at the stop (stop_calls by sloid or osm_node_id, both indexed), one row per
    // family with its directions, its matched counterpart and the number of all such families.
    private static string LinesSql(string source, string stopCondition)
    {
        var (own, other) = source == "atlas" ? ("atlas", "osm") : ("osm", "atlas");
        return $"""
            WITH directions AS (
                SELECT i.line_family_id, i.direction_id, coalesce(i.headsign, i.to_name) AS headsign,
                       bool_or(i.matched_itinerary_id IS NOT NULL) AS matched
                FROM stop_calls c JOIN itineraries i ON i.id = c.itinerary_id
                WHERE {stopCondition} AND i.source = '{source}'
                GROUP BY 1, 2, 3),
            families AS (
                SELECT line_family_id,
                       array_agg(direction_id ORDER BY direction_id NULLS LAST, headsign NULLS LAST) AS direction_ids,
                       array_agg(headsign ORDER BY direction_id NULLS LAST, headsign NULLS LAST) AS headsigns,
                       array_agg(matched ORDER BY direction_id NULLS LAST, headsign NULLS LAST) AS matched
                FROM directions GROUP BY line_family_id)
            SELECT f.id, f.source_family_id, f.display_route_id, f.ref, f.mode, f.public_name, f.operator, f.is_non_gtfs,
                   d.direction_ids, d.headsigns, d.matched,
                   m.id, m.source_family_id, m.display_route_id, m.ref, m.public_name, lfm.match_method,
                   count(*) OVER ()::int AS total
            FROM families d
            JOIN line_families f ON f.id = d.line_family_id
            LEFT JOIN line_families m ON m.id = f.matched_family_id
            LEFT JOIN line_family_matches lfm ON lfm.{own}_line_family_id = f.id AND lfm.{other}_line_family_id = m.id
            ORDER BY f.mode, length(coalesce(f.ref, f.display_route_id)), coalesce(f.ref, f.display_route_id), f.id
            LIMIT {MaxLines}
            """;
    }

    private static readonly string OsmMatchesSql =
        $"""
        SELECT s.id, s.osm_node_id, o.name, o.osm_node_type, s.distance_m, s.match_type, s.osm_lat, s.osm_lon
        FROM stops_matched s LEFT JOIN osm_nodes o ON o.osm_node_id = s.osm_node_id
        WHERE s.sloid = (SELECT sloid FROM stops_matched WHERE id = $1) AND s.osm_node_id IS NOT NULL
        ORDER BY s.distance_m NULLS LAST, s.id
        LIMIT {MaxRelatedMatches}
        """;

    private static readonly string AtlasMatchesSql =
        $"""
        SELECT s.id, s.sloid, a.atlas_designation_official, a.atlas_designation, a.uic_ref, a.atlas_business_org_abbr,
               s.distance_m, s.match_type, s.atlas_lat, s.atlas_lon
        FROM stops_matched s LEFT JOIN atlas_stops a ON a.sloid = s.sloid
        WHERE s.osm_node_id = (SELECT osm_node_id FROM stops_matched WHERE id = $1) AND s.sloid IS NOT NULL
        ORDER BY s.distance_m NULLS LAST, s.id
        LIMIT {MaxRelatedMatches}
        """;

    private const string MembersSql =
        """
        SELECT other.node_id, other.member_role, o.name, o.lat, o.lon
        FROM osm_stop_members own
        JOIN osm_stop_members other ON other.osm_stop_id = own.osm_stop_id
        JOIN osm_nodes o ON o.osm_node_id = other.node_id
        WHERE own.node_id = (SELECT osm_node_id FROM stops_matched WHERE id = $1)
        ORDER BY CASE other.member_role WHEN 'pair_a' THEN 0 WHEN 'pair_b' THEN 1 WHEN 'trio_middle' THEN 2 ELSE 3 END, other.node_id
        """;

    // The figures the unmatched and duplicates problems are decided on, each through an index on uic_ref.
    private const string CountsSql =
        """
        WITH r AS (
            SELECT a.uic_ref AS atlas_uic, o.uic_ref AS osm_uic, o.local_ref AS osm_local_ref, o.osm_node_id
            FROM stops_matched s
            LEFT JOIN atlas_stops a ON a.sloid = s.sloid
            LEFT JOIN osm_nodes o ON o.osm_node_id = s.osm_node_id
            WHERE s.id = $1)
        SELECT (SELECT count(*) FROM osm_nodes n, r WHERE n.uic_ref = r.atlas_uic),
               (SELECT count(*) FROM atlas_stops x, r WHERE x.uic_ref = r.atlas_uic),
               (SELECT count(*) FROM atlas_stops x, r WHERE x.uic_ref = r.osm_uic),
               (SELECT count(*) FROM osm_nodes n, r WHERE n.uic_ref = r.osm_uic),
               (SELECT count(*) FROM osm_nodes n, r WHERE n.uic_ref = r.osm_uic AND lower(n.local_ref) = lower(r.osm_local_ref))
        """;

    public async Task<StopCardView?> StopCardAsync(long id, string? viewType, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var sql in (string[])[RowSql, ProblemsSql, OsmMatchesSql, AtlasMatchesSql, MembersSql, CountsSql, AtlasLinesSql, OsmLinesSql])
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.Add(new NpgsqlParameter { Value = id });
            batch.BatchCommands.Add(command);
        }

        batch.BatchCommands.Add(ChangesQueries.StopChangesCommand(id, MaxChanges));

        await using var reader = await batch.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        var row = ReadRow(reader);
        await reader.NextResultAsync(ct);
        var problems = new List<(string Type, int Priority, string? Evidence)>();
        while (await reader.ReadAsync(ct))
        {
            problems.Add((reader.GetString(0), reader.GetInt32(1), Text(reader, 2)));
        }

        await reader.NextResultAsync(ct);
        var osmMatches = new List<OsmMatchView>();
        while (await reader.ReadAsync(ct))
        {
            osmMatches.Add(new OsmMatchView(reader.GetInt64(0), reader.GetString(1), Text(reader, 2), Text(reader, 3), Double(reader, 4),
                Text(reader, 5), Double(reader, 6), Double(reader, 7)));
        }

        await reader.NextResultAsync(ct);
        var atlasMatches = new List<AtlasMatchView>();
        while (await reader.ReadAsync(ct))
        {
            atlasMatches.Add(new AtlasMatchView(reader.GetInt64(0), reader.GetString(1), Text(reader, 2), Text(reader, 3), Text(reader, 4),
                Text(reader, 5), Double(reader, 6), Text(reader, 7), Double(reader, 8), Double(reader, 9)));
        }

        await reader.NextResultAsync(ct);
        var members = new List<StopUnitMemberView>();
        while (await reader.ReadAsync(ct))
        {
            members.Add(new StopUnitMemberView(reader.GetString(0), reader.GetString(1), Text(reader, 2), reader.GetDouble(3), reader.GetDouble(4)));
        }

        await reader.NextResultAsync(ct);
        await reader.ReadAsync(ct);
        var counts = Enumerable.Range(0, 5).Select(reader.GetInt64).ToArray();

        await reader.NextResultAsync(ct);
        var atlasLines = await ReadLinesAsync(reader, ct);
        await reader.NextResultAsync(ct);
        var osmLines = await ReadLinesAsync(reader, ct);
        await reader.NextResultAsync(ct);
        var changes = await ChangesQueries.ReadRowsAsync(reader, ct);

        var facts = new StopFacts(
            row.StopType, row.MatchType, row.DistanceM,
            row.Atlas is not null, row.Atlas?.UicRef, row.Atlas?.Designation, row.Atlas?.DesignationOfficial, row.Atlas?.BusinessOrgAbbr,
            row.Atlas?.RepresentativeSloid, row.Atlas?.DuplicateGroupSloids ?? [],
            row.Osm is not null, row.Osm?.OsmNodeId, row.Osm?.UicRef, row.Osm?.UicName, row.Osm?.Name, row.Osm?.LocalRef,
            row.NormalisedOsmOperator, row.Osm?.Operator, row.Osm?.OsmNodeType, row.Osm?.StopUnit?.GroupKind, row.MemberRole,
            [.. members.Where(m => m.NodeId != row.Osm?.OsmNodeId).Select(m => m.NodeId)],
            osmMatches.Count(m => m.MatchType == "exact"), atlasMatches.Count(m => m.MatchType == "exact"), counts[0], counts[1], counts[2], counts[3], counts[4]);
        var osm = row.Osm is null ? null : row.Osm with
        {
            StopUnit = row.Osm.StopUnit is null ? null : row.Osm.StopUnit with { Members = members },
        };
        return new StopCardView(
            row.Id, row.StopType, row.MatchType, StopCardText.ExplainMatch(facts), row.DistanceM, row.Canton,
            viewType ?? (row.Atlas is not null ? "atlas" : "osm"),
            row.Atlas, osm, osmMatches, atlasMatches,
            [.. problems.Select(p => new StopProblemView(p.Type, p.Priority, Describe(p.Type, p.Priority, p.Evidence, facts)))],
            StopCardText.Attributes(facts), StopCardText.MissingOsmTags(facts), new StopLines(atlasLines, osmLines),
            [.. changes.Select(c => new StopChangeView(c.ChangeType, c.Cause, c.Description, c.Sloid, c.OsmNodeId))],
            changes.Count == 0 ? null : ChangesUrl(row.Atlas?.BusinessOrgAbbr ?? changes.FirstOrDefault(c => c.AtlasOperator is not null)?.AtlasOperator,
                row.Canton ?? changes.FirstOrDefault(c => c.Canton is not null)?.Canton));
    }

    // The stop's operator narrows the changes page most; a stop without one (OSM only) goes by its canton.
    private static string ChangesUrl(string? atlasOperator, string? canton) =>
        atlasOperator is { Length: > 0 } op ? "/data/changes?atlas_operator=" + Uri.EscapeDataString(op)
        : canton is { Length: > 0 } c ? "/data/changes?canton=" + Uri.EscapeDataString(c)
        : "/data/changes";

    // Route problems are told from their evidence (which line, which kind), the way the problems page tells them.
    private static string Describe(string type, int priority, string? evidence, StopFacts facts)
    {
        if (!Problems.ProblemTypes.IsRoute(type))
        {
            return StopCardText.DescribeProblem(type, priority, facts);
        }

        using var json = evidence is null ? null : JsonDocument.Parse(evidence);
        return Problems.ProblemDescriptions.Describe(type, json?.RootElement.Clone(), facts.DistanceM) + ".";
    }

    private static async Task<LineSide> ReadLinesAsync(NpgsqlDataReader r, CancellationToken ct)
    {
        var lines = new List<LineView>();
        var total = 0;
        while (await r.ReadAsync(ct))
        {
            total = r.GetInt32(17);
            var ids = r.GetFieldValue<string?[]>(8);
            var headsigns = r.GetFieldValue<string?[]>(9);
            var matched = r.GetFieldValue<bool[]>(10);
            var directions = ids.Select((id, k) => new LineDirection(id, headsigns[k], matched[k])).ToList();
            var counterpart = r.IsDBNull(11)
                ? null
                : new LineCounterpart(r.GetInt64(11), r.GetString(12), r.GetString(13), Text(r, 14), Text(r, 15), Text(r, 16));
            lines.Add(new LineView(
                r.GetInt64(0), r.GetString(1), r.GetString(2), Text(r, 3), r.GetString(4), Text(r, 5), Text(r, 6), r.GetBoolean(7),
                directions, counterpart));
        }

        return new LineSide(lines, total);
    }

    private CardRow ReadRow(NpgsqlDataReader r)
    {
        AtlasCard? atlas = null;
        if (Text(r, "a_sloid") is { } sloid)
        {
            var uic = Text(r, "a_uic_ref");
            var group = Text(r, "duplicate_group_sloids") is { } json ? JsonSerializer.Deserialize<List<string>>(json) ?? [] : [];
            atlas = new AtlasCard(
                sloid, uic, Text(r, "atlas_designation"), Text(r, "atlas_designation_official"), Text(r, "atlas_designation_operational"),
                Text(r, "atlas_business_org_abbr"), Text(r, "atlas_business_org_name"), Text(r, "atlas_business_org_sboid"),
                Text(r, "parent_service_point_sloid"), Text(r, "a_element_type"), Value<DateOnly>(r, "valid_from"), Value<DateOnly>(r, "valid_to"),
                Value<double>(r, "compass_direction"), Value<double>(r, "lv95_east"), Value<double>(r, "lv95_north"),
                r.GetDouble(r.GetOrdinal("a_lat")), r.GetDouble(r.GetOrdinal("a_lon")), Value<DateTime>(r, "edition_date"), Text(r, "a_canton"),
                Text(r, "representative_sloid"), group, AtlasUrl(uic));
        }

        OsmCard? osm = null;
        if (Text(r, "o_id") is { } osmId)
        {
            var elementType = Text(r, "o_element_type") ?? OsmElementId.Node;
            // Published ids are always node or way ids; an unexpected one still shows, without a number or link target.
            var parsed = OsmElementId.TryParse(osmId, out var id) ? id : new OsmElementId(elementType, 0);
            var tags = JsonSerializer.Deserialize<SortedDictionary<string, string>>(Text(r, "tags") ?? "{}") ?? [];
            var unit = Text(r, "stop_kind") is { } kind ? new StopUnitView(kind, Text(r, "group_kind"), []) : null;
            osm = new OsmCard(
                osmId, elementType, parsed.Id, Text(r, "name"), Text(r, "uic_name"), Text(r, "o_uic_ref"), Text(r, "local_ref"),
                Text(r, "network"), Text(r, "operator_tag"), Text(r, "operator_wikidata"), Text(r, "network_wikidata"), Text(r, "o_node_type"),
                r.GetDouble(r.GetOrdinal("o_lat")), r.GetDouble(r.GetOrdinal("o_lon")), Value<int>(r, "version"),
                Value<DateTimeOffset>(r, "timestamp"), Text(r, "osm_user"), Text(r, "o_canton"), tags, parsed.Url, unit);
        }

        return new CardRow(
            r.GetInt64(r.GetOrdinal("id")), r.GetString(r.GetOrdinal("stop_type")), Text(r, "match_type"), Value<double>(r, "distance_m"),
            Text(r, "canton"), atlas, osm, Text(r, "operator"), Text(r, "member_role"));
    }

    private string? AtlasUrl(string? uic) =>
        string.IsNullOrWhiteSpace(uic) || string.IsNullOrWhiteSpace(options.Value.AtlasUrlTemplate)
            ? null
            : options.Value.AtlasUrlTemplate.Replace("{uic_ref}", Uri.EscapeDataString(uic.Trim()), StringComparison.Ordinal);

    /// <summary>The most relevant row of an ATLAS platform: a match (the nearest first) before the unmatched row.</summary>
    public Task<StopMarkerRow?> BySloidAsync(string sloid, CancellationToken ct) => FirstAsync(
        $"SELECT {MarkerColumns} FROM stops_matched s WHERE s.sloid = $1 ORDER BY {RelevanceOrder}, s.distance_m NULLS LAST, s.id LIMIT 1",
        sloid, ct);

    /// <summary>The most relevant row of an OSM element (node id or <c>way_N</c>).</summary>
    public Task<StopMarkerRow?> ByOsmIdAsync(string osmNodeId, CancellationToken ct) => FirstAsync(
        $"SELECT {MarkerColumns} FROM stops_matched s WHERE s.osm_node_id = $1 ORDER BY {RelevanceOrder}, s.distance_m NULLS LAST, s.id LIMIT 1",
        osmNodeId, ct);

    /// <summary>
    /// A UIC station's first platform: matched rows first, then by SLOID. A UIC that only OSM carries still finds the
    /// element's row.
    /// </summary>
    public Task<StopMarkerRow?> ByUicAsync(string uic, CancellationToken ct) => FirstAsync(
        $"""
        SELECT * FROM (
            SELECT {MarkerColumns}, {RelevanceOrder} AS relevance
            FROM stops_matched s JOIN atlas_stops a ON a.sloid = s.sloid WHERE a.uic_ref = $1
            UNION ALL
            SELECT {MarkerColumns}, {RelevanceOrder} AS relevance
            FROM stops_matched s JOIN osm_nodes o ON o.osm_node_id = s.osm_node_id WHERE o.uic_ref = $1 AND s.sloid IS NULL) s
        ORDER BY s.relevance, s.sloid NULLS LAST, s.distance_m NULLS LAST, s.id
        LIMIT 1
        """, uic, ct);

    /// <summary>
    /// A line's stops (docs/05-api.md, "Stop by id"): the box around all its calls and the row to open, the first call of
    /// its longest ATLAS itinerary that has a published row (else the first OSM call that has one). HasLines is false
    /// when the publication has no line at all (a dataset published without routes).
    /// </summary>
    public async Task<(bool HasLines, StopMarkerRow? Row, string ViewType, RouteBounds? Bounds)> ByRouteAsync(Filters.RouteFilter route, CancellationToken ct)
    {
        var itineraries = Filters.RouteFilter.ItinerariesSql("$1", "$2", route.Direction is null ? null : "$3");
        var sql = $"""
            WITH calls AS MATERIALIZED (
                SELECT c.sloid, c.osm_node_id, c.lat, c.lon, i.source, i.stop_count, i.id AS itinerary_id, c.stop_sequence
                FROM stop_calls c JOIN itineraries i ON i.id = c.itinerary_id
                WHERE c.itinerary_id IN ({itineraries}))
            SELECT EXISTS (SELECT 1 FROM line_families), min(lat), min(lon), max(lat), max(lon),
                   (SELECT k.sloid FROM calls k WHERE k.sloid IS NOT NULL AND EXISTS (SELECT 1 FROM stops_matched s WHERE s.sloid = k.sloid)
                    ORDER BY k.source = 'atlas' DESC, k.stop_count DESC, k.itinerary_id, k.stop_sequence LIMIT 1),
                   (SELECT k.osm_node_id FROM calls k WHERE k.osm_node_id IS NOT NULL AND EXISTS (SELECT 1 FROM stops_matched s WHERE s.osm_node_id = k.osm_node_id)
                    ORDER BY k.stop_count DESC, k.itinerary_id, k.stop_sequence LIMIT 1)
            FROM calls
            """;
        bool hasLines;
        RouteBounds? bounds = null;
        string? sloid;
        string? osmId;
        await using (var command = dataSource.CreateCommand(sql))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = route.RouteId });
            command.Parameters.Add(new NpgsqlParameter { Value = route.NormalizedId });
            if (route.Direction is not null)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = route.Direction });
            }

            await using var r = await command.ExecuteReaderAsync(ct);
            await r.ReadAsync(ct);
            hasLines = r.GetBoolean(0);
            if (!r.IsDBNull(1))
            {
                bounds = new RouteBounds(r.GetDouble(1), r.GetDouble(2), r.GetDouble(3), r.GetDouble(4));
            }

            sloid = Text(r, 5);
            osmId = Text(r, 6);
        }

        if (sloid is not null)
        {
            return (hasLines, await BySloidAsync(sloid, ct), "atlas", bounds);
        }

        return osmId is null ? (hasLines, null, "osm", bounds) : (hasLines, await ByOsmIdAsync(osmId, ct), "osm", bounds);
    }

    private async Task<StopMarkerRow?> FirstAsync(string sql, string key, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        await using var r = await command.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct))
        {
            return null;
        }

        return new StopMarkerRow(
            r.GetInt64(0), Text(r, 1), r.GetString(2), Text(r, 3), Text(r, 4), r.GetDouble(5), r.GetDouble(6), Double(r, 7), Double(r, 8),
            Double(r, 9), Double(r, 10), Double(r, 11), r.GetBoolean(12), Text(r, 13), r.IsDBNull(14) ? null : r.GetInt16(14));
    }

    private static string? Text(NpgsqlDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);

    private static string? Text(NpgsqlDataReader r, string column) => Text(r, r.GetOrdinal(column));

    private static double? Double(NpgsqlDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetDouble(ordinal);

    private static T? Value<T>(NpgsqlDataReader r, string column) where T : struct
    {
        var ordinal = r.GetOrdinal(column);
        return r.IsDBNull(ordinal) ? null : r.GetFieldValue<T>(ordinal);
    }

    private sealed record CardRow(
        long Id, string StopType, string? MatchType, double? DistanceM, string? Canton, AtlasCard? Atlas, OsmCard? Osm,
        string? NormalisedOsmOperator, string? MemberRole);
}
