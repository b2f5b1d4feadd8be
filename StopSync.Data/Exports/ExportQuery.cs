using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace StopSync.Data.Exports;

/// <summary>
/// The SQL of one export: the columns, a count of its rows and the rows in their order, every value a parameter. The
/// filters restate those of the API the export mirrors (docs/10-history.md, "Exports"): distance the rows of
/// /api/top_matches, unmatched the map rows of the two unmatched stop types, problems the rows of /api/problems, changes
/// the live publication's rows of data_changes.
/// </summary>
public sealed class ExportQuery
{
    private readonly List<NpgsqlParameter> _parameters = [];
    private readonly List<string> _where = [];

    private ExportQuery(ExportRequest request)
    {
        Request = request;
    }

    public ExportRequest Request { get; }

    public IReadOnlyList<ExportColumn> Columns { get; private set; } = [];

    /// <summary>SELECT count(*) of the rows before the limit.</summary>
    public string CountSql { get; private set; } = "";

    /// <summary>The rows, ordered and limited; columns: lat, lon, then one per <see cref="Columns"/> entry.</summary>
    public string RowsSql { get; private set; } = "";

    /// <summary>Copies of the parameters for one command (a parameter belongs to one command only).</summary>
    public NpgsqlParameter[] CloneParameters() => [.. _parameters.Select(p => p.Clone())];

    public static ExportQuery For(ExportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = new ExportQuery(request);
        switch (request.ReportType)
        {
            case ExportReports.Distance:
                query.BuildDistance();
                break;
            case ExportReports.Unmatched:
                query.BuildUnmatched();
                break;
            case ExportReports.Problems:
                query.BuildProblems();
                break;
            case ExportReports.Changes:
                query.BuildChanges();
                break;
            default:
                throw new ArgumentException($"unknown report type '{request.ReportType}'", nameof(request));
        }

        return query;
    }

    private string Limit => Request.Limit is { } n ? $"LIMIT {Add(n, NpgsqlDbType.Integer)}" : "";

    private bool Descending => Request.Sort.EndsWith("_desc", StringComparison.Ordinal);

    private void AddStopFilters(string alias)
    {
        if (Request.AtlasOperators.Length > 0)
        {
            _where.Add($"{alias}.atlas_operator = ANY({Add(Request.AtlasOperators, NpgsqlDbType.Array | NpgsqlDbType.Text)})");
        }

        if (Request.Cantons.Length > 0)
        {
            _where.Add($"{alias}.canton = ANY({Add(Request.Cantons, NpgsqlDbType.Array | NpgsqlDbType.Text)})");
        }
    }

    private string Where => _where.Count == 0 ? "TRUE" : string.Join(" AND ", _where);

    private List<ExportColumn> CoordinateColumns()
    {
        var columns = new List<ExportColumn>();
        if (Request.AtlasCoords)
        {
            columns.Add(new("Atlas Lat", ExportValueKind.Coordinate));
            columns.Add(new("Atlas Lon", ExportValueKind.Coordinate));
        }

        if (Request.OsmCoords)
        {
            columns.Add(new("OSM Lat", ExportValueKind.Coordinate));
            columns.Add(new("OSM Lon", ExportValueKind.Coordinate));
        }

        return columns;
    }

    private string CoordinateSql(string alias)
    {
        var sql = "";
        if (Request.AtlasCoords)
        {
            sql += $", {alias}.atlas_lat, {alias}.atlas_lon";
        }

        if (Request.OsmCoords)
        {
            sql += $", {alias}.osm_lat, {alias}.osm_lon";
        }

        return sql;
    }

    // As /api/top_matches: matched rows with a distance; a method family matches every match_type it prefixes, and the
    // route_gtfs family also the unified GTFS route methods.
    private void BuildDistance()
    {
        _where.Add("s.stop_type = 'matched' AND s.distance_m IS NOT NULL");
        AddStopFilters("s");
        if (Request.MatchMethods.Length > 0)
        {
            var prefixes = Request.MatchMethods.Select(EscapeLike).Select(m => m + "%").ToList();
            if (Request.MatchMethods.Contains("route_gtfs"))
            {
                prefixes.Add("route_unified_gtfs%");
            }

            _where.Add($"s.match_type LIKE ANY({Add(prefixes.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text)})");
        }

        var direction = Descending ? "DESC" : "ASC";
        var order = Request.Sort.StartsWith("operator", StringComparison.Ordinal)
            ? $"s.atlas_operator {direction} NULLS LAST, s.distance_m DESC, s.id"
            : $"s.distance_m {direction}, s.id";
        Columns =
        [
            new("SLOID"), new("Official Designation"), new("ATLAS Operator"), new("OSM Node ID"),
            new("Distance (m)", ExportValueKind.Distance), new("Matching Method"), .. CoordinateColumns(),
        ];
        CountSql = $"SELECT count(*) FROM stops_matched s WHERE {Where}";
        RowsSql = $"""
            SELECT ST_Y(s.geom), ST_X(s.geom), s.sloid, a.atlas_designation_official, s.atlas_operator, s.osm_node_id,
                   s.distance_m, s.match_type{CoordinateSql("s")}
            FROM stops_matched s
            LEFT JOIN atlas_stops a ON a.sloid = s.sloid
            WHERE {Where}
            ORDER BY {order}
            {Limit}
            """;
    }

    // The map rows of the two unmatched stop types; by default ATLAS rows first, as the map ranks them.
    private void BuildUnmatched()
    {
        var types = Request.Sources.Length == 0
            ? ["atlas_unmatched", "osm_unmatched"]
            : Request.Sources.Select(s => s + "_unmatched").ToArray();
        _where.Add($"s.stop_type = ANY({Add(types, NpgsqlDbType.Array | NpgsqlDbType.Text)})");
        AddStopFilters("s");
        var rank = "CASE s.stop_type WHEN 'atlas_unmatched' THEN 0 ELSE 1 END";
        var order = Request.Sort.StartsWith("operator", StringComparison.Ordinal)
            ? $"s.atlas_operator {(Descending ? "DESC" : "ASC")} NULLS LAST, {rank}, s.id"
            : $"{rank}, s.id";
        Columns =
        [
            new("Source"), new("SLOID"), new("Official Designation"), new("ATLAS Operator"), new("OSM Node ID"),
            new("OSM Local Ref"), new("OSM Name"), new("UIC Ref"), .. CoordinateColumns(),
        ];
        CountSql = $"SELECT count(*) FROM stops_matched s WHERE {Where}";
        RowsSql = $"""
            SELECT ST_Y(s.geom), ST_X(s.geom), CASE s.stop_type WHEN 'atlas_unmatched' THEN 'ATLAS' ELSE 'OSM' END, s.sloid,
                   a.atlas_designation_official, s.atlas_operator, s.osm_node_id, o.local_ref, o.name,
                   CASE s.stop_type WHEN 'atlas_unmatched' THEN a.uic_ref ELSE o.uic_ref END{CoordinateSql("s")}
            FROM stops_matched s
            LEFT JOIN atlas_stops a ON a.sloid = s.sloid
            LEFT JOIN osm_nodes o ON o.osm_node_id = s.osm_node_id
            WHERE {Where}
            ORDER BY {order}
            {Limit}
            """;
    }

    /// <summary>The review state of a problem row p with its decision d, as /api/problems computes it.</summary>
    private const string ReviewState =
        "CASE WHEN d.id IS NULL THEN 'open' WHEN d.state = 'needs_another_look' THEN 'needs_another_look' ELSE 'decided' END";

    // The rows of /api/problems for the same filters, one per problem, in its order: stops by their most urgent problem
    // (priority_desc: P1 first, as sort_by=priority&sort_order=asc; priority_asc: as sort_order=desc), then stop id; within
    // a stop by priority, type and id.
    private void BuildProblems()
    {
        var types = Request.ProblemTypes.Length == 0 ? [.. ExportReports.ProblemTypes] : Request.ProblemTypes;
        _where.Add($"p.problem_type = ANY({Add(types, NpgsqlDbType.Array | NpgsqlDbType.Text)})");
        if (Request.Priorities.Length > 0)
        {
            _where.Add($"p.priority = ANY({Add(Request.Priorities, NpgsqlDbType.Array | NpgsqlDbType.Integer)})");
        }

        AddStopFilters("s");
        if (Request.States.Length > 0)
        {
            _where.Add($"{ReviewState} = ANY({Add(Request.States, NpgsqlDbType.Array | NpgsqlDbType.Text)})");
        }

        var stopOrder = Request.Sort switch
        {
            "priority_asc" => "f.min_priority DESC, f.stop_id",
            "operator_asc" => "s.atlas_operator ASC NULLS LAST, f.stop_id",
            "operator_desc" => "s.atlas_operator DESC NULLS LAST, f.stop_id",
            _ => "f.min_priority ASC, f.stop_id",
        };
        Columns =
        [
            new("Problem Type"), new("Priority", ExportValueKind.WholeNumber), new("SLOID"), new("Official Designation"),
            new("ATLAS Operator"), new("OSM Node ID"), new("Distance", ExportValueKind.Distance), new("Matching Method"),
            .. CoordinateColumns(),
        ];
        // Stops and decisions are joined only for the filters that need them (every problem has its stop row).
        var filtered = "FROM problems p"
            + (Request.AtlasOperators.Length > 0 || Request.Cantons.Length > 0 ? " JOIN stops_matched s ON s.id = p.stop_id" : "")
            + (Request.States.Length > 0 ? " LEFT JOIN review.decisions d ON d.problem_key = p.problem_key" : "");
        CountSql = $"SELECT count(*) {filtered} WHERE {Where}";
        // A window gives each problem its stop's most urgent priority in one pass (a grouped CTE joined back was
        // estimated at 200 stops and read the stops row by row: twice as slow on the Swiss set).
        RowsSql = $"""
            SELECT ST_Y(s.geom), ST_X(s.geom), f.problem_type, f.priority, s.sloid, a.atlas_designation_official,
                   s.atlas_operator, s.osm_node_id, s.distance_m, s.match_type{CoordinateSql("s")}
            FROM (SELECT p.id, p.stop_id, p.priority, p.problem_type, min(p.priority) OVER (PARTITION BY p.stop_id) AS min_priority
                  {filtered} WHERE {Where}) f
            JOIN stops_matched s ON s.id = f.stop_id
            LEFT JOIN atlas_stops a ON a.sloid = s.sloid
            ORDER BY {stopOrder}, f.priority, f.problem_type, f.id
            {Limit}
            """;
    }

    // The live publication's changes: those of the run in dataset_publication (none before the first publication).
    private void BuildChanges()
    {
        _where.Add("c.run_id = (SELECT run_id FROM dataset_publication LIMIT 1)");
        AddStopFilters("c");
        if (Request.Sides.Length > 0)
        {
            _where.Add($"c.cause = ANY({Add(Request.Sides, NpgsqlDbType.Array | NpgsqlDbType.Text)})");
        }

        if (Request.ChangeTypes.Length > 0)
        {
            _where.Add($"c.change_type = ANY({Add(Request.ChangeTypes, NpgsqlDbType.Array | NpgsqlDbType.Text)})");
        }

        var order = Request.Sort.StartsWith("operator", StringComparison.Ordinal)
            ? $"c.atlas_operator {(Descending ? "DESC" : "ASC")} NULLS LAST, c.id"
            : "c.id";
        var coordinates = Request.AtlasCoords || Request.OsmCoords;
        Columns =
        [
            new("Change Type"), new("Side"), new("SLOID"), new("OSM Node ID"), new("Name"), new("ATLAS Operator"),
            new("Canton"), new("Problem Type"), new("Before"), new("After"), new("OSM Version", ExportValueKind.WholeNumber),
            new("OSM Timestamp", ExportValueKind.Timestamp), new("OSM User"), new("ATLAS Edition Date", ExportValueKind.Timestamp),
            .. coordinates ? [new ExportColumn("Lat", ExportValueKind.Coordinate), new ExportColumn("Lon", ExportValueKind.Coordinate)] : Array.Empty<ExportColumn>(),
        ];
        CountSql = $"SELECT count(*) FROM data_changes c WHERE {Where}";
        RowsSql = $"""
            SELECT c.lat, c.lon, c.change_type, c.cause, c.sloid, c.osm_node_id, c.name, c.atlas_operator, c.canton,
                   c.problem_type, c.before::text, c.after::text, c.osm_version, c.osm_timestamp, c.osm_user,
                   c.atlas_edition_date{(coordinates ? ", c.lat, c.lon" : "")}
            FROM data_changes c
            WHERE {Where}
            ORDER BY {order}
            {Limit}
            """;
    }

    private static string EscapeLike(string value) => value.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");

    private string Add(object value, NpgsqlDbType type)
    {
        var name = "e" + _parameters.Count.ToString(CultureInfo.InvariantCulture);
        _parameters.Add(new NpgsqlParameter(name, type) { Value = value });
        return "@" + name;
    }
}
