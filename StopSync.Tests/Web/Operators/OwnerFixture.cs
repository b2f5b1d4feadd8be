using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using StopSync.Jobs.Demo;
using StopSync.Jobs.Runs;
using StopSync.Jobs.Sources;
using StopSync.Tests.Infrastructure;
using StopSync.Tests.Jobs.Runs;

namespace StopSync.Tests.Web.Operators;

[CollectionDefinition(Name)]
public sealed class OwnerGroup : ICollectionFixture<OwnerFixture>
{
    public const string Name = "owners";
}

/// <summary>
/// A database of its own with the demo dataset published by a real pipeline run, then seeded as a data owner's history
/// would leave it: three earlier publications (and one never published) with statistics of the largest operator and of
/// its canton, review decisions on two of the operator's problems, the live run's changes, and an operator whose ATLAS
/// name is markup.
/// </summary>
public sealed class OwnerFixture : IAsyncLifetime
{
    public const string HostileName = "<script>alert('owner')</script> Transports";

    private TestDatabase? _database;

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("stopsync-owners-").FullName;
    public string HangfirePrefix { get; } = $"stopsync-test:{Guid.NewGuid():N}:";
    public string ConnectionString => _database!.ConnectionString;
    internal WebApplicationFactory<Program> Factory { get; private set; } = null!;

    /// <summary>The operator with the most platforms: history, decisions and changes are seeded for it.</summary>
    public string Operator { get; private set; } = "";

    /// <summary>The canton with the most of that operator's platforms.</summary>
    public string Canton { get; private set; } = "";

    /// <summary>The operator renamed to <see cref="HostileName"/>: the smallest with a problem.</summary>
    public string HostileOperator { get; private set; } = "";

    /// <summary>The seeded publications with their times, oldest first; the unpublished one is not among them.</summary>
    public IReadOnlyList<(Guid RunId, DateTimeOffset PublishedAt, int Platforms, int Matched, int P1, int P2, int P3)> History { get; private set; } = [];

    public Guid UnpublishedRun { get; } = Guid.NewGuid();

    /// <summary>The live run: its publication wrote its own statistics rows, so the trends end with it.</summary>
    public Guid LiveRun { get; private set; }

    /// <summary>The runs the trend tables list, oldest first: the seeded history, then the live publication.</summary>
    public IReadOnlyList<string> TrendRunIds => [.. History.Select(h => h.RunId.ToString()), LiveRun.ToString()];

    public async Task InitializeAsync()
    {
        _database = await HeldRunFixture.CreateMigratedDatabaseAsync();
        var demo = Path.Combine(Directory, "demo");
        DatasetGenerator.Generate(demo);
        await using (var services = PipelineServices.Create(ConnectionString, Path.Combine(demo, SourceFileNames.Atlas),
            Path.Combine(demo, SourceFileNames.Osm), Path.Combine(demo, SourceFileNames.Gtfs), HangfirePrefix + "pipeline:"))
        {
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<PipelineRunner>().RunAsync("test", CancellationToken.None);
        }

        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await SeedAsync(connection);
        }

        Factory = new StopSyncAppFactory(StopSyncAppFactory.DefaultSettings(ConnectionString, HangfirePrefix));
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await IntegrationFixture.DeleteRedisKeysAsync(HangfirePrefix);
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task<List<object?[]>> RowsAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var rows = new List<object?[]>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    private async Task SeedAsync(NpgsqlConnection connection)
    {
        Operator = (string)(await Scalar(connection, """
            SELECT atlas_business_org_abbr FROM atlas_stops WHERE atlas_business_org_abbr IS NOT NULL
            GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1
            """))!;
        Canton = (string)(await Scalar(connection, """
            SELECT canton FROM stops_matched WHERE atlas_operator = @op AND canton IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1
            """, ("op", Operator)))!;
        HostileOperator = (string)(await Scalar(connection, """
            SELECT a.atlas_business_org_abbr FROM atlas_stops a
            WHERE a.atlas_business_org_abbr IS NOT NULL AND a.atlas_business_org_abbr <> @op
              AND EXISTS (SELECT 1 FROM problems p JOIN stops_matched s ON s.id = p.stop_id WHERE s.atlas_operator = a.atlas_business_org_abbr)
            GROUP BY 1 ORDER BY count(*), 1 LIMIT 1
            """, ("op", Operator)))!;
        await Execute(connection, "UPDATE atlas_stops SET atlas_business_org_name = @name WHERE atlas_business_org_abbr = @op",
            ("name", HostileName), ("op", HostileOperator));

        var liveRun = (Guid)(await Scalar(connection, "SELECT run_id FROM dataset_publication"))!;
        LiveRun = liveRun;
        var now = DateTimeOffset.UtcNow;
        var history = new List<(Guid, DateTimeOffset, int, int, int, int, int)>();
        for (var i = 0; i < 3; i++)
        {
            var run = Guid.NewGuid();
            var at = new DateTimeOffset(now.Year, now.Month, now.Day, 6, 0, 0, TimeSpan.Zero).AddDays(i - 5);
            history.Add((run, at, 100 + i, 60 + (10 * i), 9 - i, 5 + i, 3));
        }

        History = history;
        foreach (var (run, at, _, _, _, _, _) in history)
        {
            await InsertHistory(connection, run, at);
        }

        await InsertHistory(connection, UnpublishedRun, null);
        foreach (var (run, _, platforms, matched, p1, p2, p3) in history)
        {
            await InsertStatistics(connection, run, "operator", Operator, platforms, matched, p1, p2, p3);
            await InsertStatistics(connection, run, "canton", Canton, platforms * 2, matched * 2, p1 * 2, p2 * 2, p3 * 2);
        }

        await InsertStatistics(connection, UnpublishedRun, "operator", Operator, 999, 999, 99, 99, 99);

        // The live run's history row (recorded by the publication) points at the last seeded one; its changes for the operator.
        await Execute(connection, """
            INSERT INTO publication_history (run_id, previous_run_id, bundle_run_id, generated_at, engine_version, published_at, change_counts)
            SELECT run_id, @previous, run_id, published_at, 'test', published_at, '{}'::jsonb FROM dataset_publication
            ON CONFLICT (run_id) DO UPDATE SET previous_run_id = @previous, no_comparison_reason = NULL,
                published_at = coalesce(publication_history.published_at, EXCLUDED.published_at)
            """, ("previous", history[^1].Item1));
        await Execute(connection, "DELETE FROM data_changes WHERE run_id = @run", ("run", liveRun));
        await Execute(connection, """
            INSERT INTO data_changes (run_id, change_type, cause, sloid, atlas_operator, canton)
            SELECT @run, t.change_type, t.cause, s.sloid, s.atlas_operator, s.canton
            FROM (VALUES ('match_gained', 'osm', 0), ('match_gained', 'osm', 1), ('problem_opened', 'atlas', 2)) AS t(change_type, cause, n)
            JOIN LATERAL (SELECT sloid, atlas_operator, canton FROM stops_matched WHERE atlas_operator = @op AND sloid IS NOT NULL
                          ORDER BY id OFFSET t.n LIMIT 1) s ON TRUE
            """, ("run", liveRun), ("op", Operator));

        // Two decisions on the operator's problems: one decided, one needing another look.
        await Execute(connection, """
            INSERT INTO review.decisions (problem_key, problem_type, sloids, osm_ids, kind, evidence, state, state_changed_at,
                atlas_operator, canton, decided_by_id, decided_by_name, decided_at, revision)
            SELECT p.problem_key, p.problem_type, ARRAY[s.sloid], ARRAY[]::text[], 'not_a_problem', '{}'::jsonb,
                   CASE WHEN row_number() OVER (ORDER BY p.id) = 1 THEN 'decided' ELSE 'needs_another_look' END, now(),
                   s.atlas_operator, s.canton, 'test', 'test', now(), 1
            FROM problems p JOIN stops_matched s ON s.id = p.stop_id
            WHERE s.atlas_operator = @op AND p.problem_key IS NOT NULL
            ORDER BY p.id LIMIT 2
            """, ("op", Operator));
    }

    private static async Task InsertHistory(NpgsqlConnection connection, Guid run, DateTimeOffset? publishedAt) =>
        await Execute(connection, """
            INSERT INTO publication_history (run_id, bundle_run_id, generated_at, engine_version, published_at, change_counts)
            VALUES (@run, @run, @generated, 'test', @published, '{}'::jsonb)
            """, ("run", run), ("generated", (publishedAt ?? DateTimeOffset.UtcNow).AddMinutes(-5)), ("published", (object?)publishedAt ?? DBNull.Value));

    private static async Task InsertStatistics(NpgsqlConnection connection, Guid run, string kind, string key, int platforms, int matched, int p1, int p2, int p3) =>
        await Execute(connection, """
            INSERT INTO publication_statistics (run_id, scope_kind, scope_key, atlas_platforms, atlas_matched, atlas_effectively_matched,
                atlas_unmatched, osm_nodes, osm_matched, osm_unmatched, problems, problems_p1, problems_p2, problems_p3, details)
            VALUES (@run, @kind, @key, @platforms, @matched, 0, @platforms - @matched, 0, 0, 0, @p1 + @p2 + @p3, @p1, @p2, @p3, '{}'::jsonb)
            """, ("run", run), ("kind", kind), ("key", key), ("platforms", platforms), ("matched", matched), ("p1", p1), ("p2", p2), ("p3", p3));

    private static async Task<object?> Scalar(NpgsqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteScalarAsync();
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }
}
