using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;
using StopSync.Data;
using StopSync.Tests.Infrastructure;
using StopSync.Web.Infrastructure;

namespace StopSync.Tests.Web.Api;

[CollectionDefinition(Name)]
public sealed class StopCardGroup : ICollectionFixture<StopCardFixture>
{
    public const string Name = "stop-card";
}

/// <summary>
/// A migrated database of its own with a small hand-made published dataset (below) and the web app on it. Every case the
/// stop card explains has a row: a 1→N exact match, a pair with its propagation, a trio with its effectively matched
/// middle, an ATLAS duplicate group whose two platforms share one OSM element, a way, unmatched rows on both sides.
/// </summary>
public sealed class StopCardFixture : IAsyncLifetime
{
    public const string XssName = "<img src=x onerror=alert(1)>";

    private TestDatabase? _database;

    public string HangfirePrefix { get; } = $"stopsync-test:{Guid.NewGuid():N}:";
    public string ConnectionString => _database!.ConnectionString;
    internal WebApplicationFactory<Program> Factory { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        await using (var db = new StopSyncDbContext(new DbContextOptionsBuilder<StopSyncDbContext>()
            .UseNpgsql(ConnectionString, o => o.UseNetTopologySuite()).UseSnakeCaseNamingConvention().Options))
        {
            await db.Database.MigrateAsync();
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
    }

    // Ids of the stops_matched rows below, for the tests.
    public const long ExactRow = 1;
    public const long MissingTagsRow = 2;
    public const long ConflictRow = 3;
    public const long DuplicateRepresentativeRow = 4;
    public const long DuplicatePropagationRow = 5;
    public const long PairPlatformRow = 6;
    public const long PairPropagationRow = 7;
    public const long TrioSideRow = 8;
    public const long TrioOtherSideRow = 9;
    public const long TrioMiddleRow = 10;
    public const long WayRow = 11;
    public const long IsolatedAtlasRow = 12;
    public const long UnderscoreRow = 13;
    public const long LookalikeRow = 14;
    public const long SecondExactRow = 15;
    public const long InfixRow = 16;

    /// <summary>More ATLAS platforms named "Kappa …" than one search answer may hold.</summary>
    public const int KappaPlatforms = 230;

    // Lines (RouteSeedAsync): tram 10 matched on both sides (its direction 1 only in the timetable), bus 33 only in the
    // timetable and named with markup, an OSM-only tourist bus, and more lines at the first Kappa platform than a card lists.
    public const string TramLine = "91-10-A";
    public const string TramGtfsId = "91-10-A-j26-1";
    public const string BusLine = "92-33";
    public const string TouristLine = "T";
    public const long KappaLinesRow = 1001;
    public const int KappaLines = 35;

    private static async Task SeedAsync(NpgsqlConnection c)
    {
        // Zürich HB, SBB: platform 1 linked to two elements (1→N exact), 2 matched to an element without uic_ref and
        // local_ref, 3 matched to an element whose uic_ref and local_ref disagree.
        await AtlasAsync(c, "ch:1:sloid:3000:0:1", "8503000", "1", "Zürich HB", "SBB", 47.37800, 8.54000, canton: "ZH", full: true);
        await AtlasAsync(c, "ch:1:sloid:3000:0:2", "8503000", "2", "Zürich HB", "SBB", 47.37810, 8.54010);
        await AtlasAsync(c, "ch:1:sloid:3000:0:3", "8503000", "3", "Zürich HB", "SBB", 47.37820, 8.54020);
        await OsmAsync(c, "1001", "node", 47.37802, 8.54003, new() { ["name"] = "Zürich HB", ["uic_ref"] = "8503000", ["local_ref"] = "1", ["public_transport"] = "platform", ["operator"] = "SBB", ["operator:wikidata"] = "Q83835" },
            version: 7, timestamp: new DateTimeOffset(2025, 3, 1, 10, 0, 0, TimeSpan.Zero), user: "mapper1");
        await OsmAsync(c, "1004", "node", 47.37790, 8.53990, new() { ["name"] = "Zürich HB", ["uic_ref"] = "8503000", ["public_transport"] = "stop_position" });
        await OsmAsync(c, "1002", "node", 47.37815, 8.54015, new() { ["name"] = "Zürich HB", ["public_transport"] = "platform" });
        await OsmAsync(c, "1003", "node", 47.37845, 8.54040, new() { ["name"] = "Zürich HB", ["uic_ref"] = "8503001", ["local_ref"] = "4", ["public_transport"] = "platform" });

        // Bern: an ATLAS duplicate group (same number and designation) whose two rows share one OSM element.
        await AtlasAsync(c, "ch:1:sloid:7000:0:1", "8507000", "A", "Bern", "BLS", 46.94880, 7.43910,
            representative: "ch:1:sloid:7000:0:1", group: ["ch:1:sloid:7000:0:1", "ch:1:sloid:7000:0:9"]);
        await AtlasAsync(c, "ch:1:sloid:7000:0:9", "8507000", "A", "Bern", "BLS", 46.94885, 7.43915,
            representative: "ch:1:sloid:7000:0:1", group: ["ch:1:sloid:7000:0:1", "ch:1:sloid:7000:0:9"]);
        await OsmAsync(c, "2001", "node", 46.94882, 7.43912, new() { ["name"] = "Bern", ["uic_ref"] = "8507000", ["local_ref"] = "A", ["public_transport"] = "platform", ["operator"] = "BLS" });

        // Stadelhofen: a platform/stop-position pair; the platform matched exactly, the stop position by propagation.
        await AtlasAsync(c, "ch:1:sloid:3100:0:1", "8503100", "1", "Zürich Stadelhofen", "SBB", 47.36670, 8.54810);
        await OsmAsync(c, "3001", "node", 47.36672, 8.54812, new() { ["name"] = "Zürich Stadelhofen", ["uic_ref"] = "8503100", ["local_ref"] = "1", ["public_transport"] = "platform", ["network"] = "ZVV" });
        await OsmAsync(c, "3002", "node", 47.36676, 8.54818, new() { ["name"] = "Zürich Stadelhofen", ["uic_ref"] = "8503100", ["public_transport"] = "stop_position" });

        // Bellevue: a trio (two platforms and the stop position between them).
        await AtlasAsync(c, "ch:1:sloid:3200:0:1", "8503200", "A", "Zürich Bellevue", "VBZ", 47.36700, 8.54490);
        await AtlasAsync(c, "ch:1:sloid:3200:0:2", "8503200", "B", "Zürich Bellevue", "VBZ", 47.36710, 8.54510);
        await OsmAsync(c, "4001", "node", 47.36701, 8.54491, new() { ["name"] = "Zürich Bellevue", ["uic_ref"] = "8503200", ["public_transport"] = "platform" });
        await OsmAsync(c, "4002", "node", 47.36705, 8.54500, new() { ["name"] = "Zürich Bellevue", ["uic_ref"] = "8503200", ["public_transport"] = "stop_position" });
        await OsmAsync(c, "4003", "node", 47.36711, 8.54511, new() { ["name"] = "Zürich Bellevue", ["uic_ref"] = "8503200", ["public_transport"] = "platform" });

        // A way whose name is markup, with a UIC no ATLAS platform has.
        await OsmAsync(c, "way_45", "way", 46.50000, 8.00000, new() { ["name"] = XssName, ["uic_ref"] = "8599999", ["railway"] = "platform" });

        // Unmatched ATLAS platforms: one with nothing OSM near, two whose names tell "_" from any character.
        await AtlasAsync(c, "ch:1:sloid:9999:0:1", "8509999", "1", "Nirgendwo", "PAG", 46.10000, 7.10000);
        await AtlasAsync(c, "ch:1:sloid:9100:0:1", "8509100", "1", "Halt_Punkt", "PAG", 46.20000, 7.20000);
        await AtlasAsync(c, "ch:1:sloid:9200:0:1", "8509200", "1", "HaltXPunkt", "PAG", 46.30000, 7.30000);
        // Sorts before "Bern" by name but only contains the word: exact hits must still come first.
        await AtlasAsync(c, "ch:1:sloid:9300:0:1", "8509300", "1", "Aarau Bernstrasse", "PAG", 46.40000, 7.40000);

        await UnitAsync(c, 1, "pair", "osm_pair_uic_equal_15m", "3001", ("3001", "pair_a"), ("3002", "pair_b"));
        await UnitAsync(c, 2, "trio", "osm_trio", "4001", ("4001", "trio_side"), ("4002", "trio_middle"), ("4003", "trio_side"));
        var unit = 3L;
        foreach (var single in (string[])["1001", "1002", "1003", "1004", "2001", "way_45"])
        {
            await UnitAsync(c, unit++, "single", null, single, (single, "single"));
        }

        await RowAsync(c, ExactRow, "ch:1:sloid:3000:0:1", "matched", "exact", "1001", 3.2, 47.37800, 8.54000, 47.37802, 8.54003, canton: "ZH");
        await RowAsync(c, MissingTagsRow, "ch:1:sloid:3000:0:2", "matched", "distance_matching_3a", "1002", 8.0, 47.37810, 8.54010, 47.37815, 8.54015);
        await RowAsync(c, ConflictRow, "ch:1:sloid:3000:0:3", "matched", "name", "1003", 30.4, 47.37820, 8.54020, 47.37845, 8.54040, priority: 1);
        await RowAsync(c, DuplicateRepresentativeRow, "ch:1:sloid:7000:0:1", "matched", "exact", "2001", 2.4, 46.94880, 7.43910, 46.94882, 7.43912, duplicate: true);
        await RowAsync(c, DuplicatePropagationRow, "ch:1:sloid:7000:0:9", "matched", "duplicate_propagation", "2001", 4.1, 46.94885, 7.43915, 46.94882, 7.43912, duplicate: true, priority: 2);
        await RowAsync(c, PairPlatformRow, "ch:1:sloid:3100:0:1", "matched", "exact", "3001", 2.8, 47.36670, 8.54810, 47.36672, 8.54812);
        await RowAsync(c, PairPropagationRow, "ch:1:sloid:3100:0:1", "matched", "osm_group_propagation", "3002", 8.9, 47.36670, 8.54810, 47.36676, 8.54818);
        await RowAsync(c, TrioSideRow, "ch:1:sloid:3200:0:1", "matched", "distance_matching_trio", "4001", 1.2, 47.36700, 8.54490, 47.36701, 8.54491);
        await RowAsync(c, TrioOtherSideRow, "ch:1:sloid:3200:0:2", "matched", "distance_matching_trio", "4003", 1.3, 47.36710, 8.54510, 47.36711, 8.54511);
        await RowAsync(c, TrioMiddleRow, null, "effectively_matched", null, "4002", null, null, null, 47.36705, 8.54500);
        await RowAsync(c, WayRow, null, "osm_unmatched", null, "way_45", null, null, null, 46.50000, 8.00000, priority: 1);
        await RowAsync(c, IsolatedAtlasRow, "ch:1:sloid:9999:0:1", "atlas_unmatched", "no_nearby_counterpart", null, null, 46.10000, 7.10000, null, null, priority: 1);
        await RowAsync(c, UnderscoreRow, "ch:1:sloid:9100:0:1", "atlas_unmatched", null, null, null, 46.20000, 7.20000, null, null);
        await RowAsync(c, LookalikeRow, "ch:1:sloid:9200:0:1", "atlas_unmatched", null, null, null, 46.30000, 7.30000, null, null);
        await RowAsync(c, InfixRow, "ch:1:sloid:9300:0:1", "atlas_unmatched", null, null, null, 46.40000, 7.40000, null, null);
        await RowAsync(c, SecondExactRow, "ch:1:sloid:3000:0:1", "matched", "exact", "1004", 14.0, 47.37800, 8.54000, 47.37790, 8.53990);

        await using (var kappa = new NpgsqlCommand(
            """
            INSERT INTO atlas_stops (sloid, atlas_designation_official, atlas_business_org_abbr, lat, lon)
            SELECT 'ch:1:sloid:8000:0:' || g, 'Kappa ' || g, 'KAP', 46.0 + g / 10000.0, 7.0 FROM generate_series(1, @n) g;
            INSERT INTO stops_matched (id, sloid, stop_type, atlas_lat, atlas_lon, geom)
            SELECT 1000 + g, 'ch:1:sloid:8000:0:' || g, 'atlas_unmatched', 46.0 + g / 10000.0, 7.0, ST_SetSRID(ST_MakePoint(7.0, 46.0 + g / 10000.0), 4326)
            FROM generate_series(1, @n) g;
            """, c))
        {
            kappa.Parameters.AddWithValue("n", KappaPlatforms);
            await kappa.ExecuteNonQueryAsync();
        }

        await RouteSeedAsync(c);

        await ProblemAsync(c, ConflictRow, "attributes", 1);
        await ProblemAsync(c, ConflictRow, "distance", 3);
        await ProblemAsync(c, DuplicatePropagationRow, "duplicates", 2);
        await ProblemAsync(c, WayRow, "unmatched", 1);
        await ProblemAsync(c, IsolatedAtlasRow, "unmatched", 1);
        await ProblemAsync(c, TrioOtherSideRow, "route_membership", 2,
            """{"line":"91-10-A","atlas_family":"91-10-A-jXX-1","osm_family":"route_master:501","kind":"missing_in_osm"}""");
    }

    private static async Task RouteSeedAsync(NpgsqlConnection c)
    {
        // The OSM route master still carries last year's gtfs:route_id: the families match on the normalised id.
        await RouteSeed.FamilyAsync(c, 101, "atlas", TramGtfsId, TramLine, TramGtfsId, "10", "tram", "Tram 10", "VBZ", matchedFamilyId: 201);
        await RouteSeed.FamilyAsync(c, 201, "osm", "route_master:501", TramLine, "91-10-A-j25-1", "10", "tram", "Tram 10", "VBZ", matchedFamilyId: 101);
        await RouteSeed.FamilyAsync(c, 102, "atlas", "92-33-j26-1", BusLine, "92-33-j26-1", "33", "bus", XssName, "PAG");
        await RouteSeed.FamilyAsync(c, 202, "osm", "synthetic:bus|T|Tours|", TouristLine, null, "T", "bus", "Tourist bus", "Tours", nonGtfs: true, origin: "synthetic");

        await RouteSeed.ItineraryAsync(c, 1011, 101, "atlas", "91-10-A-j26-1|0|aaaaaaaaaaaa", "0", "Bellevue", 2011,
            ("ch:1:sloid:3000:0:1", null), ("ch:1:sloid:3100:0:1", null), ("ch:1:sloid:3200:0:1", null));
        await RouteSeed.ItineraryAsync(c, 1012, 101, "atlas", "91-10-A-j26-1|1|bbbbbbbbbbbb", "1", "Zürich HB", null,
            ("ch:1:sloid:3200:0:2", null), ("ch:1:sloid:3100:0:1", null), ("ch:1:sloid:3000:0:1", null));
        await RouteSeed.ItineraryAsync(c, 2011, 201, "osm", "601", "0", "Bellevue", 1011,
            ("ch:1:sloid:3000:0:1", "1001"), ("ch:1:sloid:3100:0:1", "3001"), ("ch:1:sloid:3200:0:1", "4001"));
        await RouteSeed.ItineraryAsync(c, 1021, 102, "atlas", "92-33-j26-1|0|cccccccccccc", "0", XssName, null,
            ("ch:1:sloid:3000:0:1", null), ("ch:1:sloid:9999:0:1", null));
        await RouteSeed.ItineraryAsync(c, 2021, 202, "osm", "602", null, "Nirgendwo", null, (null, "way_45"), (null, "2001"));
        await RouteSeed.MatchAsync(c, 1, 101, 201, "normalized_route_id", (1, 1011, 2011));

        await using var kappa = new NpgsqlCommand(
            """
            INSERT INTO line_families (id, source, source_family_id, family_origin, mode, display_route_id, gtfs_route_id, normalized_route_id,
                                       ref, is_non_gtfs, itinerary_count, stop_count)
            SELECT 300 + g, 'atlas', '90-' || g || '-j26', 'gtfs_route', 'bus', '90-' || g, '90-' || g || '-j26', '90-' || g || '-jXX', g::text, false, 1, 1
            FROM generate_series(1, @n) g;
            INSERT INTO itineraries (id, line_family_id, source, source_itinerary_id, direction_id, headsign, trip_count, stop_count)
            SELECT 3000 + g, 300 + g, 'atlas', '90-' || g || '-j26|0|dddddddddddd', '0', 'Kappa', 1, 1 FROM generate_series(1, @n) g;
            INSERT INTO stop_calls (id, itinerary_id, stop_sequence, source_stop_id, sloid, sloid_variants, stop_keys, stop_label, lat, lon)
            SELECT 300000 + g, 3000 + g, 1, 'kappa1', 'ch:1:sloid:8000:0:1', ARRAY['ch:1:sloid:8000:0:1'], ARRAY['sloid:ch:1:sloid:8000:0:1'],
                   'Kappa 1', 46.0001, 7.0
            FROM generate_series(1, @n) g;
            """, c);
        kappa.Parameters.AddWithValue("n", KappaLines);
        await kappa.ExecuteNonQueryAsync();
    }

    private static async Task AtlasAsync(
        NpgsqlConnection c, string sloid, string uic, string designation, string official, string operatorAbbr, double lat, double lon,
        string? canton = null, bool full = false, string? representative = null, string[]? group = null)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO atlas_stops (sloid, uic_ref, atlas_designation, atlas_designation_official, atlas_business_org_abbr, lat, lon, canton,
                                     representative_sloid, duplicate_group_sloids, atlas_business_org_name, atlas_business_org_sboid,
                                     atlas_designation_operational, parent_service_point_sloid, element_type, valid_from, valid_to,
                                     compass_direction, lv95_east, lv95_north, edition_date)
            VALUES (@sloid, @uic, @designation, @official, @operator, @lat, @lon, @canton, @representative, @group, @orgName, @sboid,
                    @operational, @parent, @elementType, @validFrom, @validTo, @compass, @east, @north, @edition)
            """, c);
        command.Parameters.AddWithValue("sloid", sloid);
        command.Parameters.AddWithValue("uic", uic);
        command.Parameters.AddWithValue("designation", designation);
        command.Parameters.AddWithValue("official", official);
        command.Parameters.AddWithValue("operator", operatorAbbr);
        command.Parameters.AddWithValue("lat", lat);
        command.Parameters.AddWithValue("lon", lon);
        command.Parameters.AddWithValue("canton", (object?)canton ?? DBNull.Value);
        command.Parameters.AddWithValue("representative", (object?)representative ?? DBNull.Value);
        command.Parameters.Add(new NpgsqlParameter("group", NpgsqlDbType.Jsonb) { Value = group is null ? DBNull.Value : System.Text.Json.JsonSerializer.Serialize(group) });
        command.Parameters.AddWithValue("orgName", full ? "Schweizerische Bundesbahnen SBB" : DBNull.Value);
        command.Parameters.AddWithValue("sboid", full ? "ch:1:sboid:100001" : DBNull.Value);
        command.Parameters.AddWithValue("operational", full ? "ZUE" : DBNull.Value);
        command.Parameters.AddWithValue("parent", full ? "ch:1:sloid:3000" : DBNull.Value);
        command.Parameters.AddWithValue("elementType", full ? "BOARDING_PLATFORM" : DBNull.Value);
        command.Parameters.AddWithValue("validFrom", full ? new DateOnly(2020, 1, 1) : DBNull.Value);
        command.Parameters.AddWithValue("validTo", full ? new DateOnly(2099, 12, 31) : DBNull.Value);
        command.Parameters.AddWithValue("compass", full ? 270.0 : DBNull.Value);
        command.Parameters.AddWithValue("east", full ? 2683252.0 : DBNull.Value);
        command.Parameters.AddWithValue("north", full ? 1248103.0 : DBNull.Value);
        command.Parameters.Add(new NpgsqlParameter("edition", NpgsqlDbType.Timestamp) { Value = full ? new DateTime(2025, 6, 30, 8, 15, 0, DateTimeKind.Unspecified) : DBNull.Value });
        await command.ExecuteNonQueryAsync();
    }

    private static async Task OsmAsync(
        NpgsqlConnection c, string id, string elementType, double lat, double lon, Dictionary<string, string> tags,
        int? version = null, DateTimeOffset? timestamp = null, string? user = null)
    {
        string? Tag(string key) => tags.GetValueOrDefault(key);
        var nodeType = Tag("public_transport") ?? (Tag("railway") == "tram_stop" ? "tram_stop" : "other");
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO osm_nodes (osm_node_id, element_type, lat, lon, name, uic_name, uic_ref, local_ref, network, operator,
                                   public_transport, railway, osm_node_type, version, timestamp, osm_user, tags)
            VALUES (@id, @type, @lat, @lon, @name, @uicName, @uic, @localRef, @network, @operator, @pt, @railway, @nodeType,
                    @version, @timestamp, @user, @tags)
            """, c);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("type", elementType);
        command.Parameters.AddWithValue("lat", lat);
        command.Parameters.AddWithValue("lon", lon);
        foreach (var (name, key) in (ValueTuple<string, string>[])[("name", "name"), ("uicName", "uic_name"), ("uic", "uic_ref"), ("network", "network"),
                     ("operator", "operator"), ("pt", "public_transport"), ("railway", "railway")])
        {
            command.Parameters.AddWithValue(name, (object?)Tag(key) ?? DBNull.Value);
        }

        command.Parameters.AddWithValue("localRef", (object?)(Tag("local_ref") ?? Tag("ref")) ?? DBNull.Value);
        command.Parameters.AddWithValue("nodeType", nodeType);
        command.Parameters.AddWithValue("version", (object?)version ?? DBNull.Value);
        command.Parameters.AddWithValue("timestamp", (object?)timestamp ?? DBNull.Value);
        command.Parameters.AddWithValue("user", (object?)user ?? DBNull.Value);
        command.Parameters.Add(new NpgsqlParameter("tags", NpgsqlDbType.Jsonb) { Value = System.Text.Json.JsonSerializer.Serialize(tags) });
        await command.ExecuteNonQueryAsync();
    }

    private static async Task UnitAsync(NpgsqlConnection c, long id, string kind, string? groupKind, string representative, params (string Node, string Role)[] members)
    {
        await using (var command = new NpgsqlCommand(
            "INSERT INTO osm_stops (id, stop_kind, group_kind, representative_node_id) VALUES (@id, @kind, @group, @rep)", c))
        {
            command.Parameters.AddWithValue("id", id);
            command.Parameters.AddWithValue("kind", kind);
            command.Parameters.AddWithValue("group", (object?)groupKind ?? DBNull.Value);
            command.Parameters.AddWithValue("rep", representative);
            await command.ExecuteNonQueryAsync();
        }

        foreach (var (node, role) in members)
        {
            await using var member = new NpgsqlCommand("INSERT INTO osm_stop_members (osm_stop_id, node_id, member_role) VALUES (@id, @node, @role)", c);
            member.Parameters.AddWithValue("id", id);
            member.Parameters.AddWithValue("node", node);
            member.Parameters.AddWithValue("role", role);
            await member.ExecuteNonQueryAsync();
        }
    }

    private static async Task RowAsync(
        NpgsqlConnection c, long id, string? sloid, string stopType, string? matchType, string? osmId, double? distance,
        double? atlasLat, double? atlasLon, double? osmLat, double? osmLon, string? canton = null, bool duplicate = false, short? priority = null)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO stops_matched (id, sloid, stop_type, match_type, atlas_lat, atlas_lon, osm_node_id, osm_lat, osm_lon, distance_m,
                                       geom, canton, has_atlas_duplicate, problem_priority)
            VALUES (@id, @sloid, @stopType, @matchType, @atlasLat, @atlasLon, @osmId, @osmLat, @osmLon, @distance,
                    ST_SetSRID(ST_MakePoint(coalesce(@atlasLon, @osmLon), coalesce(@atlasLat, @osmLat)), 4326), @canton, @duplicate, @priority)
            """, c);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("sloid", (object?)sloid ?? DBNull.Value);
        command.Parameters.AddWithValue("stopType", stopType);
        command.Parameters.AddWithValue("matchType", (object?)matchType ?? DBNull.Value);
        command.Parameters.Add(new NpgsqlParameter("atlasLat", NpgsqlDbType.Double) { Value = (object?)atlasLat ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("atlasLon", NpgsqlDbType.Double) { Value = (object?)atlasLon ?? DBNull.Value });
        command.Parameters.AddWithValue("osmId", (object?)osmId ?? DBNull.Value);
        command.Parameters.Add(new NpgsqlParameter("osmLat", NpgsqlDbType.Double) { Value = (object?)osmLat ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("osmLon", NpgsqlDbType.Double) { Value = (object?)osmLon ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("distance", NpgsqlDbType.Double) { Value = (object?)distance ?? DBNull.Value });
        command.Parameters.AddWithValue("canton", (object?)canton ?? DBNull.Value);
        command.Parameters.AddWithValue("duplicate", duplicate);
        command.Parameters.Add(new NpgsqlParameter("priority", NpgsqlDbType.Smallint) { Value = (object?)priority ?? DBNull.Value });
        await command.ExecuteNonQueryAsync();
    }

    private static async Task ProblemAsync(NpgsqlConnection c, long stopId, string type, int priority, string? evidence = null)
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO problems (stop_id, problem_type, priority, evidence) VALUES (@stop, @type, @priority, @evidence::jsonb)", c);
        command.Parameters.AddWithValue("stop", stopId);
        command.Parameters.AddWithValue("type", type);
        command.Parameters.AddWithValue("priority", priority);
        command.Parameters.Add(new NpgsqlParameter("evidence", NpgsqlDbType.Text) { Value = (object?)evidence ?? DBNull.Value });
        await command.ExecuteNonQueryAsync();
    }
}
