using Microsoft.EntityFrameworkCore;
using Npgsql;
using StopSync.Data;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Web.Api.Problems;

/// <summary>
/// A small hand-made published dataset for the problems queue: six stop rows with nine problems of known keys and
/// evidence, so that each filter, sort and page selects stops that can be named exactly (<see cref="Stops"/>,
/// <see cref="ProblemRows"/>). Keys and evidence are written here as the publication writes them.
/// </summary>
internal static class ProblemDataset
{
    public static readonly Guid RunId = Guid.Parse("6f1c2a8e-0000-4000-8000-000000000011");

    /// <summary>id, sloid, OSM id, stop type, distance, ATLAS operator, canton.</summary>
    public static readonly (long Id, string? Sloid, string? Osm, string StopType, double? Distance, string? Operator, string Canton)[] Stops =
    [
        (1, "ch:1:sloid:1", "101", "matched", 37.4, "SBB", "ZH"),
        (2, "ch:1:sloid:2", null, "atlas_unmatched", null, "VBZ", "ZH"),
        (3, null, "103", "osm_unmatched", null, null, "BE"),
        (4, "ch:1:sloid:4", "104", "matched", 120, "BLS", "BE"),
        (5, "ch:1:sloid:5", "105", "matched", 8, "SBB", "GE"),
        (6, "ch:1:sloid:6", "106", "effectively_matched", null, "SBB", "ZH"),
    ];

    public const string AttributesEvidence =
        """{"differences":[{"attribute":"uic_ref","atlas":"8503001","osm":"8503000"},{"attribute":"local_ref","atlas":"4","osm":"3"}]}""";

    /// <summary>id, stop, type, priority, key, evidence. Problem 9 has a type the site does not show; 8 predates keys.</summary>
    public static readonly (long Id, long Stop, string Type, int Priority, string? Key, string? Evidence)[] ProblemRows =
    [
        (1, 1, "distance", 2, "k-dist-1", """{"distance_bucket":"25-50"}"""),
        (2, 1, "attributes", 1, "k-attr-1", AttributesEvidence),
        (3, 2, "unmatched", 1, "k-unm-2", """{"side":"atlas","isolated":true}"""),
        (4, 3, "unmatched", 3, "k-unm-3", """{"side":"osm","isolated":false}"""),
        (5, 4, "distance", 1, "k-dist-4", """{"distance_bucket":"80-150"}"""),
        (6, 4, "contradicts_route_matching", 2, "k-crm-4", """{"alignment":"token_contradiction"}"""),
        (7, 5, "duplicates", 2, "k-dup-5", """{"side":"atlas","members":["ch:1:sloid:5","ch:1:sloid:7"]}"""),
        (8, 6, "attributes", 3, null, null),
        (9, 5, "legacy_type", 1, "k-legacy-5", null),
    ];

    public static async Task<TestDatabase> CreateAsync()
    {
        var database = await TestDatabase.CreateAsync();
        await using (var db = new StopSyncDbContext(new DbContextOptionsBuilder<StopSyncDbContext>()
                         .UseNpgsql(database.ConnectionString, o => o.UseNetTopologySuite()).UseSnakeCaseNamingConvention().Options))
        {
            await db.Database.MigrateAsync();
        }

        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        foreach (var s in Stops)
        {
            if (s.Sloid is not null)
            {
                await ExecuteAsync(connection,
                    "INSERT INTO atlas_stops (sloid, atlas_business_org_abbr, canton, lat, lon, atlas_designation_official) VALUES ($1, $2, $3, 47.3, 8.5, $4)",
                    s.Sloid, (object?)s.Operator ?? DBNull.Value, s.Canton, "Stop " + s.Id);
            }

            if (s.Osm is not null)
            {
                await ExecuteAsync(connection,
                    "INSERT INTO osm_nodes (osm_node_id, element_type, lat, lon, canton, name, tags) VALUES ($1, 'node', 47.3, 8.5, $2, $3, '{}'::jsonb)",
                    s.Osm, s.Canton, "OSM " + s.Osm);
            }

            await InsertStopAsync(connection, s.Id, s.Sloid, s.Osm, s.StopType, s.Distance, s.Operator, s.Canton);
        }

        // Counterparts a reviewer can pick for a manual match; published but without problems.
        await ExecuteAsync(connection,
            "INSERT INTO osm_nodes (osm_node_id, element_type, lat, lon, canton, name, tags) VALUES ('900', 'node', 47.3, 8.5, 'ZH', 'OSM 900', '{}'::jsonb)");
        await ExecuteAsync(connection,
            "INSERT INTO atlas_stops (sloid, canton, lat, lon, atlas_designation_official) VALUES ('ch:1:sloid:900', 'ZH', 47.3, 8.5, 'Stop 900')");

        foreach (var p in ProblemRows)
        {
            await InsertProblemAsync(connection, p.Id, p.Stop, p.Type, p.Priority, p.Key, p.Evidence);
        }

        await ExecuteAsync(connection, "INSERT INTO dataset_publication (id, run_id, published_at, manifest) VALUES (1, $1, now(), '{}')", RunId);
        return database;
    }

    public static Task InsertStopAsync(NpgsqlConnection connection, long id, string? sloid, string? osm, string stopType, double? distance,
        string? atlasOperator, string canton) =>
        ExecuteAsync(connection,
            "INSERT INTO stops_matched (id, sloid, stop_type, atlas_lat, atlas_lon, osm_node_id, osm_lat, osm_lon, distance_m, geom, canton, atlas_operator) " +
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, ST_SetSRID(ST_MakePoint(8.5, 47.3), 4326), $10, $11)",
            id, (object?)sloid ?? DBNull.Value, stopType, sloid is null ? DBNull.Value : 47.3, sloid is null ? DBNull.Value : 8.5,
            (object?)osm ?? DBNull.Value, osm is null ? DBNull.Value : 47.3001, osm is null ? DBNull.Value : 8.5001,
            (object?)distance ?? DBNull.Value, canton, (object?)atlasOperator ?? DBNull.Value);

    public static Task InsertProblemAsync(NpgsqlConnection connection, long id, long stop, string type, int priority, string? key, string? evidence) =>
        ExecuteAsync(connection,
            "INSERT INTO problems (id, stop_id, problem_type, priority, problem_key, evidence) VALUES ($1, $2, $3, $4, $5, $6::jsonb)",
            id, stop, type, priority, (object?)key ?? DBNull.Value, (object?)evidence ?? DBNull.Value);

    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync();
    }
}
