using System.Text.Json;
using Npgsql;
using StopSync.Data.Review;
using StopSync.Tests.Infrastructure;
using StopSync.Tests.Jobs.Runs;

namespace StopSync.Tests.Web.Api.Exports;

/// <summary>
/// A migrated database with a few published OSM elements and ATLAS platforms and decisions of every kind and state on
/// them, written directly, and the web app on it. Each test reads the exports; nothing here is changed by a test.
/// </summary>
public sealed class ExportFixture : IAsyncLifetime
{
    /// <summary>A tag value an attacker could put into OSM.</summary>
    public const string Hostile = "<script>&\"'";

    /// <summary>A reviewer's note that needs CSV quoting.</summary>
    public const string QuotedNote = "He said \"no\", then left,\nnext line";

    private TestDatabase? _database;
    private StopSyncAppFactory? _factory;

    public string Prefix { get; } = $"stopsync-test:{Guid.NewGuid():N}:";
    internal StopSyncAppFactory Factory => _factory!;
    public string ConnectionString => _database!.ConnectionString;

    /// <summary>OSM: id, element type, version, lat, lon, tags.</summary>
    public static readonly (string Id, string Element, int? Version, double Lat, double Lon, Dictionary<string, string> Tags)[] Osm =
    [
        ("1001", "node", 7, 47.3781234, 8.5401234, new()
        {
            ["public_transport"] = "platform", ["highway"] = "bus_stop", ["name"] = "Zürich HB", ["uic_ref"] = "8503000", ["local_ref"] = "3",
        }),
        ("1002", "node", 3, 47.3791, 8.5411, new() { ["name"] = Hostile, ["operator"] = "VBZ", ["public_transport"] = "platform" }),
        ("1003", "node", 1, 47.38, 8.54, new() { ["uic_ref"] = "8503003" }),
        ("1004", "node", 2, 47.381, 8.541, new() { ["uic_ref"] = "8503004" }),
        ("1005", "node", 4, 47.382, 8.542, new() { ["uic_ref"] = "8503005" }),
        ("1006", "node", 5, 47.383, 8.543, new() { ["uic_ref"] = "8503006" }),
        ("1007", "node", 9, 47.384, 8.544, new() { ["local_ref"] = "A" }),
        ("1008", "node", null, 47.385, 8.545, new() { ["local_ref"] = "B" }),
        ("way_2001", "way", 12, 47.386, 8.546, new() { ["public_transport"] = "platform", ["uic_ref"] = "8503020" }),
    ];

    public static readonly (string Sloid, string Operator, string Number, string Designation, string Official)[] Atlas =
    [
        ("ch:1:sloid:1", "SBB", "8503000", "1", "Zürich HB"),
        ("ch:1:sloid:2", "SBB", "8503002", "", "Zürich, Bahnhofquai"),
        ("ch:1:sloid:3", "BLS", "8507000", "5", "Bern"),
        ("ch:1:sloid:4", "SBB", "8503004", "", "Zürich, Central"),
    ];

    public async Task InitializeAsync()
    {
        _database = await HeldRunFixture.CreateMigratedDatabaseAsync();
        await SeedAsync();
        var settings = StopSyncAppFactory.DefaultSettings(_database.ConnectionString, Prefix);
        settings["RateLimits:Exports:PermitLimit"] = "100000";
        _factory = new StopSyncAppFactory(settings);
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

    private async Task SeedAsync()
    {
        await using (var connection = new NpgsqlConnection(_database!.ConnectionString))
        {
            await connection.OpenAsync();
            foreach (var o in Osm)
            {
                await using var command = new NpgsqlCommand(
                    "INSERT INTO osm_nodes (osm_node_id, element_type, version, lat, lon, tags) VALUES ($1, $2, $3, $4, $5, $6::jsonb)", connection);
                command.Parameters.Add(new NpgsqlParameter { Value = o.Id });
                command.Parameters.Add(new NpgsqlParameter { Value = o.Element });
                command.Parameters.Add(new NpgsqlParameter { Value = (object?)o.Version ?? DBNull.Value });
                command.Parameters.Add(new NpgsqlParameter { Value = o.Lat });
                command.Parameters.Add(new NpgsqlParameter { Value = o.Lon });
                command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(o.Tags) });
                await command.ExecuteNonQueryAsync();
            }

            foreach (var a in Atlas)
            {
                await using var command = new NpgsqlCommand(
                    "INSERT INTO atlas_stops (sloid, atlas_business_org_abbr, uic_ref, atlas_designation, atlas_designation_official, lat, lon) " +
                    "VALUES ($1, $2, $3, $4, $5, 47.3, 8.5)", connection);
                foreach (var value in new object[] { a.Sloid, a.Operator, a.Number, a.Designation, a.Official })
                {
                    command.Parameters.Add(new NpgsqlParameter { Value = value });
                }

                await command.ExecuteNonQueryAsync();
            }
        }

        await using var db = HeldRunFixture.CreateDbContext(_database.ConnectionString);
        var at = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
        // OSM side: two decided fixes on 1001 (merged), a hostile value on 1002, other states and kinds that must not
        // be exported, a fix that changes nothing, one without version, and one on a way.
        db.Decisions.AddRange(
            D("o1", DecisionKinds.OsmWrong, DecisionStates.Decided, ["ch:1:sloid:1"], ["1001"], """{"uic_ref":"8503001"}""", at),
            D("o2", DecisionKinds.OsmWrong, DecisionStates.Decided, ["ch:1:sloid:1"], ["1001"], """{"local_ref":"1"}""", at.AddMinutes(1)),
            D("o3", DecisionKinds.OsmWrong, DecisionStates.Decided, ["ch:1:sloid:2"], ["1002"], JsonSerializer.Serialize(new { uic_name = Hostile + " HB" }), at),
            D("o4", DecisionKinds.OsmWrong, DecisionStates.NeedsAnotherLook, ["ch:1:sloid:2"], ["1003"], """{"uic_ref":"1"}""", at),
            D("o5", DecisionKinds.OsmWrong, DecisionStates.ResolvedByData, ["ch:1:sloid:2"], ["1004"], """{"uic_ref":"2"}""", at),
            D("o6", DecisionKinds.AtlasWrong, DecisionStates.Decided, ["ch:1:sloid:4"], ["1005"], """{"uic_ref":"8503005"}""", at, "SBB"),
            D("o7", DecisionKinds.NotAProblem, DecisionStates.Decided, ["ch:1:sloid:2"], ["1006"], null, at),
            D("o8", DecisionKinds.OsmWrong, DecisionStates.Decided, ["ch:1:sloid:2"], ["1007"], """{"local_ref":"A"}""", at),
            D("o9", DecisionKinds.OsmWrong, DecisionStates.Decided, ["ch:1:sloid:2"], ["1008"], """{"local_ref":"C"}""", at),
            D("o10", DecisionKinds.OsmWrong, DecisionStates.Decided, ["ch:1:sloid:2"], ["way_2001"], """{"uic_ref":"8503002"}""", at),
            // ATLAS side (o6 above is SBB's too).
            D("a1", DecisionKinds.AtlasWrong, DecisionStates.Decided, ["ch:1:sloid:1"], ["1001"], """{"uic_ref":"8503001","local_ref":"3"}""", at, "SBB", QuotedNote),
            D("a2", DecisionKinds.AtlasWrong, DecisionStates.Decided, ["ch:1:sloid:3"], ["1003"], """{"uic_name":"Bern Bahnhof"}""", at, "BLS"),
            D("a3", DecisionKinds.AtlasWrong, DecisionStates.NeedsAnotherLook, ["ch:1:sloid:2"], ["1002"], """{"uic_ref":"1"}""", at, "SBB"),
            D("a4", DecisionKinds.AtlasWrong, DecisionStates.Decided, ["ch:1:sloid:2"], [], null, at.AddHours(1)));
        await db.SaveChangesAsync();
    }

    private static Decision D(
        string key, string kind, string state, string[] sloids, string[] osmIds, string? chosen, DateTimeOffset at, string? atlasOperator = null, string? note = null) => new()
    {
        ProblemKey = key,
        ProblemType = "attributes",
        Sloids = sloids,
        OsmIds = osmIds,
        Kind = kind,
        Note = note,
        ChosenValues = chosen,
        Evidence = "{}",
        State = state,
        StateChangedAt = at,
        AtlasOperator = atlasOperator,
        DecidedById = "reviewer-1",
        DecidedByName = "Rita Reviewer",
        DecidedAt = at,
        Revision = 1,
    };
}
