using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using StopSync.Data;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Web.Changes;

[CollectionDefinition(Name)]
public sealed class ChangesGroup : ICollectionFixture<ChangesFixture>
{
    public const string Name = "changes";
}

/// <summary>
/// A migrated database of its own with four runs in <c>publication_history</c> and their <c>data_changes</c>, seeded by
/// SQL as the engine will leave them: the first publication (not compared), a second one, the live third one, and a
/// fourth written but never published (its rows must never show). A few stop rows let the stop card find the live
/// run's changes of a SLOID and of an OSM way.
/// </summary>
public sealed class ChangesFixture : IAsyncLifetime
{
    public static readonly Guid FirstRun = Guid.Parse("11111111-1111-4111-8111-111111111111");
    public static readonly Guid SecondRun = Guid.Parse("22222222-2222-4222-8222-222222222222");
    public static readonly Guid LiveRun = Guid.Parse("33333333-3333-4333-8333-333333333333");
    public static readonly Guid PendingRun = Guid.Parse("44444444-4444-4444-8444-444444444444");

    public static readonly DateTimeOffset FirstPublished = new(2026, 12, 1, 5, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset SecondPublished = new(2026, 12, 2, 5, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset LivePublished = new(2026, 12, 3, 5, 0, 0, TimeSpan.Zero);

    /// <summary>An OSM name the live run brought: markup and an ampersand, which every output must escape.</summary>
    public const string HostileName = "<script>&";

    public const string Sloid = "ch:1:sloid:3000:0:1";
    public const string OsmNode = "1001";
    public const string OsmWay = "way_45";
    public const long MatchedRow = 1;
    public const long WayRow = 2;
    public const long QuietRow = 3;

    /// <summary>atlas_added rows of operator BULK in Genève, for paging.</summary>
    public const int BulkChanges = 130;

    private TestDatabase? _database;

    public string HangfirePrefix { get; } = $"stopsync-test:{Guid.NewGuid():N}:";
    public string ConnectionString => _database!.ConnectionString;
    internal WebApplicationFactory<Program> Factory { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await CreateMigratedDatabaseAsync();
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
    }

    internal static async Task<TestDatabase> CreateMigratedDatabaseAsync()
    {
        var database = await TestDatabase.CreateAsync();
        await using var db = new StopSyncDbContext(new DbContextOptionsBuilder<StopSyncDbContext>()
            .UseNpgsql(database.ConnectionString, o => o.UseNetTopologySuite()).UseSnakeCaseNamingConvention().Options);
        await db.Database.MigrateAsync();
        return database;
    }

    /// <summary>Runs <paramref name="sql"/> on the fixture's database and returns the first column of every row.</summary>
    public async Task<List<T>> ColumnAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var values = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetFieldValue<T>(0));
        }

        return values;
    }

    private static async Task SeedAsync(NpgsqlConnection c)
    {
        await ExecuteAsync(c,
            """
            INSERT INTO atlas_stops (sloid, uic_ref, atlas_designation, atlas_designation_official, atlas_business_org_abbr, lat, lon, canton)
            VALUES ('ch:1:sloid:3000:0:1', '8503000', '1', 'Zürich HB', 'SBB', 47.378, 8.54, 'ZH'),
                   ('ch:1:sloid:9999:0:1', '8509999', '1', 'Nirgendwo', 'PAG', 46.1, 7.1, 'GR');
            INSERT INTO osm_nodes (osm_node_id, element_type, lat, lon, name, osm_node_type, tags)
            VALUES ('1001', 'node', 47.37802, 8.54003, '<script>&', 'platform', '{"name": "<script>&", "public_transport": "platform"}'),
                   ('way_45', 'way', 46.95, 7.44, 'Bern Way', 'platform', '{"name": "Bern Way", "railway": "platform"}');
            INSERT INTO stops_matched (id, sloid, stop_type, match_type, atlas_lat, atlas_lon, osm_node_id, osm_lat, osm_lon, distance_m, geom, canton, has_atlas_duplicate)
            VALUES (1, 'ch:1:sloid:3000:0:1', 'matched', 'exact', 47.378, 8.54, '1001', 47.37802, 8.54003, 3.2, ST_SetSRID(ST_MakePoint(8.54, 47.378), 4326), 'ZH', false),
                   (2, NULL, 'osm_unmatched', NULL, NULL, NULL, 'way_45', 46.95, 7.44, NULL, ST_SetSRID(ST_MakePoint(7.44, 46.95), 4326), 'BE', false),
                   (3, 'ch:1:sloid:9999:0:1', 'atlas_unmatched', NULL, 46.1, 7.1, NULL, NULL, NULL, NULL, ST_SetSRID(ST_MakePoint(7.1, 46.1), 4326), 'GR', false);
            """);

        await RunAsync(c, FirstRun, null, FirstPublished, "this is the first publication");
        await RunAsync(c, SecondRun, FirstRun, SecondPublished, null);
        await RunAsync(c, LiveRun, SecondRun, LivePublished, null);
        await RunAsync(c, PendingRun, LiveRun, null, null);
        await using (var live = new NpgsqlCommand("INSERT INTO dataset_publication (id, run_id, published_at, manifest) VALUES (1, @run, @at, '{}')", c))
        {
            live.Parameters.AddWithValue("run", LiveRun);
            live.Parameters.AddWithValue("at", LivePublished);
            await live.ExecuteNonQueryAsync();
        }

        // The live run: every kind of change on the stops above, and more elsewhere.
        await ChangeAsync(c, LiveRun, "match_gained", "matching", Sloid, OsmNode, "SBB", "ZH", "Zürich HB",
            before: null, after: """{"osm_node_id": "1001", "match_type": "exact"}""");
        await ChangeAsync(c, LiveRun, "osm_edited", "osm", null, OsmNode, "SBB", "ZH", "Zürich HB",
            before: """{"tags": {"name": "Zürich HB"}}""", after: """{"tags": {"name": "<script>&"}}""",
            osmVersion: 12, osmUser: "anna", osmTimestamp: new DateTimeOffset(2026, 12, 2, 14, 30, 0, TimeSpan.Zero));
        await ChangeAsync(c, LiveRun, "atlas_edited", "atlas", Sloid, null, "SBB", "ZH", "Zürich HB",
            before: """{"designation": "1"}""", after: """{"designation": "1A"}""", atlasEdition: new DateTime(2026, 12, 1, 23, 0, 0, DateTimeKind.Utc));
        await ChangeAsync(c, LiveRun, "problem_opened", "both", "ch:1:sloid:7000:0:1", "2001", "BLS", "BE", "Bern", problemType: "distance");
        await ChangeAsync(c, LiveRun, "osm_added", "osm", null, OsmWay, null, "BE", "Bern Way", after: """{"name": "Bern Way"}""", osmVersion: 1, osmUser: "bob");
        await ChangeAsync(c, LiveRun, "problem_closed", "osm", null, OsmWay, null, "BE", "Bern Way", problemType: "unmatched");
        await ChangeAsync(c, LiveRun, "match_lost", "atlas", "ch:1:sloid:8000:0:1", "5005", "PAG", "GR", "Chur Süd");
        await ExecuteAsync(c,
            $"""
            INSERT INTO data_changes (run_id, change_type, cause, sloid, atlas_operator, canton, name, after)
            SELECT '{LiveRun:D}', 'atlas_added', 'atlas', 'ch:1:sloid:5000:0:' || g, 'BULK', 'GE', 'Bulk ' || lpad(g::text, 3, '0'),
                   jsonb_build_object('designation', g::text)
            FROM generate_series(1, {BulkChanges}) g
            """);

        // The second run: two changes of SBB.
        await ChangeAsync(c, SecondRun, "osm_removed", "osm", null, "2002", "SBB", "ZH", "Zürich Altstetten", before: """{"name": "Zürich Altstetten"}""");
        await ChangeAsync(c, SecondRun, "problem_changed", "matching", "ch:1:sloid:3000:0:2", null, "SBB", "ZH", "Zürich HB", problemType: "attributes",
            before: """{"priority": 2}""", after: """{"priority": 1}""");

        // Never published: nothing of it may show anywhere.
        await ChangeAsync(c, PendingRun, "atlas_removed", "atlas", Sloid, OsmNode, "SBB", "ZH", "Pending change");

        await ExecuteAsync(c,
            """
            UPDATE publication_history h SET change_counts = coalesce((
                SELECT jsonb_object_agg(change_type, causes) FROM (
                    SELECT change_type, jsonb_object_agg(cause, n) AS causes
                    FROM (SELECT change_type, cause, count(*) AS n FROM data_changes WHERE run_id = h.run_id GROUP BY 1, 2) x
                    GROUP BY 1) y), '{}')
            """);
    }

    private static async Task RunAsync(NpgsqlConnection c, Guid run, Guid? previous, DateTimeOffset? publishedAt, string? reason)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO publication_history (run_id, previous_run_id, bundle_run_id, generated_at, engine_version, published_at, no_comparison_reason, change_counts)
            VALUES (@run, @previous, @run, @generated, 'test', @published, @reason, '{}')
            """, c);
        command.Parameters.AddWithValue("run", run);
        command.Parameters.Add(new NpgsqlParameter("previous", NpgsqlDbType.Uuid) { Value = (object?)previous ?? DBNull.Value });
        command.Parameters.AddWithValue("generated", (publishedAt ?? LivePublished.AddHours(24)).AddMinutes(-30));
        command.Parameters.Add(new NpgsqlParameter("published", NpgsqlDbType.TimestampTz) { Value = (object?)publishedAt ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("reason", NpgsqlDbType.Text) { Value = (object?)reason ?? DBNull.Value });
        await command.ExecuteNonQueryAsync();
    }

    private static async Task ChangeAsync(
        NpgsqlConnection c, Guid run, string type, string cause, string? sloid, string? osm, string? atlasOperator, string? canton, string? name,
        string? before = null, string? after = null, string? problemType = null, int? osmVersion = null, string? osmUser = null,
        DateTimeOffset? osmTimestamp = null, DateTime? atlasEdition = null)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO data_changes (run_id, change_type, cause, sloid, osm_node_id, atlas_operator, canton, name, before, after,
                                      problem_type, problem_key, osm_version, osm_user, osm_timestamp, atlas_edition_date, lat, lon)
            VALUES (@run, @type, @cause, @sloid, @osm, @operator, @canton, @name, @before, @after, @problem,
                    CASE WHEN @problem IS NULL THEN NULL ELSE md5(coalesce(@sloid, @osm) || @problem) END, @version, @user, @timestamp, @edition, 47.0, 8.0)
            """, c);
        command.Parameters.AddWithValue("run", run);
        command.Parameters.AddWithValue("type", type);
        command.Parameters.AddWithValue("cause", cause);
        command.Parameters.Add(Text("sloid", sloid));
        command.Parameters.Add(Text("osm", osm));
        command.Parameters.Add(Text("operator", atlasOperator));
        command.Parameters.Add(Text("canton", canton));
        command.Parameters.Add(Text("name", name));
        command.Parameters.Add(new NpgsqlParameter("before", NpgsqlDbType.Jsonb) { Value = (object?)before ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("after", NpgsqlDbType.Jsonb) { Value = (object?)after ?? DBNull.Value });
        command.Parameters.Add(Text("problem", problemType));
        command.Parameters.Add(new NpgsqlParameter("version", NpgsqlDbType.Integer) { Value = (object?)osmVersion ?? DBNull.Value });
        command.Parameters.Add(Text("user", osmUser));
        command.Parameters.Add(new NpgsqlParameter("timestamp", NpgsqlDbType.TimestampTz) { Value = (object?)osmTimestamp ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("edition", NpgsqlDbType.TimestampTz) { Value = (object?)atlasEdition ?? DBNull.Value });
        await command.ExecuteNonQueryAsync();
    }

    private static NpgsqlParameter Text(string name, string? value) => new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };

    private static async Task ExecuteAsync(NpgsqlConnection c, string sql)
    {
        await using var command = new NpgsqlCommand(sql, c);
        await command.ExecuteNonQueryAsync();
    }
}
