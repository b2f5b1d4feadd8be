using StopSync.Jobs.Demo;
using StopSync.Jobs.Matching;
using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Matching.Routes;
using StopSync.Tests.Infrastructure;
using StopSync.Tests.Jobs.Matching;
using StopSync.Tests.Jobs.Sources.Gtfs;

namespace StopSync.Tests.Jobs.Cli;

/// <summary><c>match --gtfs</c>'s routes.csv and the <c>bench-routes</c> command, as an operator runs them.</summary>
public sealed class RouteCommandTests : IDisposable
{
    private const string Header = "family_atlas,family_osm,itinerary_atlas,itinerary_osm,stop_score,match_reason";

    private readonly string _dir = Directory.CreateTempSubdirectory("stopsync-routes-cli-").FullName;

    private static string SampleAtlas => TestEnvironment.SharedData("upstream-sample", "sample_atlas.csv");

    private static string SampleOsm => TestEnvironment.SharedData("upstream-sample", "sample_osm.xml");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Write_GivesOneRowPerItineraryMatch_AndOneForAFamilyMatchWithoutAny_OrderedAndQuoted()
    {
        var routes = RouteMatchingOutput.Empty with
        {
            FamilyMatches =
            [
                new LineFamilyMatch("C", "relation:9", "display_route_id", 0.9),
                new LineFamilyMatch("B-line", "route_master:2", "exact_gtfs_route_id", 1.0),
                new LineFamilyMatch("A,line", "gtfs:A", "normalized_route_id", 0.95),
            ],
            ItineraryMatches =
            [
                new ItineraryMatch("B-line", "route_master:2", "B-line|1|bb", "11", 1.0, 0.8, null, 0.9, 4, "ordered_stop_match"),
                new ItineraryMatch("B-line", "route_master:2", "B-line|0|aa", "10", 1.0, 2 / 3.0, null, 5 / 6.0, 2, "ordered_stop_match"),
                new ItineraryMatch("A,line", "gtfs:A", "A,line|0|\"q\"", "12", 1.0, 1.0, null, 1.0, 7, "ordered_stop_match"),
            ],
        };

        MatchOutputWriter.Write(_dir, EmptyStopResult(), new MatchingOptions(), routes);

        Assert.Equal(
            Header + "\n"
            + "\"A,line\",gtfs:A,\"A,line|0|\"\"q\"\"\",12,1,ordered_stop_match\n"
            + "B-line,route_master:2,B-line|0|aa,10,0.6667,ordered_stop_match\n"
            + "B-line,route_master:2,B-line|1|bb,11,0.8,ordered_stop_match\n"
            + "C,relation:9,,,,display_route_id\n",
            File.ReadAllText(Path.Combine(_dir, "routes.csv")));
    }

    [Fact]
    public void Write_LeavesOutRoutesCsv_WithoutRouteMatching()
    {
        MatchOutputWriter.Write(_dir, EmptyStopResult(), new MatchingOptions());

        Assert.False(File.Exists(Path.Combine(_dir, "routes.csv")));
        Assert.Equal("sloid,osm_id,match_type,distance_m\n", File.ReadAllText(Path.Combine(_dir, "matches.csv")));
    }

    [Fact]
    public async Task Match_WithGtfs_WritesRoutesCsvWithItsHeader_AndSaysWhatRouteMatchingFound()
    {
        // Beatenbucht and Zufikon from the upstream sample, served by one line in both directions.
        var gtfs = new GtfsFeedBuilder()
            .With("stops.txt",
                "stop_id,stop_name,stop_lat,stop_lon",
                "8507190:0:1,Beatenbucht,46.68550,7.74709",
                "8502274:0:1,Zufikon,47.35271,8.35454")
            .With("routes.txt", "route_id,agency_id,route_short_name,route_long_name,route_type", "91-7-A-j26-1,149,7,,700")
            .With("trips.txt", "route_id,service_id,trip_id,direction_id,trip_headsign", "91-7-A-j26-1,S,T1,0,Zufikon", "91-7-A-j26-1,S,T2,1,Beatenbucht")
            .With("stop_times.txt",
                "trip_id,arrival_time,departure_time,stop_id,stop_sequence",
                "T1,08:00:00,08:00:00,8507190:0:1,1", "T1,09:00:00,09:00:00,8502274:0:1,2",
                "T2,10:00:00,10:00:00,8502274:0:1,1", "T2,11:00:00,11:00:00,8507190:0:1,2")
            .WriteTo(_dir, "gtfs.zip");
        var withGtfs = Path.Combine(_dir, "with");
        var without = Path.Combine(_dir, "without");

        var (exitCode, output) = await JobsExecutable.RunAsync(null, "match", "--atlas", SampleAtlas, "--osm", SampleOsm, "--gtfs", gtfs, "--out", withGtfs);
        var (plainExit, plainOutput) = await JobsExecutable.RunAsync(null, "match", "--atlas", SampleAtlas, "--osm", SampleOsm, "--out", without);

        Assert.True(exitCode == 0, output);
        Assert.True(plainExit == 0, plainOutput);
        var lines = File.ReadAllLines(Path.Combine(withGtfs, "routes.csv"));
        Assert.Equal(Header, lines[0]);
        Assert.All(lines.Skip(1), l => Assert.Matches("^[^,]+,[^,]+,[^,]*,[^,]*,(|[01](\\.\\d{1,4})?),[a-z_]+$", l));
        Assert.Matches(@"Routes: \d+ of \d+ timetable lines matched with \d+ OSM line families \(\d+ without timetable\), \d+ itineraries matched; \d+ route problems", output);
        Assert.Contains("stop_units.csv, routes.csv, route_problems.csv and summary.json", output, StringComparison.Ordinal);
        Assert.Equal(MatchOutputWriter.RouteProblemsHeader, File.ReadLines(Path.Combine(withGtfs, "route_problems.csv")).First());
        Assert.False(File.Exists(Path.Combine(without, "routes.csv")));
        Assert.False(File.Exists(Path.Combine(without, "route_problems.csv")));
        Assert.DoesNotContain("Routes:", plainOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Match_WithGtfs_OnTheDemo_PairsItinerariesOfOneLine_WithRelationsOfItsRouteMaster()
    {
        DatasetGenerator.Generate(_dir);
        var output = Path.Combine(_dir, "out");

        var (exitCode, log) = await JobsExecutable.RunAsync(null, "match", "--atlas", Path.Combine(_dir, "atlas-traffic-points.csv"),
            "--osm", Path.Combine(_dir, "osm-stops.xml"), "--gtfs", Path.Combine(_dir, "gtfs.zip"), "--out", output);

        Assert.True(exitCode == 0, log);
        var osm = System.Xml.Linq.XDocument.Load(Path.Combine(_dir, "osm-stops.xml")).Root!;
        var masterOf = osm.Elements("relation")
            .Where(r => r.Elements("tag").Any(t => (string?)t.Attribute("k") == "type" && (string?)t.Attribute("v") == "route_master"))
            .SelectMany(m => m.Elements("member").Select(member => ((string)member.Attribute("ref")!, (string)m.Attribute("id")!)))
            .ToDictionary(p => p.Item1, p => p.Item2);
        var pairs = File.ReadAllLines(Path.Combine(output, "routes.csv")).Skip(1).Select(l => l.Split(',')).Where(c => c[2].Length > 0).ToList();
        Assert.NotEmpty(pairs);
        Assert.All(pairs, c =>
        {
            Assert.StartsWith(c[0] + "|", c[2], StringComparison.Ordinal);
            Assert.True(double.Parse(c[4], System.Globalization.CultureInfo.InvariantCulture) >= 0.8, string.Join(',', c));
            Assert.Equal("ordered_stop_match", c[5]);
            if (c[1].StartsWith("route_master:", StringComparison.Ordinal))
            {
                Assert.Equal(c[1]["route_master:".Length..], masterOf[c[3]]);
            }
        });
        var routeProblems = File.ReadAllLines(Path.Combine(output, "route_problems.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Contains(routeProblems, c => c[0] == "route_membership");
        Assert.All(routeProblems, c => Assert.True(c[2].Length > 0 || c[3].Length > 0, string.Join(',', c)));
    }

    [Fact]
    public async Task BenchRoutes_ReportsStopMatchingAndTheRoutePartSeparately_WithTimeAndMemory()
    {
        DatasetGenerator.Generate(_dir);

        var (exitCode, output) = await JobsExecutable.RunAsync(null, "bench-routes", "--dir", _dir);

        Assert.True(exitCode == 0, output);
        Assert.Matches(@"stop matching +\d+\.\d\d s +allocated +\d+ MB +managed peak \+\d+ MB over \d+ MB +working set \+-?\d+ MB over \d+ MB", output);
        foreach (var step in new[] { "ATLAS line families", "OSM line families", "route matcher" })
        {
            Assert.Matches($@"  {step} +\d+\.\d\d s +allocated +\d+ MB +managed peak +\d+ MB", output);
        }

        Assert.Matches(@"route part \(all three\) +\d+\.\d\d s", output);
        Assert.Matches(@"retained by the route result: -?\d+ MB", output);
        Assert.Matches(@"families: \d+ ATLAS, \d+ OSM \(\d+ without timetable\); itineraries: \d+ ATLAS, \d+ OSM; \d+ stop calls", output);
        Assert.Matches(@"route part \d+\.\d\d s against \d+\.\d\d s of stop matching", output);
    }

    [Fact]
    public async Task BenchRoutes_Exits2AndNamesTheFile_WhenTheDatasetHasNoTimetable()
    {
        DatasetGenerator.Generate(_dir);
        File.Delete(Path.Combine(_dir, "gtfs.zip"));

        var (exitCode, output) = await JobsExecutable.RunAsync(null, "bench-routes", "--dir", _dir);

        Assert.Equal(2, exitCode);
        Assert.StartsWith("error:", output.Trim(), StringComparison.Ordinal);
        Assert.Contains("gtfs.zip", output, StringComparison.Ordinal);
    }

    private static MatchingOutput EmptyStopResult() => MatchingEngine.Run(SyntheticStopNetwork.Generate(seed: 1, stations: 0));
}
