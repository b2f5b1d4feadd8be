using System.Globalization;
using System.Text.Json;
using Npgsql;

namespace StopSync.Tests.Jobs.History;

/// <summary>One publication_statistics row as written.</summary>
public sealed record StatisticsRow(
    string Kind, string Key, string? Name, int AtlasPlatforms, int AtlasMatched, int AtlasEffectivelyMatched, int AtlasUnmatched,
    int OsmNodes, int OsmMatched, int OsmUnmatched, int Problems, int ProblemsP1, int ProblemsP2, int ProblemsP3, string Details)
{
    public static async Task<List<StatisticsRow>> ReadAsync(NpgsqlConnection connection, Guid runId)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT scope_kind, scope_key, scope_name, atlas_platforms, atlas_matched, atlas_effectively_matched, atlas_unmatched,
                   osm_nodes, osm_matched, osm_unmatched, problems, problems_p1, problems_p2, problems_p3, details::text
            FROM publication_statistics WHERE run_id = @run ORDER BY scope_kind, scope_key
            """, connection);
        command.Parameters.AddWithValue("run", runId);
        var rows = new List<StatisticsRow>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new StatisticsRow(
                reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6), reader.GetInt32(7), reader.GetInt32(8),
                reader.GetInt32(9), reader.GetInt32(10), reader.GetInt32(11), reader.GetInt32(12), reader.GetInt32(13), reader.GetString(14)));
        }

        return rows;
    }
}

/// <summary>
/// The figures of one scope recomputed from the published tables, query by query and without the writer's SQL: the
/// scope is a plain condition on the published stop rows, distances are summarised in C#.
/// </summary>
internal sealed class StatisticsRecomputation(NpgsqlConnection connection, string kind, string key)
{
    // The rows of the scope; an operator's OSM side is taken separately (its matched elements and attributed trio middles).
    private string RowScope => kind switch
    {
        "all" => "TRUE",
        "operator" => "s.atlas_operator = @key",
        _ => "s.canton = @key",
    };

    // Trio middles shown as effectively matched whose trio has a side matched to a platform of the operator.
    private const string OperatorMiddles =
        """
        SELECT e.osm_node_id FROM stops_matched e
        WHERE e.stop_type = 'effectively_matched' AND EXISTS (
            SELECT 1 FROM osm_stop_members me
            JOIN osm_stop_members ms ON ms.osm_stop_id = me.osm_stop_id AND ms.member_role = 'trio_side'
            JOIN stops_matched m ON m.osm_node_id = ms.node_id AND m.stop_type = 'matched'
            WHERE me.node_id = e.osm_node_id AND m.atlas_operator = @key)
        """;

    private string ScopeElements => kind == "operator"
        ? $"SELECT s.osm_node_id FROM stops_matched s WHERE s.stop_type = 'matched' AND {RowScope} UNION {OperatorMiddles}"
        : $"SELECT s.osm_node_id FROM stops_matched s WHERE s.osm_node_id IS NOT NULL AND {RowScope}";

    public Task<long> AtlasPlatformsAsync() => CountAsync($"SELECT count(DISTINCT sloid) FROM stops_matched s WHERE {RowScope}");

    public Task<long> AtlasMatchedAsync() => CountAsync($"SELECT count(DISTINCT sloid) FROM stops_matched s WHERE s.stop_type = 'matched' AND {RowScope}");

    public Task<long> AtlasUnmatchedAsync() => CountAsync($"SELECT count(DISTINCT sloid) FROM stops_matched s WHERE s.stop_type = 'atlas_unmatched' AND {RowScope}");

    public Task<long> AtlasIsolatedAsync() => CountAsync(
        $"SELECT count(DISTINCT sloid) FROM stops_matched s WHERE s.stop_type = 'atlas_unmatched' AND s.match_type = 'no_nearby_counterpart' AND {RowScope}");

    public Task<long> AtlasNearbyAsync() => CountAsync(
        $"SELECT count(DISTINCT sloid) FROM stops_matched s WHERE s.stop_type = 'atlas_unmatched' AND s.match_type IS NULL AND {RowScope}");

    public Task<long> Within50mAsync() => CountAsync(
        $"SELECT count(DISTINCT sloid) FROM stops_matched s WHERE s.stop_type = 'matched' AND s.distance_m <= 50 AND {RowScope}");

    public Task<long> EffectivelyMatchedAsync() => kind == "operator"
        ? CountAsync($"SELECT count(*) FROM ({OperatorMiddles}) m")
        : CountAsync($"SELECT count(*) FROM stops_matched s WHERE s.stop_type = 'effectively_matched' AND {RowScope}");

    public Task<long> OsmNodesAsync() => CountAsync($"SELECT count(DISTINCT osm_node_id) FROM ({ScopeElements}) e");

    public Task<long> OsmMatchedAsync() => CountAsync(
        $"SELECT count(DISTINCT s.osm_node_id) FROM stops_matched s WHERE s.stop_type = 'matched' AND {RowScope}");

    public Task<long> OsmUnmatchedAsync() => kind == "operator"
        ? Task.FromResult(0L)
        : CountAsync($"SELECT count(DISTINCT s.osm_node_id) FROM stops_matched s WHERE s.stop_type = 'osm_unmatched' AND {RowScope}");

    /// <summary>Unmatched OSM elements by the isolated flag of their <c>unmatched</c> problem.</summary>
    public Task<long> OsmUnmatchedAsync(bool isolated) => kind == "operator"
        ? Task.FromResult(0L)
        : CountAsync(
            $"""
            SELECT count(DISTINCT s.osm_node_id) FROM stops_matched s JOIN problems p ON p.stop_id = s.id AND p.problem_type = 'unmatched'
            WHERE s.stop_type = 'osm_unmatched' AND (p.evidence ->> 'isolated') = '{(isolated ? "true" : "false")}' AND {RowScope}
            """);

    /// <summary>(type, total, p1, p2, p3) per problem type, in the order the details list them.</summary>
    public async Task<List<(string Type, long Total, long P1, long P2, long P3)>> ProblemTypesAsync()
    {
        var list = new List<(string, long, long, long, long)>();
        await using var command = Command(
            $"""
            SELECT p.problem_type, count(*), sum(CASE WHEN p.priority = 1 THEN 1 ELSE 0 END),
                   sum(CASE WHEN p.priority = 2 THEN 1 ELSE 0 END), sum(CASE WHEN p.priority = 3 THEN 1 ELSE 0 END)
            FROM problems p JOIN stops_matched s ON s.id = p.stop_id WHERE {RowScope}
            GROUP BY p.problem_type
            """);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            list.Add((reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4)));
        }

        return [.. list.OrderByDescending(t => t.Item2).ThenBy(t => t.Item1, StringComparer.Ordinal)];
    }

    /// <summary>Distances of the matched rows per method, summarised here; the trio middles as a method without distances.</summary>
    public async Task<List<MethodFigures>> MatchMethodsAsync()
    {
        var distances = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        await using (var command = Command($"SELECT s.match_type, s.distance_m FROM stops_matched s WHERE s.stop_type = 'matched' AND {RowScope}"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var list = distances.TryGetValue(reader.GetString(0), out var found) ? found : distances[reader.GetString(0)] = [];
                list.Add(reader.GetDouble(1));
            }
        }

        var methods = distances.Select(d =>
        {
            var sorted = d.Value.Order().ToArray();
            return new MethodFigures(d.Key, sorted.Length, sorted.Average(), Percentile(sorted, 0.5), Percentile(sorted, 0.95));
        }).ToList();
        var middles = await EffectivelyMatchedAsync();
        if (middles > 0)
        {
            methods.Add(new MethodFigures("effectively_matched", middles, null, null, null));
        }

        return [.. methods.OrderByDescending(m => m.Count).ThenBy(m => m.Method, StringComparer.Ordinal)];
    }

    /// <summary>Stop units (kind = pair/trio kind, else single) with a member among the scope's OSM elements.</summary>
    public async Task<List<(string Kind, long Count)>> StopUnitsAsync()
    {
        var list = new List<(string, long)>();
        await using var command = Command(
            $"""
            SELECT CASE WHEN u.group_kind IS NULL THEN u.stop_kind ELSE u.group_kind END, count(*)
            FROM osm_stops u
            WHERE EXISTS (SELECT 1 FROM osm_stop_members m WHERE m.osm_stop_id = u.id AND m.node_id IN ({ScopeElements}))
            GROUP BY 1
            """);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            list.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        return [.. list.OrderByDescending(t => t.Item2).ThenBy(t => t.Item1, StringComparer.Ordinal)];
    }

    /// <summary>The linear interpolation between the two closest ranks (percentile_cont's definition).</summary>
    private static double Percentile(double[] sorted, double fraction)
    {
        var position = fraction * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = (int)Math.Ceiling(position);
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * (position - lower));
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var command = Command(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private NpgsqlCommand Command(string sql)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("key", key);
        return command;
    }
}

internal sealed record MethodFigures(string Method, long Count, double? Mean, double? Median, double? P95)
{
    public static MethodFigures From(JsonElement e) => new(
        e.GetProperty("method").GetString()!, e.GetProperty("count").GetInt64(), Number(e, "distance_mean"),
        Number(e, "distance_median"), Number(e, "distance_p95"));

    private static double? Number(JsonElement e, string name) =>
        e.GetProperty(name).ValueKind == JsonValueKind.Null ? null : e.GetProperty(name).GetDouble();
}
