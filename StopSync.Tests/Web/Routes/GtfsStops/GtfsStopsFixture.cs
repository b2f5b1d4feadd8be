using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using StopSync.Data;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Web.Routes.GtfsStops;

[CollectionDefinition(Name)]
public sealed class GtfsStopsGroup : ICollectionFixture<GtfsStopsFixture>
{
    public const string Name = "gtfs-stops";
}

/// <summary>
/// A migrated database of its own with hand-made ATLAS platforms and GTFS stops (one per resolution method, a 1→N
/// resolution, a station, a stop named with markup) and, in a box of their own, enough stops to exceed a small limit on
/// both sides, with the web app on it. The GTFS stops are seeded by SQL, as the pipeline would publish them.
/// </summary>
public sealed class GtfsStopsFixture : IAsyncLifetime
{
    public const string XssName = "<img src=x onerror=alert(1)>";

    // Zürich HB: platform 1 by original_stop_id (stop named with markup), 2 by UIC + platform, 3 by proximity; platform 4
    // reached by no stop_id; a GTFS platform 7 ATLAS does not have; the station itself.
    public const string ZurichSloid1 = "ch:1:sloid:3000:0:1";
    public const string ZurichSloid2 = "ch:1:sloid:3000:0:2";
    public const string ZurichSloid3 = "ch:1:sloid:3000:0:3";
    public const string ZurichSloid4 = "ch:1:sloid:3000:0:4";
    public const string ZurichUic = "8503000";
    public const string ZurichStop1 = "8503000:0:1";
    public const string ZurichStop2 = "8503000:0:2";
    public const string ZurichStop3 = "8503000:0:3";
    public const string ZurichStop7 = "8503000:0:7";
    public const string ZurichStation = "8503000P";

    // Bern: two ATLAS rows of one platform (a duplicate), both reached by one stop_id.
    public const string BernSloidA = "ch:1:sloid:7000:0:1";
    public const string BernSloidB = "ch:1:sloid:7000:0:9";
    public const string BernStop = "8507000:0:A";

    // Chur: the only ATLAS platform of its number.
    public const string ChurSloid = "ch:1:sloid:2000:0:1";
    public const string ChurStop = "8502000:0:5";

    /// <summary>min_lat, min_lon, max_lat, max_lon around Zürich HB.</summary>
    public const string ZurichBox = "min_lat=47.37&min_lon=8.53&max_lat=47.39&max_lon=8.55";

    /// <summary>The bulk box (Ticino): <see cref="BulkGtfsMatched"/> + <see cref="BulkGtfsUnmatched"/> GTFS stops,
    /// <see cref="BulkAtlasMatched"/> + <see cref="BulkAtlasUnmatched"/> ATLAS platforms.</summary>
    public const string BulkBox = "min_lat=45.99&min_lon=8.99&max_lat=46.2&max_lon=9.1";

    public const int BulkGtfsMatched = 60;
    public const int BulkGtfsUnmatched = 20;
    public const int BulkAtlasMatched = 50;
    public const int BulkAtlasUnmatched = 30;

    /// <summary>A box (Valais) with more unresolved GTFS stops than the detail cap, and no ATLAS platform.</summary>
    public const string BigBox = "min_lat=46.19&min_lon=7.49&max_lat=46.31&max_lon=7.61";

    public const int BigGtfsCount = 5100;

    private TestDatabase? _database;

    public string Prefix { get; } = $"stopsync-test:{Guid.NewGuid():N}:";
    public string ConnectionString => _database!.ConnectionString;
    internal StopSyncAppFactory Factory { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        await MigrateAsync(ConnectionString);
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await SeedAsync(connection);
        }

        Factory = new StopSyncAppFactory(StopSyncAppFactory.DefaultSettings(ConnectionString, Prefix));
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await IntegrationFixture.DeleteRedisKeysAsync(Prefix);
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    internal static async Task MigrateAsync(string connectionString)
    {
        await using var db = new StopSyncDbContext(new DbContextOptionsBuilder<StopSyncDbContext>()
            .UseNpgsql(connectionString, o => o.UseNetTopologySuite()).UseSnakeCaseNamingConvention().Options);
        await db.Database.MigrateAsync();
    }

    private static async Task SeedAsync(NpgsqlConnection c)
    {
        await AtlasAsync(c, ZurichSloid1, ZurichUic, "1", "Zürich HB", 47.37800, 8.54000);
        await AtlasAsync(c, ZurichSloid2, ZurichUic, "2", "Zürich HB", 47.37810, 8.54010);
        await AtlasAsync(c, ZurichSloid3, ZurichUic, "3", "Zürich HB", 47.37820, 8.54020);
        await AtlasAsync(c, ZurichSloid4, ZurichUic, "4", "Zürich HB", 47.37830, 8.54030);
        await AtlasAsync(c, BernSloidA, "8507000", "A", "Bern", 46.94880, 7.43910);
        await AtlasAsync(c, BernSloidB, "8507000", "A", "Bern", 46.94885, 7.43915);
        await AtlasAsync(c, ChurSloid, "8502000", "1", "Chur", 46.85300, 9.52900);

        await GtfsAsync(c, ZurichStop1, XssName, 47.37801, 8.54001, ZurichUic, "1", "platform", "original_stop_id", 1.0, null, [ZurichSloid1],
            originalStopId: ZurichSloid1);
        await GtfsAsync(c, ZurichStop2, "Zürich HB", 47.37812, 8.54012, ZurichUic, "2", "platform", "uic_platform", 0.95, null, [ZurichSloid2]);
        await GtfsAsync(c, ZurichStop3, "Zürich HB", 47.378202, 8.540202, ZurichUic, "3", "platform", "coordinate_proximity", 0.85, 0.3, [ZurichSloid3]);
        await GtfsAsync(c, ZurichStop7, "Zürich HB", 47.37840, 8.54040, ZurichUic, "7", "platform", "unmatched", 0.0, null, []);
        await GtfsAsync(c, ZurichStation, "Zürich HB", 47.37815, 8.54025, ZurichUic, null, "station", "unmatched", 0.0, null, [], locationType: "1");
        await GtfsAsync(c, BernStop, "Bern", 46.94882, 7.43912, "8507000", "A", "platform", "uic_platform", 0.95, null, [BernSloidA, BernSloidB]);
        await GtfsAsync(c, ChurStop, "Chur", 46.85320, 9.52920, "8502000", "5", "platform", "unique_number", 0.6, null, [ChurSloid]);

        // The bulk box: ATLAS k = 1..80 along a meridian, the first 50 reached; GTFS j = 1..60 resolved to platform
        // ((j-1) mod 50) + 1 beside it, j = 61..80 unresolved.
        await using var bulk = new NpgsqlCommand(
            """
            INSERT INTO atlas_stops (sloid, uic_ref, atlas_designation, atlas_designation_official, atlas_business_org_abbr, lat, lon)
            SELECT 'ch:1:sloid:6' || lpad(k::text, 3, '0') || ':0:1', '86' || lpad(k::text, 5, '0'), '1', 'Bulk ' || k, 'TST',
                   46.0 + k * 0.001, 9.0
            FROM generate_series(1, @atlas) k;
            INSERT INTO stops_matched (id, sloid, stop_type, atlas_lat, atlas_lon, geom)
            SELECT 100000 + k, 'ch:1:sloid:6' || lpad(k::text, 3, '0') || ':0:1', 'atlas_unmatched', 46.0 + k * 0.001, 9.0,
                   ST_SetSRID(ST_MakePoint(9.0, 46.0 + k * 0.001), 4326)
            FROM generate_series(1, @atlas) k;
            INSERT INTO gtfs_stops (stop_id, stop_name, lat, lon, geom, uic_number, identity_level, resolution_method, confidence, resolved_sloid, resolved_sloids)
            SELECT 'bulk:' || j, 'Bulk stop ' || j, 46.0 + k * 0.001 + 0.00002, 9.00002,
                   ST_SetSRID(ST_MakePoint(9.00002, 46.0 + k * 0.001 + 0.00002), 4326), '86' || lpad(k::text, 5, '0'), 'stop',
                   'unique_number', 0.6, 'ch:1:sloid:6' || lpad(k::text, 3, '0') || ':0:1', ARRAY['ch:1:sloid:6' || lpad(k::text, 3, '0') || ':0:1']
            FROM generate_series(1, @gtfsMatched) j, LATERAL (SELECT ((j - 1) % @atlasMatched) + 1 AS k) x;
            INSERT INTO gtfs_stops (stop_id, stop_name, lat, lon, geom, identity_level, resolution_method, confidence, resolved_sloids)
            SELECT 'bulk:' || j, 'Bulk stop ' || j, 46.0 + j * 0.001, 9.001, ST_SetSRID(ST_MakePoint(9.001, 46.0 + j * 0.001), 4326),
                   'stop', 'unmatched', 0.0, ARRAY[]::text[]
            FROM generate_series(@gtfsMatched + 1, @gtfsMatched + @gtfsUnmatched) j;
            """, c);
        bulk.Parameters.AddWithValue("atlas", BulkAtlasMatched + BulkAtlasUnmatched);
        bulk.Parameters.AddWithValue("atlasMatched", BulkAtlasMatched);
        bulk.Parameters.AddWithValue("gtfsMatched", BulkGtfsMatched);
        bulk.Parameters.AddWithValue("gtfsUnmatched", BulkGtfsUnmatched);
        await bulk.ExecuteNonQueryAsync();

        // The big box: a 100 × 51 grid of unresolved stops.
        await using var big = new NpgsqlCommand(
            """
            INSERT INTO gtfs_stops (stop_id, stop_name, lat, lon, geom, identity_level, resolution_method, confidence, resolved_sloids)
            SELECT 'big:' || n, 'Big stop ' || n, 46.2 + (n / 100) * 0.002, 7.5 + (n % 100) * 0.001,
                   ST_SetSRID(ST_MakePoint(7.5 + (n % 100) * 0.001, 46.2 + (n / 100) * 0.002), 4326), 'stop', 'unmatched', 0.0, ARRAY[]::text[]
            FROM generate_series(0, @count - 1) n
            """, c);
        big.Parameters.AddWithValue("count", BigGtfsCount);
        await big.ExecuteNonQueryAsync();
    }

    internal static async Task AtlasAsync(NpgsqlConnection c, string sloid, string uic, string designation, string official, double lat, double lon)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO atlas_stops (sloid, uic_ref, atlas_designation, atlas_designation_official, atlas_business_org_abbr, lat, lon)
            VALUES (@sloid, @uic, @designation, @official, 'SBB', @lat, @lon);
            INSERT INTO stops_matched (id, sloid, stop_type, atlas_lat, atlas_lon, geom)
            SELECT coalesce(max(id), 0) + 1, @sloid, 'atlas_unmatched', @lat, @lon, ST_SetSRID(ST_MakePoint(@lon, @lat), 4326) FROM stops_matched;
            """, c);
        command.Parameters.AddWithValue("sloid", sloid);
        command.Parameters.AddWithValue("uic", uic);
        command.Parameters.AddWithValue("designation", designation);
        command.Parameters.AddWithValue("official", official);
        command.Parameters.AddWithValue("lat", lat);
        command.Parameters.AddWithValue("lon", lon);
        await command.ExecuteNonQueryAsync();
    }

    internal static async Task GtfsAsync(
        NpgsqlConnection c, string stopId, string name, double lat, double lon, string? uic, string? platform, string level, string method,
        double confidence, double? distance, string[] sloids, string? originalStopId = null, string? locationType = null)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO gtfs_stops (stop_id, stop_name, lat, lon, geom, uic_number, local_ref, normalized_local_ref, platform_code,
                                    original_stop_id, location_type, identity_level, resolution_method, confidence, distance_m,
                                    resolved_sloid, resolved_sloids)
            VALUES (@id, @name, @lat, @lon, ST_SetSRID(ST_MakePoint(@lon, @lat), 4326), @uic, @platform, @platform, @platform,
                    @original, @locationType, @level, @method, @confidence, @distance, @first, @sloids)
            """, c);
        command.Parameters.AddWithValue("id", stopId);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("lat", lat);
        command.Parameters.AddWithValue("lon", lon);
        command.Parameters.Add(new NpgsqlParameter("uic", NpgsqlDbType.Text) { Value = (object?)uic ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("platform", NpgsqlDbType.Text) { Value = (object?)platform ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("original", NpgsqlDbType.Text) { Value = (object?)originalStopId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("locationType", NpgsqlDbType.Text) { Value = (object?)locationType ?? DBNull.Value });
        command.Parameters.AddWithValue("level", level);
        command.Parameters.AddWithValue("method", method);
        command.Parameters.AddWithValue("confidence", confidence);
        command.Parameters.Add(new NpgsqlParameter("distance", NpgsqlDbType.Double) { Value = (object?)distance ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("first", NpgsqlDbType.Text) { Value = sloids.Length > 0 ? sloids[0] : DBNull.Value });
        command.Parameters.AddWithValue("sloids", sloids);
        await command.ExecuteNonQueryAsync();
    }
}
