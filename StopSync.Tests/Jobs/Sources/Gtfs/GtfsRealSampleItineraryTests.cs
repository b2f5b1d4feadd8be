using System.IO.Compression;
using System.Text;
using StopSync.Jobs.Matching.Routes;
using StopSync.Jobs.Sources.Gtfs;
using StopSync.Tests.Infrastructure;
using static StopSync.Tests.Jobs.Sources.Gtfs.GtfsFeedBuilder;

namespace StopSync.Tests.Jobs.Sources.Gtfs;

/// <summary>
/// Itineraries of the two real Swiss GTFS subsets (see GtfsRealSampleTests). Each test recomputes the patterns from the
/// zip with a plain CSV pass of its own, so the reader's packed arrays are checked against an independent grouping. The
/// literal figures (52, 211, 136 itineraries; the bus 85 ids) were also checked with a short Python script over the
/// unzipped files.
/// </summary>
public sealed class GtfsRealSampleItineraryTests
{
    private const string Folder = "swiss-gtfs-learning-pt-routing";
    private const string Sample2019 = "gtfsfp20192018-12-05_small.zip";
    private const string Sample2020 = "small_gtfs_feed.zip";

    [Theory]
    [InlineData(Sample2019, false, 52)]
    [InlineData(Sample2020, false, 211)]
    [InlineData(Sample2020, true, 136)]
    public void Read_FindsEveryDistinctStopSequence_OfTheRealSamples(string file, bool dropNorthOf475, int expected)
    {
        var path = TestEnvironment.SharedData(Folder, file);
        Func<double, double, bool>? border = dropNorthOf475 ? (lat, _) => lat < 47.5 : null;

        var result = Read(path, border: border);
        var independent = IndependentPatterns(path, border);

        Assert.Equal(expected, independent.Count);
        Assert.Equal(
            independent.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value)),
            result.Itineraries
                .Select(i => (Key: $"{i.RouteId}|{i.DirectionId}|{string.Join(' ', i.StopPositions.Select(s => result.Stops[s].StopId))}", Value: i.TripCount))
                .OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(result.Counts.TripsThroughSwissStops, result.Itineraries.Sum(i => i.TripCount));
    }

    [Fact]
    public void Read_GivesBus85ItsFullAndItsShortenedPattern_In2019Sample()
    {
        var result = Read(TestEnvironment.SharedData(Folder, Sample2019));

        // 15 trips leave from Triengen, Dorf (18 stops); 2 start one stop later at Triengen, Käserei (17 stops).
        var outbound = result.Itineraries.Where(i => i.RouteId == "1-85-j19-1" && i.DirectionId == "0").ToList();
        Assert.Equal(
            [("1-85-j19-1|0|73c94cf4e826", 2, 17), ("1-85-j19-1|0|e61ddeab1b30", 15, 18)],
            outbound.Select(i => (i.ItineraryId, i.TripCount, i.StopPositions.Count)));
        Assert.All(outbound, i => Assert.Equal("Schöftland, Bahnhof", i.Headsign));
        Assert.Equal("Triengen, Käserei", result.Stops[outbound[0].StopPositions[0]].StopName);
        Assert.Equal("Triengen, Dorf", result.Stops[outbound[1].StopPositions[0]].StopName);
    }

    [Fact]
    public void Build_NamesOperatorsFromAgencyTxt_In2019Sample()
    {
        var families = AtlasRouteProducts.Build(Read(TestEnvironment.SharedData(Folder, Sample2019)));

        Assert.Equal(
            [
                ("1-85-j19-1", "PostAuto Schweiz", "85", RouteModes.Bus, 4),
                ("26-759-j19-1", "Verkehrsbetriebe Glattal", "759", RouteModes.Bus, 7),
                ("6-1-j19-1", "Schweizerische Bundesbahnen SBB", "1", RouteModes.Rail, 38),
                ("61-265-Y-j19-1", "Téléverbier", "265-Y", RouteModes.Aerialway, 1),
                ("90-73-Y-j19-1", "Lacs de Neuchâtel et Morat", "73-Y", RouteModes.Ferry, 2),
            ],
            families.Select(f => (f.FamilyId, f.Operator!, f.Ref!, f.Mode, f.Itineraries.Count)));
        var gondola = Assert.Single(families, f => f.FamilyId == "61-265-Y-j19-1").Itineraries.Single();
        Assert.Equal(("Savoleyres → La Tzoumaz", 1_443), (gondola.Name!, gondola.TripCount));
    }

    /// <summary>(route_id|direction_id|stop_ids by stop_sequence) → trips, over trips with at least one Swiss stop.</summary>
    private static Dictionary<string, int> IndependentPatterns(string zipPath, Func<double, double, bool>? border)
    {
        using var zip = ZipFile.OpenRead(zipPath);
        var stops = Table(zip, "stops.txt");
        var swiss = stops
            .Where(s => s["stop_id"].StartsWith("85", StringComparison.Ordinal))
            .Where(s => border is null || border(double.Parse(s["stop_lat"], System.Globalization.CultureInfo.InvariantCulture),
                double.Parse(s["stop_lon"], System.Globalization.CultureInfo.InvariantCulture)))
            .Select(s => s["stop_id"])
            .ToHashSet(StringComparer.Ordinal);
        var calls = Table(zip, "stop_times.txt")
            .Where(r => swiss.Contains(r["stop_id"]))
            .GroupBy(r => r["trip_id"], StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => string.Join(' ', g.OrderBy(r => int.Parse(r["stop_sequence"], System.Globalization.CultureInfo.InvariantCulture)).Select(r => r["stop_id"])),
                StringComparer.Ordinal);
        return Table(zip, "trips.txt")
            .Where(t => calls.ContainsKey(t["trip_id"]))
            .GroupBy(t => $"{t["route_id"]}|{(t["direction_id"].Length == 0 ? null : t["direction_id"])}|{calls[t["trip_id"]]}", StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    }

    private static List<Dictionary<string, string>> Table(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)!.Open(), Encoding.UTF8);
        var header = Fields(reader.ReadLine()!);
        var rows = new List<Dictionary<string, string>>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                rows.Add(header.Zip(Fields(line)).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal));
            }
        }

        return rows;
    }

    /// <summary>Comma-separated fields, double quotes around a field removed (the samples quote names with commas).</summary>
    private static List<string> Fields(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        foreach (var c in line.TrimStart('\uFEFF'))
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return fields;
    }
}
