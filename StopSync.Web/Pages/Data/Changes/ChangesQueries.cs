using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using StopSync.Data.History;

namespace StopSync.Web.Pages.Data.Changes;

/// <summary>
/// Reads the run-to-run changes (<c>data_changes</c>) and the publications they belong to. Only history rows with
/// <c>published_at</c> set count: a row without it is a publication still under way or one that failed.
/// </summary>
public sealed class ChangesQueries(NpgsqlDataSource dataSource)
{
    /// <summary>The run picker and the feeds look this many publications back.</summary>
    public const int RecentPublications = 30;

    /// <summary>A feed entry lists this many changes in words; the counts cover them all.</summary>
    public const int FeedEntryChanges = 20;

    private const string Columns =
        """
        c.id, c.change_type, c.cause, c.sloid, c.osm_node_id, c.problem_type, c.problem_key, c.atlas_operator, c.canton,
        c.lat, c.lon, c.name, c.before::text, c.after::text, c.osm_version, c.osm_timestamp, c.osm_user, c.atlas_edition_date
        """;

    // Lists show changes grouped by type in the order of ChangeTypes.All, then by name.
    private const string Order = "array_position(@type_order, c.change_type), c.name NULLS LAST, c.id";

    private const string RunSql =
        """
        SELECT h.run_id, h.published_at, h.previous_run_id, p.published_at, h.no_comparison_reason,
               h.run_id = (SELECT run_id FROM dataset_publication LIMIT 1)
        FROM publication_history h
        LEFT JOIN publication_history p ON p.run_id = h.previous_run_id AND p.published_at IS NOT NULL
        WHERE h.run_id = @run AND h.published_at IS NOT NULL
        """;

    /// <summary>The live run's id, or null before the first publication.</summary>
    public async Task<Guid?> LiveRunIdAsync(CancellationToken ct) => await Map.PublishedRun.IdAsync(dataSource, ct);

    /// <summary>The publication, when it is in the history (published and within the retention).</summary>
    public async Task<ChangeRun?> RunAsync(Guid runId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(RunSql);
        command.Parameters.AddWithValue("run", runId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        return new ChangeRun(
            reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1), reader.IsDBNull(2) ? null : reader.GetGuid(2),
            reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3), reader.IsDBNull(4) ? null : reader.GetString(4),
            !reader.IsDBNull(5) && reader.GetBoolean(5));
    }

    /// <summary>The latest publications, newest first, with their number of changes.</summary>
    public async Task<IReadOnlyList<PublicationOption>> RecentAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $$"""
            SELECT h.run_id, h.published_at, h.no_comparison_reason,
                   (SELECT coalesce(sum(n.value::int), 0)::int
                    FROM jsonb_each(h.change_counts) t, jsonb_each_text(CASE jsonb_typeof(t.value) WHEN 'object' THEN t.value ELSE '{}' END) n)
            FROM publication_history h
            WHERE h.published_at IS NOT NULL
            ORDER BY h.published_at DESC
            LIMIT {{RecentPublications}}
            """);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var list = new List<PublicationOption>();
        while (await reader.ReadAsync(ct))
        {
            list.Add(new PublicationOption(reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetInt32(3),
                reader.IsDBNull(2) ? null : reader.GetString(2)));
        }

        return list;
    }

    /// <summary>The counts by type and side under the filters, and one page of the changes themselves.</summary>
    public async Task<ChangePage> PageAsync(Guid runId, ChangesQuery query, CancellationToken ct)
    {
        var where = Where(query, out var parameters);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(connection);
        var counts = new NpgsqlBatchCommand($"SELECT c.change_type, c.cause, count(*)::int FROM data_changes c WHERE c.run_id = @run{where} GROUP BY 1, 2");
        // The page's ids are sorted first and the wide rows (before, after) read only for them: a deep page then sorts
        // narrow tuples, not every change of the run with its JSON.
        var rows = new NpgsqlBatchCommand(
            $"""
            WITH page AS (
                SELECT c.id, array_position(@type_order, c.change_type) AS type_rank, c.name
                FROM data_changes c WHERE c.run_id = @run{where}
                ORDER BY {Order} LIMIT @limit OFFSET @offset)
            SELECT {Columns} FROM page p JOIN data_changes c ON c.id = p.id
            ORDER BY p.type_rank, p.name NULLS LAST, p.id
            """);
        foreach (var command in (NpgsqlBatchCommand[])[counts, rows])
        {
            command.Parameters.AddWithValue("run", runId);
            foreach (var p in parameters())
            {
                command.Parameters.Add(p);
            }

            batch.BatchCommands.Add(command);
        }

        rows.Parameters.Add(TypeOrder());
        rows.Parameters.AddWithValue("limit", query.PerPage);
        rows.Parameters.AddWithValue("offset", (long)(query.Page - 1) * query.PerPage);

        await using var reader = await batch.ExecuteReaderAsync(ct);
        var countList = new List<ChangeCount>();
        while (await reader.ReadAsync(ct))
        {
            countList.Add(new ChangeCount(reader.GetString(0), reader.GetString(1), reader.GetInt32(2)));
        }

        await reader.NextResultAsync(ct);
        var changes = await ReadRowsAsync(reader, ct);
        countList.Sort((x, y) => Rank(x.ChangeType, ChangeTypes.All).CompareTo(Rank(y.ChangeType, ChangeTypes.All)) is var c and not 0
            ? c
            : Rank(x.Cause, ChangeCauses.All).CompareTo(Rank(y.Cause, ChangeCauses.All)));
        return new ChangePage(countList, countList.Sum(x => x.Count), changes);
    }

    /// <summary>The live run's changes that concern a SLOID or an OSM element (the stop card's "Changed since last run").</summary>
    public static NpgsqlBatchCommand StopChangesCommand(long stopId, int limit) => new(
        $"""
        SELECT {Columns}
        FROM data_changes c
        WHERE c.run_id = (SELECT run_id FROM dataset_publication LIMIT 1)
          AND (c.sloid = (SELECT sloid FROM stops_matched WHERE id = $1) OR c.osm_node_id = (SELECT osm_node_id FROM stops_matched WHERE id = $1))
        ORDER BY array_position($2, c.change_type), c.id
        LIMIT {limit}
        """)
    {
        Parameters =
        {
            new NpgsqlParameter { Value = stopId },
            new NpgsqlParameter { Value = ChangeTypes.All.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
        },
    };

    /// <summary>
    /// The feed of one operator's or canton's changes: the latest <see cref="RecentPublications"/> publications with
    /// changes in the scope, newest first, each with its counts and its first <see cref="FeedEntryChanges"/> changes.
    /// </summary>
    public async Task<IReadOnlyList<FeedRun>> FeedAsync(FeedScope scope, CancellationToken ct)
    {
        // The column comes from a closed set, never from the request.
        var column = scope.Kind == FeedScope.Operator ? "atlas_operator" : "canton";
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var runs = new List<(Guid Run, DateTimeOffset PublishedAt, List<ChangeCount> Counts)>();
        await using (var command = new NpgsqlCommand(
            $"""
            WITH scoped AS (
                SELECT c.run_id, c.change_type, c.cause, count(*)::int AS n
                FROM data_changes c WHERE c.{column} = @key GROUP BY 1, 2, 3),
            runs AS (
                SELECT h.run_id, h.published_at FROM publication_history h
                WHERE h.published_at IS NOT NULL AND h.run_id IN (SELECT run_id FROM scoped)
                ORDER BY h.published_at DESC LIMIT {RecentPublications})
            SELECT r.run_id, r.published_at, s.change_type, s.cause, s.n
            FROM runs r JOIN scoped s ON s.run_id = r.run_id
            ORDER BY r.published_at DESC, r.run_id
            """, connection))
        {
            command.Parameters.AddWithValue("key", scope.Key);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var run = reader.GetGuid(0);
                if (runs.Count == 0 || runs[^1].Run != run)
                {
                    runs.Add((run, reader.GetFieldValue<DateTimeOffset>(1), []));
                }

                runs[^1].Counts.Add(new ChangeCount(reader.GetString(2), reader.GetString(3), reader.GetInt32(4)));
            }
        }

        var firsts = new Dictionary<Guid, List<ChangeRow>>();
        if (runs.Count > 0)
        {
            await using var command = new NpgsqlCommand(
                $"""
                SELECT r.run_id, x.*
                FROM unnest(@runs) AS r(run_id)
                CROSS JOIN LATERAL (
                    SELECT {Columns} FROM data_changes c
                    WHERE c.run_id = r.run_id AND c.{column} = @key
                    ORDER BY {Order} LIMIT {FeedEntryChanges}) x
                """, connection);
            command.Parameters.AddWithValue("key", scope.Key);
            command.Parameters.AddWithValue("runs", runs.Select(r => r.Run).ToArray());
            command.Parameters.Add(TypeOrder());
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var run = reader.GetGuid(0);
                if (!firsts.TryGetValue(run, out var list))
                {
                    firsts[run] = list = [];
                }

                list.Add(ReadRow(reader, 1));
            }
        }

        return [.. runs.Select(r => new FeedRun(r.Run, r.PublishedAt, Sorted(r.Counts), firsts.GetValueOrDefault(r.Run) ?? []))];
    }

    /// <summary>When the latest publication went live; null before the first.</summary>
    public async Task<(Guid Run, DateTimeOffset PublishedAt)?> LatestPublicationAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT run_id, published_at FROM publication_history WHERE published_at IS NOT NULL ORDER BY published_at DESC LIMIT 1");
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1)) : null;
    }

    internal static async Task<List<ChangeRow>> ReadRowsAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var rows = new List<ChangeRow>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(ReadRow(reader, 0));
        }

        return rows;
    }

    private static ChangeRow ReadRow(NpgsqlDataReader r, int o) => new(
        r.GetInt64(o), r.GetString(o + 1), r.GetString(o + 2), Text(r, o + 3), Text(r, o + 4), Text(r, o + 5), Text(r, o + 6),
        Text(r, o + 7), Text(r, o + 8), r.IsDBNull(o + 9) ? null : r.GetDouble(o + 9), r.IsDBNull(o + 10) ? null : r.GetDouble(o + 10),
        Text(r, o + 11), Json(r, o + 12), Json(r, o + 13), r.IsDBNull(o + 14) ? null : r.GetInt32(o + 14),
        r.IsDBNull(o + 15) ? null : r.GetFieldValue<DateTimeOffset>(o + 15), Text(r, o + 16),
        r.IsDBNull(o + 17) ? null : r.GetDateTime(o + 17));

    private static string? Text(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static JsonElement? Json(NpgsqlDataReader r, int i)
    {
        if (r.IsDBNull(i))
        {
            return null;
        }

        using var document = JsonDocument.Parse(r.GetString(i));
        return document.RootElement.Clone();
    }

    private static NpgsqlParameter TypeOrder() =>
        new("type_order", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = ChangeTypes.All.ToArray() };

    private static int Rank(string value, IReadOnlyList<string> order)
    {
        for (var i = 0; i < order.Count; i++)
        {
            if (order[i] == value)
            {
                return i;
            }
        }

        return order.Count;
    }

    private static List<ChangeCount> Sorted(List<ChangeCount> counts) =>
        [.. counts.OrderBy(c => Rank(c.ChangeType, ChangeTypes.All)).ThenBy(c => Rank(c.Cause, ChangeCauses.All))];

    // Only the active filters become conditions, so that each combination gets a plan that uses the matching index.
    private static string Where(ChangesQuery query, out Func<IEnumerable<NpgsqlParameter>> parameters)
    {
        var conditions = new List<string>();
        var values = new List<(string Name, string[] Values)>();
        void Add(string column, string name, IReadOnlyList<string> list)
        {
            if (list.Count == 0)
            {
                return;
            }

            conditions.Add($" AND c.{column} = ANY(@{name})");
            values.Add((name, [.. list]));
        }

        Add("change_type", "types", query.Types);
        Add("cause", "sides", query.Sides);
        Add("atlas_operator", "operators", query.AtlasOperators);
        Add("canton", "cantons", query.Cantons);
        // Fresh parameter objects for each command: a parameter belongs to one collection.
        parameters = () => values.Select(v => new NpgsqlParameter(v.Name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = v.Values });
        return string.Concat(conditions);
    }
}

/// <summary>What one feed follows: the changes of one ATLAS operator or of one canton.</summary>
public sealed record FeedScope(string Kind, string Key)
{
    public const string Operator = "atlas_operator";
    public const string Canton = "canton";
}

/// <summary>One publication with changes in a feed's scope.</summary>
public sealed record FeedRun(Guid RunId, DateTimeOffset PublishedAt, IReadOnlyList<ChangeCount> Counts, IReadOnlyList<ChangeRow> FirstChanges)
{
    public int Total => Counts.Sum(c => c.Count);
}
