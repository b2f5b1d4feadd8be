using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using StopSync.Data;
using StopSync.Jobs.Bundles;
using StopSync.Jobs.Matching.Routes;
using StopSync.Jobs.Publication;
using StopSync.Jobs.Runs;
using StopSync.Jobs.Sources.Geography;
using StopSync.Jobs.Sources.Gtfs;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Jobs.Publication;

/// <summary>
/// The route tables as publication fills them from a result bundle: the demo dataset's stops with the hand-made lines of
/// <see cref="RouteSamples"/>, written to a bundle, read back, published, and replaced by the next publication.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class RoutePublicationTests(IntegrationFixture fixture) : IAsyncLifetime
{
    private static readonly SwissCantons Cantons = new();
    private static readonly string[] LonelyKeys = ["uic:8599999"];
    private readonly string _work = Directory.CreateTempSubdirectory("stopsync-route-publication-").FullName;
    private NpgsqlDataSource _dataSource = null!;
    private ResultBundle _demo = null!;

    public Task InitializeAsync()
    {
        _dataSource = DataServiceCollectionExtensions.CreateDataSource(fixture.ConnectionString);
        var store = new ResultBundleStore(
            Options.Create(new PipelineOptions { Bundles = { Directory = Path.Combine(fixture.DemoDirectory, "bundles") } }),
            NullLogger<ResultBundleStore>.Instance);
        _demo = ResultBundleReader.Read(store.Latest() ?? throw new InvalidOperationException("The fixture's run left no published bundle."));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task Publish_FillsTheSixRouteTablesFromTheBundle_AndTheNextPublicationReplacesThem()
    {
        var input = RouteSamples.WithRoutes(StopsOnly());
        var stops = RouteSamples.Stops(input);
        try
        {
            var counts = await Publisher().PublishAsync(Guid.NewGuid(), Bundle(input), null, CancellationToken.None);

            Assert.Equal(new RouteCounts(Families: 4, Itineraries: 7, StopCalls: 13, FamilyMatches: 1, ItineraryMatches: 2, GtfsStops: 3), counts.Routes);
            await using var connection = await _dataSource.OpenConnectionAsync();
            var families = await RowsAsync(connection,
                "SELECT id, source, source_family_id, matched_family_id, itinerary_count, stop_count, is_non_gtfs, operator, route_master_id FROM line_families ORDER BY id");
            Assert.Equal(
                [
                    [1L, "atlas", RouteSamples.AtlasLine, 3L, 2, 3, false, "Verkehrsbetriebe \"Zürich\", AG", null],
                    [2L, "atlas", RouteSamples.AtlasLonely, null, 1, 1, false, "Schweizerische Bundesbahnen SBB", null],
                    [3L, "osm", RouteSamples.OsmMaster, 1L, 3, 3, false, "VBZ", "555"],
                    [4L, "osm", RouteSamples.OsmTourist, null, 1, 1, true, null, null],
                ],
                families);

            var itineraries = await RowsAsync(connection,
                """
                SELECT i.id, f.source_family_id, i.source_itinerary_id, i.direction_id, i.matched_itinerary_id, i.stop_count, i.trip_count, i.relation_id
                FROM itineraries i JOIN line_families f ON f.id = i.line_family_id ORDER BY i.id
                """);
            Assert.Equal(
                [
                    [1L, RouteSamples.AtlasLine, RouteSamples.Outbound, "0", 4L, 3, 12, null],
                    [2L, RouteSamples.AtlasLine, RouteSamples.Inbound, "1", 5L, 2, 11, null],
                    [3L, RouteSamples.AtlasLonely, RouteSamples.LonelyItinerary, null, null, 1, 1, null],
                    [4L, RouteSamples.OsmMaster, "1001", "0", 1L, 3, 0, "1001"],
                    [5L, RouteSamples.OsmMaster, "1002", "1", 2L, 2, 0, "1002"],
                    [6L, RouteSamples.OsmMaster, "1003", null, null, 1, 0, "1003"],
                    [7L, RouteSamples.OsmTourist, "2001", null, null, 1, 0, "2001"],
                ],
                itineraries);

            var calls = await RowsAsync(connection,
                """
                SELECT c.stop_sequence, c.source_stop_id, c.sloid, c.sloid_variants, c.osm_node_id, c.stop_keys, c.uic_ref, c.member_role
                FROM stop_calls c JOIN itineraries i ON i.id = c.itinerary_id WHERE i.source_itinerary_id IN ('1001', @lonely) ORDER BY i.id, c.stop_sequence
                """, ("lonely", RouteSamples.LonelyItinerary));
            var expectedCalls = new List<object?[]> { new object?[] { 1, "8599999", null, Array.Empty<string>(), null, LonelyKeys, "8599999", null } };
            expectedCalls.AddRange(stops.Select((m, k) => new object?[]
            {
                k + 1, m.OsmId, m.Sloid, new[] { m.Sloid }, m.OsmId, new[] { "sloid:" + m.Sloid, "uic:" + m.Atlas.Number }, m.Atlas.Number, k == 1 ? "" : "platform",
            }));
            Assert.Equal(expectedCalls, calls);

            Assert.Equal([[1L, 1L, 3L, "normalized_route_id", 0.95]],
                await RowsAsync(connection, "SELECT id, atlas_line_family_id, osm_line_family_id, match_method, score FROM line_family_matches"));
            Assert.Equal(
                [
                    [1L, 1L, 1L, 4L, 1.0, null, 3, "ordered_stop_match"],
                    [2L, 1L, 2L, 5L, 2 / 3.0, null, 2, "ordered_stop_match"],
                ],
                await RowsAsync(connection,
                    "SELECT id, line_family_match_id, atlas_itinerary_id, osm_itinerary_id, stop_score, geometry_score, matched_stops, match_reason FROM itinerary_matches ORDER BY id"));

            var gtfs = RouteSamples.Gtfs(input);
            Assert.Equal(
                [
                    ["8500001:0:1", "platform", "original_stop_id", stops[0].Sloid, new[] { stops[0].Sloid }, null, gtfs.Stops[0].Lon, gtfs.Stops[0].Lat],
                    ["8500002", "stop", "coordinate_proximity", stops[1].Sloid, new[] { stops[1].Sloid, stops[2].Sloid }, 14.25, gtfs.Stops[2].Lon, gtfs.Stops[2].Lat],
                    ["Parent8500001", "station", "unmatched", null, Array.Empty<string>(), null, gtfs.Stops[1].Lon, gtfs.Stops[1].Lat],
                ],
                await RowsAsync(connection,
                    "SELECT stop_id, identity_level, resolution_method, resolved_sloid, resolved_sloids, distance_m, ST_X(geom), ST_Y(geom) FROM gtfs_stops ORDER BY stop_id"));

            Assert.Equal([["f00000000000000000000001", "route_membership", 2], ["f00000000000000000000002", "route_unmatched", 3]],
                await RowsAsync(connection, "SELECT problem_key, problem_type, priority FROM problems WHERE problem_type LIKE 'route\\_%' ORDER BY problem_key"));
            Assert.Equal((true, true), await CapabilitiesAsync(connection));

            // The next publication: one timetable line left, one GTFS stop, no match. Nothing of the first may survive.
            var lonely = RouteSamples.Routes(input).Families[1];
            var next = StopsOnly() with
            {
                Routes = RouteMatchingOutput.Empty with { Families = [lonely], Summary = RouteMatchingOutput.Empty.Summary with { AtlasFamilies = 1 } },
                GtfsIdentity = new GtfsStopIdentities([gtfs.Stops[1]], [gtfs.Resolutions[1]]),
            };
            await Publisher().PublishAsync(Guid.NewGuid(), Bundle(next), null, CancellationToken.None);

            Assert.Equal([[RouteSamples.AtlasLonely, null]], await RowsAsync(connection, "SELECT source_family_id, matched_family_id FROM line_families"));
            Assert.Equal([[RouteSamples.LonelyItinerary, 1L]], await RowsAsync(connection, "SELECT source_itinerary_id, line_family_id FROM itineraries"));
            Assert.Equal([[1L]], await RowsAsync(connection, "SELECT count(*) FROM stop_calls"));
            Assert.Equal([[0L, 0L]], await RowsAsync(connection, "SELECT (SELECT count(*) FROM line_family_matches), (SELECT count(*) FROM itinerary_matches)"));
            Assert.Equal([["Parent8500001"]], await RowsAsync(connection, "SELECT stop_id FROM gtfs_stops"));
            Assert.Equal([[0L]], await RowsAsync(connection, "SELECT count(*) FROM problems WHERE problem_type LIKE 'route\\_%'"));
            Assert.Equal((true, true), await CapabilitiesAsync(connection));
            Assert.Equal([[0L]], await RowsAsync(connection,
                "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'staging\\_%' OR nspname LIKE 'previous\\_%'"));
        }
        finally
        {
            // The collection's other tests read the demo dataset as a real run publishes it.
            await fixture.RunPipelineAsync(fixture.DemoAtlasPath, fixture.DemoOsmPath);
        }
    }

    [Fact]
    public async Task Publish_EmptiesTheRouteTables_ForABundleWithoutRoutes()
    {
        try
        {
            await Publisher().PublishAsync(Guid.NewGuid(), Bundle(RouteSamples.WithRoutes(StopsOnly())), null, CancellationToken.None);

            var counts = await Publisher().PublishAsync(Guid.NewGuid(), Bundle(StopsOnly()), null, CancellationToken.None);

            Assert.Equal(new RouteCounts(0, 0, 0, 0, 0, 0), counts.Routes);
            await using var connection = await _dataSource.OpenConnectionAsync();
            Assert.Equal([[0L, 0L, 0L, 0L, 0L, 0L]], await RowsAsync(connection,
                """
                SELECT (SELECT count(*) FROM line_families), (SELECT count(*) FROM itineraries), (SELECT count(*) FROM stop_calls),
                       (SELECT count(*) FROM line_family_matches), (SELECT count(*) FROM itinerary_matches), (SELECT count(*) FROM gtfs_stops)
                """));
            Assert.Equal((false, false), await CapabilitiesAsync(connection));
        }
        finally
        {
            await fixture.RunPipelineAsync(fixture.DemoAtlasPath, fixture.DemoOsmPath);
        }
    }

    /// <summary>The demo run's stop result alone: whatever route matching it had is left out, so the tables hold only the sample's.</summary>
    private PublicationInput StopsOnly() => _demo.Result with
    {
        Routes = null,
        GtfsIdentity = null,
        Problems = [.. _demo.Result.Problems.Where(p => !p.Type.StartsWith("route_", StringComparison.Ordinal))],
    };

    /// <summary>Through the bundle on disk, as a run publishes: written, then read back and validated.</summary>
    private ResultBundle Bundle(PublicationInput input)
    {
        var path = Path.Combine(_work, Guid.NewGuid().ToString("D"));
        ResultBundleWriter.Write(path, new BundleContent(Guid.NewGuid(), DateTimeOffset.UtcNow, input, [], new { }, new { }, []));
        return ResultBundleReader.Read(path);
    }

    private DatasetPublisher Publisher() =>
        TestPublisher.Create(_dataSource, new PipelineOptions(), Cantons);

    private static async Task<(bool Routes, bool GtfsIdentity)> CapabilitiesAsync(NpgsqlConnection connection)
    {
        var json = (string)(await RowsAsync(connection, "SELECT (manifest -> 'metadata' -> 'capabilities')::text FROM dataset_publication"))[0][0]!;
        using var document = JsonDocument.Parse(json);
        return (document.RootElement.GetProperty("routes").GetBoolean(), document.RootElement.GetProperty("gtfs_identity").GetBoolean());
    }

    private static async Task<List<object?[]>> RowsAsync(NpgsqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
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
            for (var k = 0; k < row.Length; k++)
            {
                row[k] = reader.IsDBNull(k) ? null : reader.GetValue(k);
            }

            rows.Add(row);
        }

        return rows;
    }
}
