using System.Text.Json;
using System.Text.Json.Nodes;
using StopSync.Jobs.Bundles;
using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Matching.Routes;
using StopSync.Jobs.Publication;
using StopSync.Tests.Jobs.Matching;

namespace StopSync.Tests.Jobs.Bundles;

/// <summary>The bundle's routes section and gtfs_stops extension rows: what a run writes is what publication reads.</summary>
public sealed class RouteBundleTests : IDisposable
{
    private static readonly Lazy<PublicationInput> Stops =
        new(() => PublicationInput.From(MatchingEngine.Run(SyntheticStopNetwork.Generate(seed: 11, stations: 60))));

    private readonly string _root = Directory.CreateTempSubdirectory("stopsync-route-bundle-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void WriteThenRead_GivesBackTheRoutesAndTheGtfsStops_Equal()
    {
        var input = RouteSamples.WithRoutes(Stops.Value);
        var path = Write(input);

        var bundle = ResultBundleReader.Read(path);

        RouteSamples.AssertDeepEqual(input.Routes, bundle.Result.Routes);
        RouteSamples.AssertDeepEqual(input.GtfsIdentity, bundle.Result.GtfsIdentity);
        RouteSamples.AssertDeepEqual(input.Problems, bundle.Result.Problems);
        Assert.Equal(new BundleCapabilities(Routes: true, GtfsIdentity: true), bundle.Manifest.Metadata.Capabilities);
        // Four families (itineraries and calls nested), one family match, two itinerary matches and the summary.
        Assert.Equal(
            ["line_family", "line_family", "line_family", "line_family", "line_family_match", "itinerary_match", "itinerary_match", "route_summary"],
            ResultBundleFormatTests.Lines(path, ResultBundleFormat.Routes).Select(l => JsonNode.Parse(l)!["kind"]!.GetValue<string>()));
        Assert.Equal(3, ResultBundleFormatTests.Lines(path, ResultBundleFormat.Extensions).Count(l => l.StartsWith("{\"kind\":\"gtfs_stops\"", StringComparison.Ordinal)));
    }

    [Fact]
    public void Write_NestsItinerariesAndCallsInTheFamilyRow_AndLabelsTheGtfsStops()
    {
        var path = Write(RouteSamples.WithRoutes(Stops.Value));

        var family = JsonNode.Parse(ResultBundleFormatTests.Lines(path, ResultBundleFormat.Routes)[0])!["value"]!;
        var gtfs = JsonNode.Parse(ResultBundleFormatTests.Lines(path, ResultBundleFormat.Extensions)
            .Last(l => l.StartsWith("{\"kind\":\"gtfs_stops\"", StringComparison.Ordinal)))!["value"]!;

        Assert.Equal(RouteSamples.AtlasLine, family["family_id"]!.GetValue<string>());
        Assert.Equal(RouteSamples.Outbound, family["itineraries"]![0]!["itinerary_id"]!.GetValue<string>());
        Assert.Equal(3, family["itineraries"]![0]!["calls"]!.AsArray().Count);
        Assert.Equal(JsonValueKind.Array, family["itineraries"]![0]!["calls"]![0]!["stop_keys"]!.GetValueKind());
        Assert.Equal("coordinate_proximity", gtfs["resolution_method"]!.GetValue<string>());
        Assert.Equal("stop", gtfs["identity_level"]!.GetValue<string>());
        Assert.Equal(2, gtfs["sloids"]!.AsArray().Count);
    }

    [Fact]
    public void Read_GivesNoRoutesAndNoGtfsIdentity_ForABundleWrittenWithoutThem()
    {
        // What every bundle before route matching holds: an empty routes section and only the run's figures as extensions.
        var path = Write(Stops.Value);

        var bundle = ResultBundleReader.Read(path);

        Assert.Null(bundle.Result.Routes);
        Assert.Null(bundle.Result.GtfsIdentity);
        Assert.Equal(new BundleCapabilities(Routes: false, GtfsIdentity: false), bundle.Manifest.Metadata.Capabilities);
        Assert.Equal(0, bundle.Manifest.Files[ResultBundleFormat.Routes].Rows);
        Assert.Equal(Stops.Value.Problems.Count, bundle.Result.Problems.Count);
    }

    [Fact]
    public void Write_ClaimsNoRoutes_WhenRouteMatchingProducedNoFamily()
    {
        var path = Write(Stops.Value with { Routes = RouteMatchingOutput.Empty, GtfsIdentity = new GtfsStopIdentities([], []) });

        var bundle = ResultBundleReader.Read(path);

        Assert.Equal(new BundleCapabilities(Routes: false, GtfsIdentity: false), bundle.Manifest.Metadata.Capabilities);
        Assert.Null(bundle.Result.Routes);
        Assert.Null(bundle.Result.GtfsIdentity);
    }

    [Fact]
    public void Read_TakesAValueWrittenBeforeItsKind()
    {
        var input = RouteSamples.WithRoutes(Stops.Value);
        var path = Write(input);
        // Another writer may order the members differently; the value is then buffered until the kind is known.
        ResultBundleFormatTests.RewriteSection(path, ResultBundleFormat.Routes, lines =>
        {
            for (var i = 0; i < lines.Count; i++)
            {
                var row = JsonNode.Parse(lines[i])!.AsObject();
                lines[i] = new JsonObject { ["value"] = row["value"]!.DeepClone(), ["kind"] = row["kind"]!.DeepClone() }.ToJsonString();
            }
        });

        var bundle = ResultBundleReader.Read(path);

        RouteSamples.AssertDeepEqual(input.Routes, bundle.Result.Routes);
    }

    [Theory]
    [InlineData("source", 1, "line family bus:91-10-A-j26-1: source 'bus' is neither 'atlas' nor 'osm'")]
    [InlineData("family_id", 1, "the line family has no family_id")]
    [InlineData("mode", 1, "line family atlas:91-10-A-j26-1: mode 'a-very-long-mode-name' is longer than 16 characters")]
    [InlineData("sequence", 1, "line family atlas:91-10-A-j26-1, itinerary 91-10-A-j26-1|0|0123456789ab, call 2 has sequence 5 (calls are numbered 1, 2, 3… in order)")]
    [InlineData("stop_keys", 3, "line family osm:route_master:555, itinerary 1001, call 1 has no stop_keys (every call has at least one)")]
    [InlineData("lat", 1, "coordinates (95, ")]
    [InlineData("direction", 3, "line family osm:route_master:555, itinerary 1002: direction_id 'up' is not 0, 1 or absent")]
    [InlineData("duplicate_itinerary", 2, "itinerary 91-10-A-j26-1|0|0123456789ab: the atlas itinerary id is already used by family 91-10-A-j26-1")]
    [InlineData("kind", 2, "unknown kind 'line_familly' (expected line_family, line_family_match, itinerary_match or route_summary)")]
    [InlineData("no_value", 5, "the line_family_match row has no value")]
    [InlineData("family_match", 5, "names ATLAS family 'nope', which is not in the section")]
    [InlineData("itinerary_match", 7, "'2001' is not an itinerary of OSM family route_master:555")]
    [InlineData("twice_matched", 7, "ATLAS itinerary '91-10-A-j26-1|0|0123456789ab' is matched twice")]
    [InlineData("trip_count", 1, "not a valid row: ")]
    public void Read_RefusesAMalformedRouteRow_NamingTheSectionAndLine(string fault, int line, string expected)
    {
        var path = Write(RouteSamples.WithRoutes(Stops.Value));
        ResultBundleFormatTests.RewriteSection(path, ResultBundleFormat.Routes, lines =>
        {
            var row = JsonNode.Parse(lines[line - 1])!.AsObject();
            var value = row["value"]!;
            switch (fault)
            {
                case "source":
                    value["source"] = "bus";
                    break;
                case "family_id":
                    value.AsObject().Remove("family_id");
                    break;
                case "mode":
                    value["mode"] = "a-very-long-mode-name";
                    break;
                case "sequence":
                    value["itineraries"]![0]!["calls"]![1]!["sequence"] = 5;
                    break;
                case "stop_keys":
                    value["itineraries"]![0]!["calls"]![0]!["stop_keys"] = new JsonArray();
                    break;
                case "lat":
                    value["itineraries"]![1]!["calls"]![0]!["lat"] = 95;
                    break;
                case "direction":
                    value["itineraries"]![1]!["direction_id"] = "up";
                    break;
                case "duplicate_itinerary":
                    value["itineraries"]![0]!["itinerary_id"] = RouteSamples.Outbound;
                    break;
                case "kind":
                    row["kind"] = "line_familly";
                    break;
                case "no_value":
                    row["value"] = null;
                    break;
                case "family_match":
                    value["atlas_family_id"] = "nope";
                    break;
                case "itinerary_match":
                    value["osm_itinerary_id"] = "2001";
                    break;
                case "twice_matched":
                    value["atlas_itinerary_id"] = RouteSamples.Outbound;
                    break;
                case "trip_count":
                    value["itineraries"]![0]!["trip_count"] = "many";
                    break;
            }

            lines[line - 1] = row.ToJsonString();
        });

        var error = Assert.Throws<ResultBundleException>(() => ResultBundleReader.Read(path));

        Assert.StartsWith($"routes.jsonl.gz line {line}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RefusesRouteRowsWithoutTheirSummary()
    {
        var path = Write(RouteSamples.WithRoutes(Stops.Value));
        ResultBundleFormatTests.RewriteSection(path, ResultBundleFormat.Routes, lines => lines.RemoveAt(lines.Count - 1));

        var error = Assert.Throws<ResultBundleException>(() => ResultBundleReader.Read(path));

        Assert.Equal("routes.jsonl.gz: the section has route rows but no route_summary row.", error.Message);
    }

    [Theory]
    [InlineData("resolution_method", "GTFS stop '8500002': resolution_method 'guess' is not one of original_stop_id, uic_platform")]
    [InlineData("identity_level", "GTFS stop '8500002': identity_level 'quay' is not one of station, platform, child_stop, stop")]
    [InlineData("stop_id", "the GTFS stop 'Parent8500001' appears twice")]
    [InlineData("lon", "coordinates (")]
    public void Read_RefusesAMalformedGtfsStopRow_NamingTheSectionAndLine(string fault, string expected)
    {
        var path = Write(RouteSamples.WithRoutes(Stops.Value));
        var line = 0;
        ResultBundleFormatTests.RewriteSection(path, ResultBundleFormat.Extensions, lines =>
        {
            line = lines.FindLastIndex(l => l.StartsWith("{\"kind\":\"gtfs_stops\"", StringComparison.Ordinal)) + 1;
            var row = JsonNode.Parse(lines[line - 1])!.AsObject();
            var value = row["value"]!;
            switch (fault)
            {
                case "resolution_method":
                    value["resolution_method"] = "guess";
                    break;
                case "identity_level":
                    value["identity_level"] = "quay";
                    break;
                case "stop_id":
                    value["stop_id"] = "Parent8500001";
                    break;
                case "lon":
                    value["lon"] = -200;
                    break;
            }

            lines[line - 1] = row.ToJsonString();
        });

        var error = Assert.Throws<ResultBundleException>(() => ResultBundleReader.Read(path));

        Assert.StartsWith($"extensions.jsonl.gz line {line}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private string Write(PublicationInput input)
    {
        var path = Path.Combine(_root, Guid.NewGuid().ToString("D"));
        ResultBundleWriter.Write(path, new BundleContent(Guid.NewGuid(), DateTimeOffset.UtcNow, input, ["a note"], new { atlas = "test" }, new { runs = 1 },
            [new("quality_metrics", new { matched = 1 })]));
        return path;
    }
}
