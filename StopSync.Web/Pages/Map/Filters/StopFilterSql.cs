using System.Globalization;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace StopSync.Web.Pages.Map.Filters;

/// <summary>
/// Translates a <see cref="StopFilter"/> into a WHERE condition on <c>stops_matched</c> (alias <c>s</c>), on its
/// denormalised filter columns; OSM tags (transport types) and problems are looked up only when those filters are sent.
/// Every value is a parameter.
/// </summary>
public sealed class StopFilterSql
{
    private readonly List<NpgsqlParameter> _parameters = [];
    private readonly List<string> _conditions = [];

    private StopFilterSql()
    {
    }

    /// <summary>The conditions AND-ed ("TRUE" without filters).</summary>
    public string Where => _conditions.Count == 0 ? "TRUE" : string.Join(" AND ", _conditions);

    public IReadOnlyList<NpgsqlParameter> Parameters => _parameters;

    /// <summary>Copies of the parameters for one command (a parameter belongs to one command only).</summary>
    public IEnumerable<NpgsqlParameter> CloneParameters() => _parameters.Select(p => p.Clone());

    public static StopFilterSql For(StopFilter filter)
    {
        var sql = new StopFilterSql();
        sql.AddScope(StopScope.Of(filter));

        if (!filter.AtlasOperators.IsEmpty)
        {
            sql._conditions.Add($"s.atlas_operator = ANY({sql.Text(filter.AtlasOperators)})");
        }

        if (!filter.OsmOperators.IsEmpty)
        {
            sql._conditions.Add($"s.osm_operator = ANY({sql.Text(filter.OsmOperators)})");
        }

        if (!filter.TransportTypes.IsEmpty)
        {
            sql.AddTransportTypes(filter.TransportTypes);
        }

        if (!filter.EntityTypes.IsEmpty)
        {
            var branches = new List<string>();
            if (filter.EntityTypes.Contains("node"))
            {
                branches.Add(@"(s.osm_node_id IS NOT NULL AND s.osm_node_id NOT LIKE 'way\_%')");
            }

            if (filter.EntityTypes.Contains("way"))
            {
                branches.Add(@"s.osm_node_id LIKE 'way\_%'");
            }

            sql._conditions.Add(Or(branches));
        }

        if (!filter.GroupTypes.IsEmpty)
        {
            sql._conditions.Add(filter.GroupTypes.Contains(FilterValues.AllGroups)
                ? "s.osm_group_kind IS NOT NULL"
                : $"s.osm_group_kind = ANY({sql.Text(filter.GroupTypes)})");
        }

        if (!filter.Cantons.IsEmpty)
        {
            sql._conditions.Add($"s.canton = ANY({sql.Text(filter.Cantons)})");
        }

        if (!filter.ProblemTypes.IsEmpty || !filter.ProblemPriorities.IsEmpty)
        {
            // One problem must meet both lists: "a P1 distance problem", not "a P1 problem and some distance problem".
            var problem = new StringBuilder("EXISTS (SELECT 1 FROM problems p WHERE p.stop_id = s.id");
            if (!filter.ProblemTypes.IsEmpty)
            {
                problem.Append(CultureInfo.InvariantCulture, $" AND p.problem_type = ANY({sql.Text(filter.ProblemTypes)})");
            }

            if (!filter.ProblemPriorities.IsEmpty)
            {
                problem.Append(CultureInfo.InvariantCulture, $" AND p.priority = ANY({sql.Add(filter.ProblemPriorities.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Integer)})");
            }

            sql._conditions.Add(problem.Append(')').ToString());
        }

        if (filter.Route is { } route)
        {
            sql.AddRoute(route);
        }

        if (filter.DuplicatesOnly)
        {
            sql._conditions.Add("s.has_atlas_duplicate");
        }

        if (filter.TopN is { } topN)
        {
            // The N largest distances among the rows the other filters keep; ties broken by id so the set is stable.
            sql._conditions.Add(
                $"s.id IN (SELECT t.id FROM stops_matched t WHERE t.stop_type = 'matched' AND t.distance_m IS NOT NULL AND t.id IN " +
                $"(SELECT s.id FROM stops_matched s WHERE {sql.WhereWithoutTopN()}) ORDER BY t.distance_m DESC, t.id LIMIT {sql.Add(topN, NpgsqlDbType.Integer)})");
        }

        return sql;
    }

    private string WhereWithoutTopN() => _conditions.Count == 0 ? "TRUE" : string.Join(" AND ", _conditions);

    private void AddScope(StopScope scope)
    {
        if (!scope.Active)
        {
            return;
        }

        var branches = new List<string>();
        if (scope.AllMatched)
        {
            branches.Add("s.stop_type IN ('matched', 'effectively_matched')");
        }
        else if (!scope.MatchedMethods.IsEmpty)
        {
            var prefixes = scope.MatchedMethods.Select(m => m + "%").ToList();
            if (scope.MatchedMethods.Contains(FilterValues.RouteGtfsMethod))
            {
                prefixes.Add("route_unified_gtfs%");
            }

            var matched = $"(s.stop_type = 'matched' AND s.match_type LIKE ANY({Text(prefixes.Select(EscapeLikePrefix))}))";
            branches.Add(scope.AdmitsEffectivelyMatched ? $"({matched} OR s.stop_type = 'effectively_matched')" : matched);
        }

        if (scope.AllAtlasUnmatched)
        {
            branches.Add("s.stop_type = 'atlas_unmatched'");
        }
        else if (!scope.AtlasRefinements.IsEmpty)
        {
            var refinements = new List<string>();
            if (scope.AtlasRefinements.Contains(FilterValues.NoNearbyCounterpart))
            {
                refinements.Add("s.match_type = 'no_nearby_counterpart'");
            }

            if (scope.AtlasRefinements.Contains(FilterValues.OsmWithin50m))
            {
                refinements.Add("s.match_type IS DISTINCT FROM 'no_nearby_counterpart'");
            }

            branches.Add($"(s.stop_type = 'atlas_unmatched' AND {Or(refinements)})");
        }

        if (scope.OsmUnmatched)
        {
            branches.Add("s.stop_type = 'osm_unmatched'");
        }

        _conditions.Add(Or(branches));
    }

    // A row belongs to the line when its SLOID or its OSM element is a call of one of the line's itineraries; both
    // look-ups go through the stop_calls indexes on sloid and osm_node_id.
    private void AddRoute(RouteFilter route)
    {
        var itineraries = RouteFilter.ItinerariesSql(
            Add(route.RouteId, NpgsqlDbType.Text), Add(route.NormalizedId, NpgsqlDbType.Text),
            route.Direction is null ? null : Add(route.Direction, NpgsqlDbType.Text));
        _conditions.Add(
            $"(s.sloid IN (SELECT c.sloid FROM stop_calls c WHERE c.sloid IS NOT NULL AND c.itinerary_id IN ({itineraries})) " +
            $"OR s.osm_node_id IN (SELECT c.osm_node_id FROM stop_calls c WHERE c.osm_node_id IS NOT NULL AND c.itinerary_id IN ({itineraries})))");
    }

    private void AddTransportTypes(IEnumerable<string> types)
    {
        var branches = new List<string>();
        foreach (var type in types.Distinct())
        {
            switch (type)
            {
                case "ferry_terminal": branches.Add("o.amenity = 'ferry_terminal'"); break;
                case "tram_stop": branches.Add("o.railway = 'tram_stop'"); break;
                case "station": branches.Add("(o.public_transport = 'station' OR o.railway IN ('station', 'halt'))"); break;
                case "platform": branches.Add("(o.public_transport = 'platform' OR o.railway = 'platform')"); break;
                case "stop_position": branches.Add("o.public_transport = 'stop_position'"); break;
                case "aerialway_station": branches.Add("o.aerialway = 'station'"); break;
            }
        }

        // Only rows with an OSM side can meet it; unknown types alone select nothing.
        _conditions.Add(branches.Count == 0
            ? "FALSE"
            : $"EXISTS (SELECT 1 FROM osm_nodes o WHERE o.osm_node_id = s.osm_node_id AND {Or(branches)})");
    }

    private static string Or(List<string> branches) =>
        branches.Count switch
        {
            0 => "FALSE",
            1 => branches[0],
            _ => "(" + string.Join(" OR ", branches) + ")",
        };

    private static string EscapeLikePrefix(string pattern) =>
        pattern[..^1].Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_") + "%";

    private string Text(IEnumerable<string> values) => Add(values.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);

    private string Add(object value, NpgsqlDbType type)
    {
        var name = $"f{_parameters.Count}";
        _parameters.Add(new NpgsqlParameter(name, type) { Value = value });
        return "@" + name;
    }
}
