using Npgsql;

namespace StopSync.Web.Pages.Data;

/// <summary>
/// The analytics of one scope: its statistics row of the live publication and its rows of every kept publication
/// (docs/10-history.md, "Pages and feeds"). Both statements go in one round trip; they read one row and at most
/// <see cref="MaxTrendPoints"/> rows through the indexes on (scope_kind, scope_key) and the history's key.
/// </summary>
public sealed class AnalyticsQueries(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Retention keeps 400 days by default, one publication a day; a site that publishes more often still draws the
    /// most recent ones.
    /// </summary>
    public const int MaxTrendPoints = 1000;

    private const string Figures = """
        s.atlas_platforms, s.atlas_matched, s.atlas_effectively_matched, s.atlas_unmatched,
        s.osm_nodes, s.osm_matched, s.osm_unmatched, s.problems, s.problems_p1, s.problems_p2, s.problems_p3
        """;

    // Only rows with published_at set are history: an unpublished row belongs to a publication still under way
    // or one that failed before its swap. The live row is found through the unique (run_id, scope_kind, scope_key).
    private const string CurrentSql = $"""
        SELECT h.run_id, h.published_at, s.scope_name, s.details::text, {Figures}
        FROM publication_statistics s
        JOIN publication_history h ON h.run_id = s.run_id AND h.published_at IS NOT NULL
        WHERE s.run_id = (SELECT run_id FROM dataset_publication LIMIT 1) AND s.scope_kind = @kind AND s.scope_key = @key
        """;

    private const string TrendSql = $"""
        SELECT run_id, published_at, atlas_platforms, atlas_matched, osm_nodes, osm_matched, problems, problems_p1, problems_p2, problems_p3
        FROM (
            SELECT h.run_id, h.published_at, {Figures}
            FROM publication_statistics s
            JOIN publication_history h ON h.run_id = s.run_id
            WHERE s.scope_kind = @kind AND s.scope_key = @key AND h.published_at IS NOT NULL
            ORDER BY h.published_at DESC
            LIMIT @limit) recent
        ORDER BY published_at
        """;

    /// <summary>Null before the first publication, or when the live publication has no row for the scope.</summary>
    public async Task<AnalyticsReport?> ReportAsync(AnalyticsScope scope, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(Command(CurrentSql, scope));
        var trendCommand = Command(TrendSql, scope);
        trendCommand.Parameters.Add(new NpgsqlParameter<int>("limit", MaxTrendPoints));
        batch.BatchCommands.Add(trendCommand);

        await using var reader = await batch.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        var runId = reader.GetGuid(0);
        var publishedAt = reader.GetFieldValue<DateTimeOffset>(1);
        var scopeName = reader.IsDBNull(2) ? null : reader.GetString(2);
        var details = AnalyticsDetails.Parse(reader.IsDBNull(3) ? null : reader.GetString(3));
        var current = new AnalyticsFigures(
            reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6), reader.GetInt32(7),
            reader.GetInt32(8), reader.GetInt32(9), reader.GetInt32(10),
            reader.GetInt32(11), reader.GetInt32(12), reader.GetInt32(13), reader.GetInt32(14),
            details.Within50M, details.Methods, details.Unmatched, details.ProblemTypes, details.StopUnits);

        await reader.NextResultAsync(ct);
        var trend = new List<AnalyticsTrendPoint>();
        while (await reader.ReadAsync(ct))
        {
            trend.Add(new AnalyticsTrendPoint(
                reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1),
                reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5),
                reader.GetInt32(6), reader.GetInt32(7), reader.GetInt32(8), reader.GetInt32(9)));
        }

        return new AnalyticsReport(scope, scopeName, runId, publishedAt, current, trend);
    }

    private static NpgsqlBatchCommand Command(string sql, AnalyticsScope scope)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string>("kind", scope.Kind));
        command.Parameters.Add(new NpgsqlParameter<string>("key", scope.Key));
        return command;
    }
}
