using System.Collections.Immutable;
using Npgsql;
using NpgsqlTypes;
using StopSync.Web.Pages.Problems.Decisions;

namespace StopSync.Web.Pages.Problems;

/// <summary>
/// The problems queue's reads in plain SQL on the shared data source (docs/05-api.md, "Problems"): a problem's review
/// state comes from joining its stable key to <c>review.decisions</c>, paging is per affected stop and done in SQL.
/// </summary>
public sealed class ProblemQueries(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// The review state of a problem row p with its decision d. A decision resolved by data whose problem is back is
    /// re-applied by the next publication; until then it still counts as decided.
    /// </summary>
    private const string ReviewState =
        "CASE WHEN d.id IS NULL THEN 'open' WHEN d.state = 'needs_another_look' THEN 'needs_another_look' ELSE 'decided' END";

    public async Task<ProblemList> PageAsync(ProblemFilter filter, ProblemPage page, CancellationToken ct)
    {
        var parameters = new List<NpgsqlParameter>();
        var where = Conditions(filter, filter.EffectiveTypes, parameters);
        if (!page.States.IsEmpty)
        {
            where.Add($"{ReviewState} = ANY(@states)");
            parameters.Add(new NpgsqlParameter("states", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = page.States.ToArray() });
        }

        var direction = page.Descending ? "DESC" : "ASC";
        // The stop id breaks ties so that paging is stable; rows without a distance sort last in both directions.
        var order = page.SortBy switch
        {
            ProblemSorts.Priority => $"min_priority {direction}, stop_id",
            ProblemSorts.Distance => $"distance_m {direction} NULLS LAST, stop_id",
            _ => $"stop_id {direction}",
        };
        // The stop rows are read for the whole set only when a filter or the sort needs them; else only for the page.
        var needsStops = !filter.AtlasOperators.IsEmpty || !filter.Cantons.IsEmpty || page.SortBy == ProblemSorts.Distance;
        var sql = $"""
            WITH f AS MATERIALIZED (
                SELECT p.id, p.stop_id, p.priority, p.problem_type, p.problem_key, p.evidence,
                       {(needsStops ? "s.distance_m" : "NULL::double precision")} AS distance_m, d.id AS decision_id, {ReviewState} AS review_state
                FROM problems p
                {(needsStops ? "JOIN stops_matched s ON s.id = p.stop_id" : "")}
                LEFT JOIN review.decisions d ON d.problem_key = p.problem_key
                WHERE {string.Join(" AND ", where)}),
            stops AS (
                SELECT stop_id, min(priority) AS min_priority, min(distance_m) AS distance_m FROM f GROUP BY stop_id),
            page AS (
                SELECT stop_id, row_number() OVER (ORDER BY {order}) AS ord
                FROM stops ORDER BY {order} LIMIT @limit OFFSET @offset)
            SELECT total.n, f.stop_id, f.problem_key, f.problem_type, f.priority, s.sloid, s.osm_node_id, s.stop_type, s.match_type,
                   s.atlas_lat, s.atlas_lon, s.osm_lat, s.osm_lon, s.distance_m, ST_Y(s.geom), ST_X(s.geom), s.atlas_operator, s.canton,
                   (SELECT a.atlas_designation_official FROM atlas_stops a WHERE a.sloid = s.sloid),
                   (SELECT o.name FROM osm_nodes o WHERE o.osm_node_id = s.osm_node_id),
                   f.evidence::text, f.review_state, {DecisionView.Columns("d")},
                   rt.line, rt.atlas_family, rt.osm_family, rt.atlas_itinerary_id, rt.osm_itinerary_id
            FROM (SELECT count(*) AS n FROM stops) total
            LEFT JOIN (page
                JOIN f ON f.stop_id = page.stop_id
                JOIN stops_matched s ON s.id = f.stop_id
                LEFT JOIN review.decisions d ON d.id = f.decision_id
                LEFT JOIN LATERAL ({RouteContextSql}) rt ON TRUE) ON TRUE
            ORDER BY page.ord, f.priority, f.problem_type, f.id
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddRange(parameters.ToArray());
        command.Parameters.Add(new NpgsqlParameter("limit", NpgsqlDbType.Integer) { Value = page.Limit });
        command.Parameters.Add(new NpgsqlParameter("offset", NpgsqlDbType.Bigint) { Value = (long)(page.Page - 1) * page.Limit });

        var items = new List<ProblemItem>();
        long total = 0;
        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            total = r.GetInt64(0);
            if (r.IsDBNull(1))
            {
                continue;
            }

            var problemType = r.GetString(3);
            var distance = r.IsDBNull(13) ? (double?)null : Math.Round(r.GetDouble(13), 2);
            var evidence = DecisionView.Json(r, 20);
            items.Add(new ProblemItem
            {
                StopId = r.GetInt64(1),
                ProblemKey = r.IsDBNull(2) ? null : r.GetString(2),
                Problem = problemType,
                Priority = r.GetInt32(4),
                Sloid = r.IsDBNull(5) ? null : r.GetString(5),
                OsmNodeId = r.IsDBNull(6) ? null : r.GetString(6),
                StopType = r.GetString(7),
                MatchType = r.IsDBNull(8) ? null : r.GetString(8),
                AtlasLat = RoundOrNull(r, 9),
                AtlasLon = RoundOrNull(r, 10),
                OsmLat = RoundOrNull(r, 11),
                OsmLon = RoundOrNull(r, 12),
                DistanceM = distance,
                Lat = Math.Round(r.GetDouble(14), 6),
                Lon = Math.Round(r.GetDouble(15), 6),
                AtlasOperator = r.IsDBNull(16) ? null : r.GetString(16),
                Canton = r.IsDBNull(17) ? null : r.GetString(17),
                AtlasName = r.IsDBNull(18) ? null : r.GetString(18),
                OsmName = r.IsDBNull(19) ? null : r.GetString(19),
                Evidence = evidence,
                Description = ProblemDescriptions.Describe(problemType, evidence, distance),
                State = r.GetString(21),
                Decision = DecisionView.Read(r, 22),
                Route = ProblemTypes.IsRoute(problemType) ? ReadRoute(r, 22 + DecisionView.ColumnCount) : null,
            });
        }

        return new ProblemList(items, total, page.Page, page.Limit, page.SortBy, page.SortOrder);
    }

    /// <summary>
    /// The line of a route problem row f on stop row s: the families its evidence names (the ATLAS one by its normalised
    /// route id, which survives the timetable year; the OSM one by its family id) and
    /// a matched itinerary pair of those two families for the comparison view, preferring a pair that calls at the stop.
    /// Rows of the other types get no row here.
    /// </summary>
    private const string RouteContextSql =
        """
        SELECT coalesce(f.evidence->>'line', af.display_route_id, ofam.display_route_id) AS line,
               f.evidence->>'atlas_family' AS atlas_family, f.evidence->>'osm_family' AS osm_family,
               pair.atlas_itinerary_id, pair.osm_itinerary_id
        FROM (SELECT 1) one
        LEFT JOIN LATERAL (
            SELECT a.id, a.display_route_id FROM line_families a
            WHERE a.source = 'atlas' AND a.normalized_route_id = f.evidence->>'atlas_family'
            ORDER BY a.matched_family_id IS NULL, a.id
            LIMIT 1) af ON TRUE
        LEFT JOIN line_families ofam ON ofam.source = 'osm' AND ofam.source_family_id = f.evidence->>'osm_family'
        LEFT JOIN LATERAL (
            SELECT im.atlas_itinerary_id, im.osm_itinerary_id
            FROM itinerary_matches im
            JOIN itineraries ai ON ai.id = im.atlas_itinerary_id
            JOIN itineraries oi ON oi.id = im.osm_itinerary_id
            WHERE ai.line_family_id = af.id AND oi.line_family_id = ofam.id
            ORDER BY EXISTS (SELECT 1 FROM stop_calls c WHERE c.itinerary_id IN (ai.id, oi.id)
                             AND (c.sloid = s.sloid OR c.osm_node_id = s.osm_node_id)) DESC, im.id
            LIMIT 1) pair ON TRUE
        WHERE f.problem_type IN ('route_unmatched', 'route_metadata', 'route_membership')
        """;

    private static RouteContext ReadRoute(NpgsqlDataReader r, int at) => new(
        r.IsDBNull(at) ? null : r.GetString(at), r.IsDBNull(at + 1) ? null : r.GetString(at + 1), r.IsDBNull(at + 2) ? null : r.GetString(at + 2),
        r.IsDBNull(at + 3) ? null : r.GetInt64(at + 3), r.IsDBNull(at + 4) ? null : r.GetInt64(at + 4));

    /// <summary>
    /// Counts of problems by review state. The type entries ignore the type filter (the page's type list shows
    /// every type's count under the other filters); "all", by_priority, by_operator and by_canton honour it.
    /// </summary>
    public async Task<ProblemStats> StatsAsync(ProblemFilter filter, CancellationToken ct)
    {
        var parameters = new List<NpgsqlParameter>();
        var where = Conditions(filter, [.. ProblemTypes.All], parameters);
        parameters.Add(new NpgsqlParameter("selected_types", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = filter.EffectiveTypes });

        // Decisions resolved by data have no problem row any more: filtered on the type, operator and canton they copied.
        var resolved = new List<string> { "d.state = 'resolved_by_data'", "d.problem_type = ANY(@selected_types)" };
        if (!filter.AtlasOperators.IsEmpty)
        {
            resolved.Add("d.atlas_operator = ANY(@operators)");
        }

        if (!filter.Cantons.IsEmpty)
        {
            resolved.Add("d.canton = ANY(@cantons)");
        }

        const string counts = """
            count(*), count(*) FILTER (WHERE review_state = 'decided'), count(*) FILTER (WHERE review_state = 'open'),
            count(*) FILTER (WHERE review_state = 'needs_another_look')
            """;
        var sql = $"""
            WITH f AS MATERIALIZED (
                SELECT p.problem_type, p.priority, s.atlas_operator, s.canton, {ReviewState} AS review_state
                FROM problems p
                JOIN stops_matched s ON s.id = p.stop_id
                LEFT JOIN review.decisions d ON d.problem_key = p.problem_key
                WHERE {string.Join(" AND ", where)})
            SELECT 'type', problem_type, {counts} FROM f GROUP BY problem_type
            UNION ALL
            SELECT 'priority', priority::text, {counts} FROM f WHERE problem_type = ANY(@selected_types) GROUP BY priority
            UNION ALL
            SELECT 'operator', atlas_operator, {counts} FROM f WHERE problem_type = ANY(@selected_types) GROUP BY atlas_operator
            UNION ALL
            SELECT 'canton', canton, {counts} FROM f WHERE problem_type = ANY(@selected_types) GROUP BY canton
            UNION ALL
            SELECT 'resolved', NULL, count(*), 0, 0, 0 FROM review.decisions d WHERE {string.Join(" AND ", resolved)}
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddRange(parameters.ToArray());

        var byType = new Dictionary<string, ReviewCounts>(StringComparer.Ordinal);
        var byPriority = new SortedDictionary<string, ReviewCounts>(StringComparer.Ordinal)
        {
            ["1"] = ReviewCounts.Zero, ["2"] = ReviewCounts.Zero, ["3"] = ReviewCounts.Zero,
        };
        var byOperator = new List<OperatorCounts>();
        var byCanton = new List<CantonCounts>();
        long resolvedByData = 0;
        await using (var r = await command.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                var key = r.IsDBNull(1) ? null : r.GetString(1);
                var c = new ReviewCounts(r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5));
                switch (r.GetString(0))
                {
                    case "type":
                        byType[key!] = c;
                        break;
                    case "priority":
                        byPriority[key!] = c;
                        break;
                    case "operator":
                        byOperator.Add(new OperatorCounts(key, c.All, c.Solved, c.Unsolved, c.NeedsAnotherLook));
                        break;
                    case "canton":
                        byCanton.Add(new CantonCounts(key, c.All, c.Solved, c.Unsolved, c.NeedsAnotherLook));
                        break;
                    default:
                        resolvedByData = c.All;
                        break;
                }
            }
        }

        ReviewCounts Of(string type) => byType.GetValueOrDefault(type, ReviewCounts.Zero);
        var selected = filter.EffectiveTypes.Select(Of).ToList();
        return new ProblemStats
        {
            All = new ReviewCounts(selected.Sum(c => c.All), selected.Sum(c => c.Solved), selected.Sum(c => c.Unsolved),
                selected.Sum(c => c.NeedsAnotherLook)),
            Distance = Of(ProblemTypes.Distance),
            Unmatched = Of(ProblemTypes.Unmatched),
            Attributes = Of(ProblemTypes.Attributes),
            ContradictsRouteMatching = Of(ProblemTypes.ContradictsRouteMatching),
            Duplicates = Of(ProblemTypes.Duplicates),
            RouteUnmatched = Of(ProblemTypes.RouteUnmatched),
            RouteMetadata = Of(ProblemTypes.RouteMetadata),
            RouteMembership = Of(ProblemTypes.RouteMembership),
            ByPriority = byPriority,
            // Most problems first: the operators with the most work; then by name, ordinal, for a stable order.
            ByOperator = [.. byOperator.OrderByDescending(o => o.All).ThenBy(o => o.AtlasOperator is null).ThenBy(o => o.AtlasOperator, StringComparer.Ordinal)],
            ByCanton = [.. byCanton.OrderBy(c => CantonOrder(c.Canton))],
            ResolvedByData = resolvedByData,
        };
    }

    // The filters on a problem row p of stop row s, as parameters.
    private static List<string> Conditions(ProblemFilter filter, string[] types, List<NpgsqlParameter> parameters)
    {
        var where = new List<string> { "p.problem_type = ANY(@types)" };
        parameters.Add(new NpgsqlParameter("types", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = types });
        if (!filter.Priorities.IsEmpty)
        {
            where.Add("p.priority = ANY(@priorities)");
            parameters.Add(new NpgsqlParameter("priorities", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = filter.Priorities.ToArray() });
        }

        if (!filter.AtlasOperators.IsEmpty)
        {
            where.Add("s.atlas_operator = ANY(@operators)");
            parameters.Add(new NpgsqlParameter("operators", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = filter.AtlasOperators.ToArray() });
        }

        if (!filter.Cantons.IsEmpty)
        {
            where.Add("s.canton = ANY(@cantons)");
            parameters.Add(new NpgsqlParameter("cantons", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = filter.Cantons.ToArray() });
        }

        return where;
    }

    private static readonly ImmutableDictionary<string, int> CantonIndex =
        Map.Filters.Cantons.All.Select((c, i) => (c.Code, i)).ToImmutableDictionary(x => x.Code, x => x.i, StringComparer.Ordinal);

    // The Federal Statistical Office's order, as the map's canton list; rows without a canton last.
    private static int CantonOrder(string? canton) => canton is not null && CantonIndex.TryGetValue(canton, out var i) ? i : int.MaxValue;

    private static double? RoundOrNull(NpgsqlDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : Math.Round(r.GetDouble(ordinal), 6);
}
