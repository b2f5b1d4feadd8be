using Microsoft.EntityFrameworkCore;
using Npgsql;
using StopSync.Data;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Web.Data;

[CollectionDefinition(Name)]
public sealed class AnalyticsGroup : ICollectionFixture<AnalyticsFixture>
{
    public const string Name = "analytics";
}

/// <summary>
/// Two migrated databases with the web app on each: one with three published publications and their statistics
/// rows (inserted as the jobs host writes them), a fourth whose swap has not happened yet and operator and canton
/// rows beside them; one where nothing has been published.
/// </summary>
public sealed class AnalyticsFixture : IAsyncLifetime
{
    public static readonly Guid FirstRun = Guid.Parse("00000000-0000-0000-0000-00000000a001");
    public static readonly Guid SecondRun = Guid.Parse("00000000-0000-0000-0000-00000000a002");
    public static readonly Guid LiveRun = Guid.Parse("00000000-0000-0000-0000-00000000a003");

    /// <summary>Written before its swap and not published (yet): never part of the figures or the trend.</summary>
    public static readonly Guid UnpublishedRun = Guid.Parse("00000000-0000-0000-0000-00000000a004");

    public static readonly DateTimeOffset LivePublishedAt = new(2026, 12, 3, 5, 10, 0, TimeSpan.Zero);

    /// <summary>The live publication's details, as the statistics writer stores them (docs/10-history.md, "Statistics").</summary>
    public const string LiveDetails = """
        {
          "match_methods": [
            {"method": "exact", "count": 9100, "distance_mean": 4.2, "distance_median": 3.1, "distance_p95": 12.5},
            {"method": "distance_1", "count": 1200, "distance_mean": 18.4, "distance_median": 15, "distance_p95": 41.7},
            {"method": "name", "count": 300, "distance_mean": null, "distance_median": null, "distance_p95": null}
          ],
          "unmatched": {"atlas_isolated": 410, "atlas_with_counterpart_nearby": 190, "osm_isolated": 720, "osm_with_counterpart_nearby": 80},
          "problem_types": [
            {"type": "distance", "total": 900, "p1": 120, "p2": 500, "p3": 280},
            {"type": "<b>attributes</b>", "total": 450, "p1": 0, "p2": 200, "p3": 250}
          ],
          "stop_units": [{"kind": "single", "count": 7400}, {"kind": "osm_pair_uic", "count": 650}],
          "within_50m": 10050
        }
        """;

    private readonly string _prefix = $"stopsync-test:{Guid.NewGuid():N}:";
    private TestDatabase? _database;
    private TestDatabase? _emptyDatabase;
    private StopSyncAppFactory? _factory;
    private StopSyncAppFactory? _emptyFactory;

    public string ConnectionString => _database!.ConnectionString;
    public string Prefix => _prefix;
    internal StopSyncAppFactory Factory => _factory!;

    /// <summary>The site before the first publication.</summary>
    internal StopSyncAppFactory EmptyFactory => _emptyFactory!;

    public async Task InitializeAsync()
    {
        _database = await MigratedDatabaseAsync();
        _emptyDatabase = await MigratedDatabaseAsync();
        await using (var connection = new NpgsqlConnection(_database.ConnectionString))
        {
            await connection.OpenAsync();
            await SeedAsync(connection);
        }

        _factory = new StopSyncAppFactory(StopSyncAppFactory.DefaultSettings(_database.ConnectionString, _prefix + "a:"));
        _emptyFactory = new StopSyncAppFactory(StopSyncAppFactory.DefaultSettings(_emptyDatabase.ConnectionString, _prefix + "b:"));
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (_emptyFactory is not null)
        {
            await _emptyFactory.DisposeAsync();
        }

        await IntegrationFixture.DeleteRedisKeysAsync(_prefix);
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        if (_emptyDatabase is not null)
        {
            await _emptyDatabase.DisposeAsync();
        }
    }

    private static async Task<TestDatabase> MigratedDatabaseAsync()
    {
        var database = await TestDatabase.CreateAsync();
        await using var db = new StopSyncDbContext(new DbContextOptionsBuilder<StopSyncDbContext>()
            .UseNpgsql(database.ConnectionString, o => o.UseNetTopologySuite())
            .UseSnakeCaseNamingConvention()
            .Options);
        await db.Database.MigrateAsync();
        return database;
    }

    private static async Task SeedAsync(NpgsqlConnection connection)
    {
        await ExecuteAsync(connection, "INSERT INTO dataset_publication (id, run_id, published_at, manifest) VALUES (1, $1, $2, '{}')", LiveRun, LivePublishedAt);
        // Inserted out of time order, so that the trend's order comes from published_at, not from the insertion.
        await HistoryAsync(connection, LiveRun, LivePublishedAt);
        await HistoryAsync(connection, FirstRun, LivePublishedAt.AddDays(-2));
        await HistoryAsync(connection, UnpublishedRun, null);
        await HistoryAsync(connection, SecondRun, LivePublishedAt.AddDays(-1));

        await StatisticsAsync(connection, LiveRun, "all", "", null, [12000, 10600, 800, 600, 11500, 10700, 800, 1350, 120, 700, 530], LiveDetails);
        await StatisticsAsync(connection, FirstRun, "all", "", null, [11900, 9520, 700, 1680, 11300, 9600, 1700, 2000, 300, 1000, 700], "{}");
        await StatisticsAsync(connection, SecondRun, "all", "", null, [11950, 10000, 760, 1190, 11400, 10100, 1300, 1600, 200, 850, 550], "{}");
        await StatisticsAsync(connection, UnpublishedRun, "all", "", null, [1, 1, 0, 0, 1, 1, 0, 99, 99, 0, 0], "{}");
        await StatisticsAsync(connection, LiveRun, "operator", "SBB", "Schweizerische Bundesbahnen SBB", [3000, 2900, 50, 50, 2950, 2900, 0, 200, 20, 100, 80], "{}");
        await StatisticsAsync(connection, FirstRun, "operator", "SBB", "Schweizerische Bundesbahnen SBB", [2990, 2800, 40, 150, 2850, 2800, 0, 260, 40, 130, 90], "{}");
        await StatisticsAsync(connection, LiveRun, "canton", "ZH", "Zürich", [2500, 2300, 100, 100, 2400, 2350, 50, 150, 10, 80, 60], "{}");
    }

    private static Task HistoryAsync(NpgsqlConnection connection, Guid runId, DateTimeOffset? publishedAt) =>
        ExecuteAsync(connection,
            "INSERT INTO publication_history (run_id, bundle_run_id, generated_at, engine_version, published_at, change_counts) " +
            "VALUES ($1, $1, $2, 'test', $3, '{}')",
            runId, (publishedAt ?? LivePublishedAt.AddHours(1)).AddMinutes(-30), (object?)publishedAt ?? DBNull.Value);

    /// <param name="figures">atlas_platforms, atlas_matched, atlas_effectively_matched, atlas_unmatched, osm_nodes,
    /// osm_matched, osm_unmatched, problems, problems_p1, problems_p2, problems_p3.</param>
    private static Task StatisticsAsync(NpgsqlConnection connection, Guid runId, string kind, string key, string? name, int[] figures, string details) =>
        ExecuteAsync(connection,
            "INSERT INTO publication_statistics (run_id, scope_kind, scope_key, scope_name, atlas_platforms, atlas_matched, " +
            "atlas_effectively_matched, atlas_unmatched, osm_nodes, osm_matched, osm_unmatched, problems, problems_p1, problems_p2, " +
            "problems_p3, details) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16::jsonb)",
            [runId, kind, key, (object?)name ?? DBNull.Value, .. figures.Cast<object>(), details]);

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, params object?[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        await command.ExecuteNonQueryAsync();
    }
}
