using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using StopSync.Data;
using StopSync.Jobs.Bundles;
using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Publication;
using StopSync.Jobs.Runs;
using StopSync.Jobs.Sources.Atlas;
using StopSync.Jobs.Sources.Geography;
using StopSync.Jobs.Sources.Osm;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Jobs.Publication;

/// <summary>
/// The review map's columns (ATLAS details, OSM meta, cantons, the filter columns of stops_matched) as publication
/// writes them into a private PostGIS database, for a small dataset built by hand so every expected value is known.
/// </summary>
public sealed class ReviewMapColumnsTests : IAsyncLifetime
{
    private static readonly SwissCantons Cantons = new();
    private static readonly DateTimeOffset Edited = new(2024, 3, 5, 10, 20, 30, TimeSpan.Zero);

    private readonly string _bundles = Directory.CreateTempSubdirectory("stopsync-review-columns-").FullName;
    private TestDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        await using (var db = Context())
        {
            await db.Database.MigrateAsync();
        }

        _dataSource = DataServiceCollectionExtensions.CreateDataSource(_database.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await _database.DisposeAsync();
        Directory.Delete(_bundles, recursive: true);
    }

    [Fact]
    public async Task Publish_FillsTheFilterColumnsOfStopsMatched_FromBothSidesAndTheirProblems()
    {
        await PublishDirectlyAsync(Input());

        var rows = await QueryAsync(
            """
            SELECT coalesce(sloid, '-') || '|' || coalesce(osm_node_id, '-'), concat_ws('|', coalesce(canton, '-'), coalesce(atlas_operator, '-'),
                   coalesce(osm_operator, '-'), coalesce(osm_node_type, '-'), coalesce(osm_group_kind, '-'), has_atlas_duplicate,
                   coalesce(problem_priority::text, '-'))
            FROM stops_matched ORDER BY id
            """);

        Assert.Equal(
            [
                // Matched, in a UIC pair, in a duplicate group; problems of priority 2 and 1 on the pair: the row shows 1.
                ("ch:1:sloid:3000:0:1|101", "ZH|SBB|SBB|platform|osm_pair_uic|t|1"),
                // The duplicate's own problem (priority 3) lands on its own row.
                ("ch:1:sloid:3000:0:2|-", "ZH|SBB|-|-|-|t|3"),
                ("ch:1:sloid:7000:0:1|-", "BE|BERNMOBIL|-|-|-|f|-"),
                // OSM-only rows take the canton of the OSM point; the pair's other member carries the pair's kind.
                ("-|102", "ZH|-|-|stop_position|osm_pair_uic|f|-"),
                ("-|way_55", "TI|-|TPL|railway_station|-|f|-"),
                // Milan is in no canton; its problem still gives the row a priority.
                ("-|104", "-|-|-|platform|-|f|2"),
            ],
            rows);
    }

    [Fact]
    public async Task Publish_FillsTheAtlasDetailsAndOsmMeta_WithTheCantonOfEachPoint()
    {
        await PublishDirectlyAsync(Input());

        var atlas = await QueryAsync(
            """
            SELECT sloid, concat_ws('|', canton, atlas_business_org_name, atlas_business_org_sboid, atlas_designation_operational,
                   parent_service_point_sloid, element_type, valid_from, valid_to, compass_direction, lv95_east, lv95_north,
                   to_char(edition_date, 'YYYY-MM-DD HH24:MI:SS'))
            FROM atlas_stops ORDER BY sloid
            """);
        var osm = await QueryAsync(
            """
            SELECT osm_node_id, concat_ws('|', coalesce(canton, '-'), version, to_char(timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'),
                   osm_user, operator)
            FROM osm_nodes ORDER BY osm_node_id
            """);

        Assert.Equal(
            [
                // ATLAS's open end 9999-12-31 (DateOnly.MaxValue) is stored as PostgreSQL's infinity, which EF reads back as 9999-12-31.
                ("ch:1:sloid:3000:0:1", "ZH|Swiss Federal Railways SBB|ch:1:sboid:100001|Gleis 1|ch:1:sloid:3000|BOARDING_PLATFORM|2019-12-15|infinity|45.5|2683000.25|1248000.75|2024-04-08 09:47:16"),
                ("ch:1:sloid:3000:0:2", "ZH|Swiss Federal Railways SBB|ch:1:sboid:100001"),
                ("ch:1:sloid:7000:0:1", "BE"),
            ],
            atlas);
        Assert.Equal(
            [
                ("101", "ZH|5|2024-03-05T10:20:30|alice|SBB"),
                ("102", "ZH"),
                ("104", "-|1|2024-03-05T10:20:30|b\u00f6b"),
                ("way_55", "TI|9|2024-03-05T10:20:30|carol|TPL"),
            ],
            osm);
        await using var db = Context();
        var zurich = await db.AtlasStops.SingleAsync(s => s.Sloid == "ch:1:sloid:3000:0:1");
        Assert.Equal((DateOnly.MaxValue, 45.5, new DateTime(2024, 4, 8, 9, 47, 16)), (zurich.ValidTo, zurich.CompassDirection, zurich.EditionDate));
        var node = await db.OsmNodes.SingleAsync(n => n.OsmNodeId == "101");
        Assert.Equal((5, Edited, "alice", "ZH"), (node.Version, node.Timestamp, node.User, node.Canton));
    }

    [Fact]
    public async Task PublishFromTheBundle_GivesTheSameTables_AsPublishingDirectly()
    {
        var input = Input();
        var (directory, manifest) = WriteBundle(input);
        await Publisher().PublishAsync(Guid.NewGuid(), new ResultBundle(directory, manifest, input, []), null, CancellationToken.None);
        var direct = await DumpAsync();

        var fromBundle = ResultBundleReader.Read(directory);
        await Publisher().PublishAsync(Guid.NewGuid(), fromBundle, null, CancellationToken.None);

        var republished = await DumpAsync();
        Assert.Equal(direct, republished);
        Assert.Contains(direct, line => line.Contains("\"osm_user\": \"alice\"", StringComparison.Ordinal));
        Assert.Contains(direct, line => line.Contains("\"lv95_east\": 2683000.25", StringComparison.Ordinal));
    }

    private static PublicationInput Input()
    {
        var details = new AtlasPlatformDetails("Gleis 1", "ch:1:sloid:3000", AtlasCsvReader.BoardingPlatform, new DateOnly(2019, 12, 15),
            DateOnly.MaxValue, 45.5, 2683000.25, 1248000.75, new DateTime(2024, 4, 8, 9, 47, 16));
        var zurich = new AtlasPlatform("ch:1:sloid:3000:0:1", "8503000", "1", "Zürich HB", "SBB", 47.3779, 8.5403, "ch:1:sboid:100001",
            "Swiss Federal Railways SBB") { Details = details };
        // Same number and designation: an ATLAS duplicate, with no details (as from a bundle written before them).
        var duplicate = new AtlasPlatform("ch:1:sloid:3000:0:2", "8503000", "1", "Zürich HB", "SBB", 47.37795, 8.54035, "ch:1:sboid:100001",
            "Swiss Federal Railways SBB");
        var bern = new AtlasPlatform("ch:1:sloid:7000:0:1", "8507000", "1", "Bern", "BERNMOBIL", 46.9490, 7.4391);

        var platform = Element("101", 47.3780, 8.5404, ("public_transport", "platform"), ("operator", "SBB")) with
        {
            Operator = "SBB", Version = 5, Timestamp = Edited, User = "alice",
        };
        var stopPosition = Element("102", 47.3781, 8.5405, ("public_transport", "stop_position"));
        var lugano = Element("way_55", 46.0037, 8.9511, ("railway", "station"), ("operator", "TPL")) with
        {
            Operator = "TPL", Version = 9, Timestamp = Edited, User = "carol",
        };
        var milan = Element("104", 45.4642, 9.1900, ("public_transport", "platform")) with { Version = 1, Timestamp = Edited, User = "b\u00f6b" };

        return new PublicationInput(
            [new AtlasOsmMatch(zurich, platform, "exact", 12.5, "", new MatchEvidence("exact", 12.5))],
            [new UnmatchedAtlasPlatform(duplicate, false), new UnmatchedAtlasPlatform(bern, true)],
            [new UnmatchedOsmElement(stopPosition, false, false), new UnmatchedOsmElement(lugano, true, false), new UnmatchedOsmElement(milan, true, false)],
            [
                new DetectedProblem("p1", "distance", 2, zurich.Sloid, platform.Id),
                new DetectedProblem("p2", "attributes", 1, zurich.Sloid, platform.Id),
                new DetectedProblem("p3", "duplicates", 3, duplicate.Sloid, null),
                new DetectedProblem("p4", "unmatched", 2, null, milan.Id),
            ],
            [
                new StopUnit("101", StopUnitKinds.PairKind, StopUnitKinds.GroupPairUic,
                    [new StopUnitMember("101", StopUnitKinds.RolePairA), new StopUnitMember("102", StopUnitKinds.RolePairB)]),
                new StopUnit("way_55", StopUnitKinds.SingleKind, null, [new StopUnitMember("way_55", StopUnitKinds.RoleSingle)]),
                new StopUnit("104", StopUnitKinds.SingleKind, null, [new StopUnitMember("104", StopUnitKinds.RoleSingle)]),
            ],
            [new AtlasDuplicateGroup("8503000", "1", [zurich, duplicate])]);
    }

    private static OsmElement Element(string id, double lat, double lon, params (string Key, string Value)[] tags) =>
        new(id, id.StartsWith("way_", StringComparison.Ordinal) ? "way" : "node", lat, lon, tags.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal));

    private async Task PublishDirectlyAsync(PublicationInput input)
    {
        var (directory, manifest) = WriteBundle(input);
        await Publisher().PublishAsync(Guid.NewGuid(), new ResultBundle(directory, manifest, input, []), null, CancellationToken.None);
    }

    private (string Directory, BundleManifest Manifest) WriteBundle(PublicationInput input)
    {
        var directory = Path.Combine(_bundles, Guid.NewGuid().ToString("N"));
        var manifest = ResultBundleWriter.Write(directory, new BundleContent(Guid.NewGuid(), DateTimeOffset.UtcNow, input, [], new { }, new { }, []));
        return (directory, manifest);
    }

    private StopSyncDbContext Context() =>
        new(new DbContextOptionsBuilder<StopSyncDbContext>()
            .UseNpgsql(_database.ConnectionString, o => o.UseNetTopologySuite()).UseSnakeCaseNamingConvention().Options);

    private DatasetPublisher Publisher() =>
        TestPublisher.Create(_dataSource, new PipelineOptions(), Cantons);

    /// <summary>Every row of every published table as JSON, in key order.</summary>
    private async Task<List<string>> DumpAsync()
    {
        var lines = new List<string>();
        // A problem's own id comes from a sequence, so it is left out; everything else must be equal.
        foreach (var (table, order) in (List<(string, string)>)[("atlas_stops", "sloid"), ("osm_nodes", "osm_node_id"), ("osm_stops", "id"),
            ("osm_stop_members", "node_id"), ("stops_matched", "id"), ("problems", "stop_id, problem_type")])
        {
            lines.AddRange((await QueryAsync($"SELECT '{table}', (to_jsonb(t) - 'id' || jsonb_build_object('table', '{table}'))::text FROM {table} t ORDER BY {order}"))
                .Select(r => r.Value));
        }

        return lines;
    }

    private async Task<List<(string Key, string Value)>> QueryAsync(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1)));
        }

        return rows;
    }
}
