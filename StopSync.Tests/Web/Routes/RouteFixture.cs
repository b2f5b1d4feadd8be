using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using StopSync.Data;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Web.Routes;

[CollectionDefinition(Name)]
public sealed class RouteGroup : ICollectionFixture<RouteFixture>
{
    public const string Name = "routes";
}

/// <summary>
/// A migrated database of its own with a small hand-made route dataset (below, seeded by SQL as the publication would
/// leave it) and the web app on it. Tram 10 has a perfect pair in direction 1 and, in direction 0, an OSM relation
/// with every kind of difference (two stops swapped, one missing, one extra, one at the other platform); S5 pairs
/// station-level timetable stops with OSM platforms; there are unmatched lines on both sides, a non-GTFS OSM line, a
/// line whose names are markup and twelve bulk lines for paging.
/// </summary>
public sealed class RouteFixture : IAsyncLifetime
{
    public const string XssName = "<img src=x onerror=alert(1)>";
    public const int BulkLines = 12;

    /// <summary>Every /routes entry in list order: matched pairs, then the unmatched ones, by display route id.</summary>
    public static readonly string[] ListOrder =
        ["85-5", "91-10-A", .. Enumerable.Range(1, BulkLines).Select(i => $"50-{i:00}"), "77-1", "92-33", "99-XSS"];

    // Itinerary ids for the tests.
    public const long Tram10Out = 11;
    public const long Tram10Back = 12;
    public const long Bus33 = 21;
    public const long Hostile = 41;
    public const long S5 = 31;
    public const long OsmTram10Out = 111;
    public const long OsmTram10Back = 112;
    public const long OsmS5 = 131;
    public const long OsmStale = 141;
    public const long OsmTourist = 151;

    private TestDatabase? _database;

    public string HangfirePrefix { get; } = $"stopsync-test:{Guid.NewGuid():N}:";
    public string ConnectionString => _database!.ConnectionString;
    internal WebApplicationFactory<Program> Factory { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await CreateDatabaseAsync();
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

    internal static async Task<TestDatabase> CreateDatabaseAsync()
    {
        var database = await TestDatabase.CreateAsync();
        await using var db = new StopSyncDbContext(new DbContextOptionsBuilder<StopSyncDbContext>()
            .UseNpgsql(database.ConnectionString, o => o.UseNetTopologySuite()).UseSnakeCaseNamingConvention().Options);
        await db.Database.MigrateAsync();
        return database;
    }

    // Stops: (sloid, uic, label). E has two platforms: the timetable calls at 1, OSM's relation at 2.
    private static readonly (string Sloid, string Uic, string Label) A = ("ch:1:sloid:3000:0:1", "8503000", "Zürich HB");
    private static readonly (string Sloid, string Uic, string Label) B = ("ch:1:sloid:3100:0:1", "8503100", "Stadelhofen");
    private static readonly (string Sloid, string Uic, string Label) C = ("ch:1:sloid:3200:0:1", "8503200", "Bellevue");
    private static readonly (string Sloid, string Uic, string Label) D = ("ch:1:sloid:3300:0:1", "8503300", "Kunsthaus");
    private static readonly (string Sloid, string Uic, string Label) E1 = ("ch:1:sloid:3400:0:1", "8503400", "Bahnhofplatz");
    private static readonly (string Sloid, string Uic, string Label) E2 = ("ch:1:sloid:3400:0:2", "8503400", "Bahnhofplatz");
    private static readonly (string Sloid, string Uic, string Label) F = ("ch:1:sloid:3500:0:1", "8503500", "Hegibachplatz");

    private static long _callId;

    private static async Task SeedAsync(NpgsqlConnection c)
    {
        await ExecuteAsync(c, """
            INSERT INTO dataset_publication (id, run_id, published_at, manifest)
            VALUES (1, gen_random_uuid(), now(), '{"metadata": {"capabilities": {"routes": true, "gtfs_identity": false}}}')
            """);

        // ATLAS families.
        await FamilyAsync(c, 1, "atlas", "91-10-A-j26-1", "gtfs_route", "900", "tram", "91-10-A", "91-10-A-j26-1", "91-10-A-jXX-1", "10", "10", "VBZ", null, "3849", null, false, 2, 5, 101);
        await FamilyAsync(c, 2, "atlas", "92-33-j26-1", "gtfs_route", "700", "bus", "92-33", "92-33-j26-1", "92-33-jXX-1", "33", "33", "VBZ", null, "3849", null, false, 1, 2, null);
        await FamilyAsync(c, 3, "atlas", "85-5-j26-1", "gtfs_route", "106", "rail", "85-5", "85-5-j26-1", "85-5-jXX-1", "S5", "S5", "SBB", null, "11", null, false, 1, 3, 103);
        await FamilyAsync(c, 4, "atlas", "99-XSS-j26-1", "gtfs_route", "700", "bus", "99-XSS", "99-XSS-j26-1", "99-XSS-jXX-1", XssName, "X", "Hostile <b>Op</b>", null, "666", null, false, 1, 1, null);
        await ExecuteAsync(c, $"""
            INSERT INTO line_families (id, source, source_family_id, family_origin, route_type, mode, display_route_id, gtfs_route_id,
                                       normalized_route_id, public_name, ref, operator, is_non_gtfs, itinerary_count, stop_count)
            SELECT 200 + g, 'atlas', '50-' || lpad(g::text, 2, '0') || '-j26-1', 'gtfs_route', '700', 'bus', '50-' || lpad(g::text, 2, '0'),
                   '50-' || lpad(g::text, 2, '0') || '-j26-1', '50-' || lpad(g::text, 2, '0') || '-jXX-1', 'Bulk ' || g, 'B' || g, 'Bulk Bus',
                   false, 0, 0
            FROM generate_series(1, {BulkLines}) g
            """);

        // OSM families.
        await FamilyAsync(c, 101, "osm", "route_master:5001", "route_master", "tram", "tram", "91-10-A", "91-10-A-j26-1", "91-10-A-jXX-1", "Tram 10", "10", "VBZ", "ZVV", null, "5001", false, 2, 6, 1);
        await FamilyAsync(c, 103, "osm", "gtfs:85-5-jXX-1", "gtfs_route_id", "train", "rail", "85-5", "85-5-j25-1", "85-5-jXX-1", "S5", "S5", "SBB", "ZVV", null, null, false, 1, 3, 3);
        await FamilyAsync(c, 104, "osm", "gtfs:77-1-jXX-1", "gtfs_route_id", "bus", "bus", "77-1", "77-1-j24-1", "77-1-jXX-1", "Bus 1", "1", "PostAuto", null, null, null, false, 1, 2, null);
        await FamilyAsync(c, 105, "osm", "synthetic:bus|T1|Tourist Co|", "synthetic", "bus", "bus", "T1", null, null, "Tourist Line", "T1", "Tourist Co", null, null, null, true, 1, 2, null);

        await ExecuteAsync(c, """
            INSERT INTO line_family_matches (id, atlas_line_family_id, osm_line_family_id, match_method, score) VALUES
                (1, 1, 101, 'exact_gtfs_route_id', 1.0),
                (2, 3, 103, 'normalized_route_id', 0.95)
            """);

        // Tram 10: out (dir 0) A B C D E1 in the timetable, A C B X E2 in OSM (not a pair); back (dir 1) equal on both sides.
        await ItineraryAsync(c, Tram10Out, 1, "atlas", "91-10-A-j26-1|0|aaaaaaaaaaaa", "0", "Zürich, Bahnhofplatz", "Zürich HB", "Bahnhofplatz", 40, null, null);
        await AtlasCallsAsync(c, Tram10Out, A, B, C, D, E1);
        await ItineraryAsync(c, Tram10Back, 1, "atlas", "91-10-A-j26-1|1|bbbbbbbbbbbb", "1", "Zürich, Bellevue", "Bahnhofplatz", "Zürich HB", 38, null, OsmTram10Back);
        await AtlasCallsAsync(c, Tram10Back, E1, D, C, B, A);
        await ItineraryAsync(c, OsmTram10Out, 101, "osm", "7001", "0", null, "Zürich HB", "Bahnhofplatz", 0, "7001", null, "Tram 10: Zürich HB => Bahnhofplatz");
        await OsmCallAsync(c, OsmTram10Out, 1, "1001", A);
        await OsmCallAsync(c, OsmTram10Out, 2, "1003", C);
        await OsmCallAsync(c, OsmTram10Out, 3, "1002", B);
        await CallAsync(c, OsmTram10Out, 4, "9999", null, [], "9999", ["osm:9999"], "Extra Halt", null, 47.37, 8.55, "platform");
        await OsmCallAsync(c, OsmTram10Out, 5, "1005", E2);
        await ItineraryAsync(c, OsmTram10Back, 101, "osm", "7002", "1", null, "Bahnhofplatz", "Bellevue", 0, "7002", Tram10Back, "Tram 10: Bahnhofplatz => Bellevue");
        await OsmCallAsync(c, OsmTram10Back, 1, "1004", E1);
        await OsmCallAsync(c, OsmTram10Back, 2, "1006", D);
        await OsmCallAsync(c, OsmTram10Back, 3, "1003", C);
        await OsmCallAsync(c, OsmTram10Back, 4, "1002", B);
        await OsmCallAsync(c, OsmTram10Back, 5, "1001", A);

        // Bus 33 without a direction in the feed.
        await ItineraryAsync(c, Bus33, 2, "atlas", "92-33-j26-1|-|cccccccccccc", null, "Hegibachplatz", "Zürich HB", "Hegibachplatz", 12, null, null);
        await AtlasCallsAsync(c, Bus33, A, F);

        // S5: the timetable knows only stations (uic: keys), OSM the platforms.
        await ItineraryAsync(c, S5, 3, "atlas", "85-5-j26-1|0|dddddddddddd", "0", "Pfäffikon SZ", "Zug", "Pfäffikon SZ", 30, null, OsmS5);
        await ItineraryAsync(c, OsmS5, 103, "osm", "7003", "0", null, "Zug", "Pfäffikon SZ", 0, "7003", S5, "S5: Zug => Pfäffikon SZ");
        var seq = 1;
        foreach (var (uic, label) in (ValueTuple<string, string>[])[("8502204", "Zug"), ("8503202", "Thalwil"), ("8503206", "Pfäffikon SZ")])
        {
            await CallAsync(c, S5, seq, uic, null, [], null, [$"uic:{uic}"], label, uic, 47.2, 8.5, null);
            var sloid = $"ch:1:sloid:{uic[2..]}:0:1";
            await CallAsync(c, OsmS5, seq, $"20{seq}", sloid, [sloid], $"20{seq}", [$"sloid:{sloid}", $"uic:{uic}"], label, uic, 47.2, 8.5, "platform");
            seq++;
        }

        // Markup in every name a card or the comparison shows.
        await ItineraryAsync(c, Hostile, 4, "atlas", "99-XSS-j26-1|0|eeeeeeeeeeee", "0", XssName, XssName, XssName, 1, null, null);
        await CallAsync(c, Hostile, 1, "666", null, [], null, ["gtfs:666"], XssName, null, 46.5, 7.5, null);

        // OSM only: a stale gtfs:route_id (X, A), and a tourist line left out of matching.
        await ItineraryAsync(c, OsmStale, 104, "osm", "7004", null, null, "Extra Halt", "Zürich HB", 0, "7004", null, "Bus 1");
        await CallAsync(c, OsmStale, 1, "9999", null, [], "9999", ["osm:9999"], "Extra Halt", null, 47.37, 8.55, "platform");
        await OsmCallAsync(c, OsmStale, 2, "1001", A);
        await ItineraryAsync(c, OsmTourist, 105, "osm", "7005", null, null, "Kapellbrücke", "Löwendenkmal", 0, "7005", null, "Tourist Line");
        await OsmCallAsync(c, OsmTourist, 1, "1001", A);
        await OsmCallAsync(c, OsmTourist, 2, "1002", B);

        await ExecuteAsync(c, $"""
            INSERT INTO itinerary_matches (id, line_family_match_id, atlas_itinerary_id, osm_itinerary_id, direction_score, stop_score,
                                           geometry_score, overall_score, matched_stops, match_reason) VALUES
                (1, 1, {Tram10Back}, {OsmTram10Back}, 1.0, 1.0, NULL, 1.0, 5, 'ordered_stop_match'),
                (2, 2, {S5}, {OsmS5}, 1.0, 1.0, NULL, 1.0, 3, 'ordered_stop_match')
            """);
        await ExecuteAsync(c, "UPDATE itineraries i SET stop_count = (SELECT count(*) FROM stop_calls s WHERE s.itinerary_id = i.id)");
    }

    private static async Task FamilyAsync(
        NpgsqlConnection c, long id, string source, string familyId, string origin, string? routeType, string mode, string display, string? gtfs,
        string? normalized, string? name, string? @ref, string? op, string? network, string? agency, string? master, bool nonGtfs, int itineraries,
        int stops, long? matched)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO line_families (id, source, source_family_id, family_origin, route_type, mode, display_route_id, gtfs_route_id,
                                       normalized_route_id, public_name, ref, operator, network, agency_id, route_master_id, is_non_gtfs,
                                       itinerary_count, stop_count, matched_family_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
            """, c);
        object?[] values = [id, source, familyId, origin, routeType, mode, display, gtfs, normalized, name, @ref, op, network, agency, master, nonGtfs, itineraries, stops, matched];
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        await command.ExecuteNonQueryAsync();
    }

    private static async Task ItineraryAsync(
        NpgsqlConnection c, long id, long family, string source, string sourceId, string? direction, string? headsign, string? from, string? to,
        int trips, string? relation, long? matched, string? displayName = null)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO itineraries (id, line_family_id, source, source_itinerary_id, direction_id, headsign, from_name, to_name, display_name,
                                     trip_count, stop_count, relation_id, matched_itinerary_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11, $12)
            """, c);
        object?[] values = [id, family, source, sourceId, direction, headsign, from, to, displayName ?? $"{from} → {to}", trips, relation, matched];
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        await command.ExecuteNonQueryAsync();
    }

    private static async Task AtlasCallsAsync(NpgsqlConnection c, long itinerary, params (string Sloid, string Uic, string Label)[] stops)
    {
        for (var i = 0; i < stops.Length; i++)
        {
            var s = stops[i];
            await CallAsync(c, itinerary, i + 1, $"{s.Uic}:0:{s.Sloid[^1]}", s.Sloid, [s.Sloid], null, [$"sloid:{s.Sloid}", $"uic:{s.Uic}"], s.Label, s.Uic, 47.37, 8.54, null);
        }
    }

    private static Task OsmCallAsync(NpgsqlConnection c, long itinerary, int sequence, string node, (string Sloid, string Uic, string Label) s) =>
        CallAsync(c, itinerary, sequence, node, s.Sloid, [s.Sloid], node, [$"sloid:{s.Sloid}", $"uic:{s.Uic}"], s.Label, s.Uic, 47.37, 8.54, "platform");

    private static async Task CallAsync(
        NpgsqlConnection c, long itinerary, int sequence, string sourceStopId, string? sloid, string[] variants, string? osmNode, string[] keys,
        string label, string? uic, double lat, double lon, string? role)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO stop_calls (id, itinerary_id, stop_sequence, source_stop_id, sloid, sloid_variants, osm_node_id, stop_keys, stop_label,
                                    uic_ref, platform_code, lat, lon, member_role)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL, $11, $12, $13)
            """, c);
        object?[] values = [Interlocked.Increment(ref _callId), itinerary, sequence, sourceStopId, sloid, null, osmNode, null, label, uic, lat, lon, role];
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        command.Parameters[5] = new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = variants };
        command.Parameters[7] = new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = keys };
        await command.ExecuteNonQueryAsync();
    }

    private static async Task ExecuteAsync(NpgsqlConnection c, string sql)
    {
        await using var command = new NpgsqlCommand(sql, c);
        await command.ExecuteNonQueryAsync();
    }
}
