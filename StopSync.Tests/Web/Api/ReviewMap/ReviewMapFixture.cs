using Microsoft.EntityFrameworkCore;
using Npgsql;
using StopSync.Data;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Web.Api.ReviewMap;

/// <summary>
/// A migrated database holding a small hand-made published dataset, built so that each map filter selects a set of rows
/// that can be named exactly (ids 1-11, see <see cref="Rows"/>), and the web app on it.
/// </summary>
public sealed class ReviewMapFixture : IAsyncLifetime
{
    private TestDatabase? _database;
    private StopSyncAppFactory? _factory;

    public string Prefix { get; } = $"stopsync-test:{Guid.NewGuid():N}:";
    public static readonly Guid RunId = Guid.Parse("6f1c2a8e-0000-4000-8000-000000000010");
    public string ConnectionString => _database!.ConnectionString;
    internal StopSyncAppFactory Factory => _factory!;

    /// <summary>Every row id of the fixture.</summary>
    public static readonly long[] AllIds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        await using (var db = new StopSyncDbContext(new DbContextOptionsBuilder<StopSyncDbContext>()
                         .UseNpgsql(ConnectionString, o => o.UseNetTopologySuite()).UseSnakeCaseNamingConvention().Options))
        {
            await db.Database.MigrateAsync();
        }

        await SeedAsync(ConnectionString);
        _factory = new StopSyncAppFactory(StopSyncAppFactory.DefaultSettings(ConnectionString, Prefix));
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        await IntegrationFixture.DeleteRedisKeysAsync(Prefix);
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    // ATLAS: sloid, operator, canton, lat, lon, representative, group.
    private static readonly (string Sloid, string Operator, string Canton, double Lat, double Lon, string? Representative)[] Atlas =
    [
        ("ch:1:sloid:1", "SBB", "ZH", 47.378001, 8.540001, null),
        ("ch:1:sloid:2", "VBZ", "ZH", 47.370002, 8.530002, null),
        ("ch:1:sloid:3", "BLS", "BE", 46.948003, 7.439003, null),
        ("ch:1:sloid:4", "VBZ", "ZH", 47.372004, 8.550004, "ch:1:sloid:4"),
        ("ch:1:sloid:5", "VBZ", "ZH", 47.374005, 8.545005, "ch:1:sloid:4"),
        ("ch:1:sloid:6", "SBB", "ZH", 47.376006, 8.535006, null),
        ("ch:1:sloid:7", "PAG", "ZH", 47.380007, 8.525007, null),
        ("ch:1:sloid:8", "PAG", "ZH", 47.381008, 8.526008, null),
    ];

    // OSM: id, element type, operator, public_transport, railway, amenity, lat, lon, node type.
    private static readonly (string Id, string Element, string? Operator, string? PublicTransport, string? Railway, string? Amenity, double Lat, double Lon, string NodeType)[] Osm =
    [
        ("101", "node", "SBB", "platform", null, null, 47.378101, 8.540101, "platform"),
        ("102", "node", "VBZ", "platform", "tram_stop", null, 47.370202, 8.530202, "tram_stop"),
        ("way_201", "way", "SBB", "station", null, null, 47.372704, 8.550704, "station"),
        ("103", "node", "SGV", null, null, "ferry_terminal", 47.360303, 8.540303, "ferry_terminal"),
        ("104", "node", "VBZ", "stop_position", null, null, 47.374105, 8.545105, "stop_position"),
        ("105", "node", "VBZ", "stop_position", null, null, 47.374206, 8.545206, "stop_position"),
        ("106", "node", "PAG", "platform", null, null, 47.380507, 8.525507, "platform"),
        ("107", "node", "PAG", "platform", null, null, 47.380107, 8.525107, "platform"),
        ("108", "node", "PAG", "platform", null, null, 47.381108, 8.526108, "platform"),
    ];

    // Stop units: id, kind, group kind, members (node, role).
    private static readonly (long Id, string Kind, string? Group, (string Node, string Role)[] Members)[] Units =
    [
        (1, "single", null, [("101", "single")]),
        (2, "single", null, [("102", "single")]),
        (3, "single", null, [("way_201", "single")]),
        (4, "single", null, [("103", "single")]),
        (5, "pair", "osm_pair_uic", [("104", "pair_a"), ("105", "pair_b")]),
        (6, "trio", "osm_trio", [("106", "trio_middle"), ("107", "trio_side"), ("108", "trio_side")]),
    ];

    /// <summary>The published rows: id, ATLAS sloid, OSM id, stop type, match type, distance, has duplicate.</summary>
    public static readonly (long Id, string? Sloid, string? Osm, string StopType, string? MatchType, double? Distance, bool Duplicate)[] Rows =
    [
        (1, "ch:1:sloid:1", "101", "matched", "exact", 5, false),
        (2, "ch:1:sloid:2", "102", "matched", "distance_matching_1_uic_ref", 30, false),
        (3, "ch:1:sloid:4", "way_201", "matched", "route_unified_gtfs_tokens", 80, true),
        (4, "ch:1:sloid:3", null, "atlas_unmatched", "no_nearby_counterpart", null, false),
        (5, "ch:1:sloid:6", null, "atlas_unmatched", null, null, false),
        (6, null, "103", "osm_unmatched", null, null, false),
        (7, "ch:1:sloid:5", "104", "matched", "name", 12, true),
        (8, null, "105", "osm_unmatched", null, null, false),
        (9, null, "106", "effectively_matched", null, null, false),
        (10, "ch:1:sloid:7", "107", "matched", "distance_matching_trio", 20, false),
        (11, "ch:1:sloid:8", "108", "matched", "distance_matching_trio", 25, false),
    ];

    // Problems: row, type, priority.
    private static readonly (long Stop, string Type, int Priority)[] Problems =
    [
        (3, "distance", 1), (4, "unmatched", 2), (5, "unmatched", 3), (6, "unmatched", 3), (2, "attributes", 2),
    ];

    private static async Task SeedAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var a in Atlas)
        {
            await ExecuteAsync(connection,
                "INSERT INTO atlas_stops (sloid, atlas_business_org_abbr, canton, lat, lon, representative_sloid, atlas_designation_official) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                a.Sloid, a.Operator, a.Canton, a.Lat, a.Lon, (object?)a.Representative ?? DBNull.Value, "Stop " + a.Sloid[^1..]);
        }

        foreach (var o in Osm)
        {
            await ExecuteAsync(connection,
                "INSERT INTO osm_nodes (osm_node_id, element_type, operator, public_transport, railway, amenity, lat, lon, osm_node_type, canton, name, tags) " +
                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'ZH', $10, '{}'::jsonb)",
                o.Id, o.Element, (object?)o.Operator ?? DBNull.Value, (object?)o.PublicTransport ?? DBNull.Value, (object?)o.Railway ?? DBNull.Value,
                (object?)o.Amenity ?? DBNull.Value, o.Lat, o.Lon, o.NodeType, "OSM " + o.Id);
        }

        foreach (var u in Units)
        {
            await ExecuteAsync(connection, "INSERT INTO osm_stops (id, stop_kind, group_kind, representative_node_id) VALUES ($1, $2, $3, $4)",
                u.Id, u.Kind, (object?)u.Group ?? DBNull.Value, u.Members[0].Node);
            foreach (var (node, role) in u.Members)
            {
                await ExecuteAsync(connection, "INSERT INTO osm_stop_members (osm_stop_id, node_id, member_role) VALUES ($1, $2, $3)", u.Id, node, role);
            }
        }

        foreach (var r in Rows)
        {
            var atlas = Atlas.Where(a => a.Sloid == r.Sloid).Select(a => ((double, double, string, string)?)(a.Lat, a.Lon, a.Canton, a.Operator)).SingleOrDefault();
            var osm = Osm.Where(o => o.Id == r.Osm).Select(o => ((double, double, string?, string)?)(o.Lat, o.Lon, o.Operator, o.NodeType)).SingleOrDefault();
            var unit = Units.SingleOrDefault(u => u.Members.Any(m => m.Node == r.Osm));
            var (lat, lon) = atlas is { } a1 ? (a1.Item1, a1.Item2) : (osm!.Value.Item1, osm.Value.Item2);
            short? priority = Problems.Where(p => p.Stop == r.Id).Select(p => (short?)p.Priority).Min();
            await ExecuteAsync(connection,
                "INSERT INTO stops_matched (id, sloid, stop_type, match_type, atlas_lat, atlas_lon, osm_node_id, osm_lat, osm_lon, distance_m, geom, " +
                "canton, atlas_operator, osm_operator, osm_node_type, osm_group_kind, has_atlas_duplicate, problem_priority) " +
                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, ST_SetSRID(ST_MakePoint($11, $12), 4326), $13, $14, $15, $16, $17, $18, $19)",
                r.Id, (object?)r.Sloid ?? DBNull.Value, r.StopType, (object?)r.MatchType ?? DBNull.Value,
                (object?)atlas?.Item1 ?? DBNull.Value, (object?)atlas?.Item2 ?? DBNull.Value,
                (object?)r.Osm ?? DBNull.Value, (object?)osm?.Item1 ?? DBNull.Value, (object?)osm?.Item2 ?? DBNull.Value,
                (object?)r.Distance ?? DBNull.Value, lon, lat, atlas?.Item3 ?? "ZH", (object?)atlas?.Item4 ?? DBNull.Value,
                (object?)osm?.Item3 ?? DBNull.Value, (object?)osm?.Item4 ?? DBNull.Value, (object?)(unit.Group) ?? DBNull.Value,
                r.Duplicate, (object?)priority ?? DBNull.Value);
        }

        foreach (var p in Problems)
        {
            await ExecuteAsync(connection, "INSERT INTO problems (stop_id, problem_type, priority) VALUES ($1, $2, $3)", p.Stop, p.Type, p.Priority);
        }

        await ExecuteAsync(connection, "INSERT INTO dataset_publication (id, run_id, published_at, manifest) VALUES (1, $1, now(), '{}')", RunId);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync();
    }
}
