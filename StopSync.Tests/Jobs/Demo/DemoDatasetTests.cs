using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using StopSync.Jobs.Demo;
using StopSync.Jobs.Matching;
using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Sources;
using StopSync.Jobs.Sources.Atlas;
using StopSync.Jobs.Sources.Osm;

namespace StopSync.Tests.Jobs.Demo;

/// <summary>The demo size that run.sh, the Docker image and the integration tests use.</summary>
public sealed class DemoDatasetTests : IDisposable
{
    private static readonly DateOnly Today = new(2026, 11, 29);

    private readonly string _dir = Directory.CreateTempSubdirectory("stopsync-demo-").FullName;

    [Fact]
    public void Generate_GivesTheSameBytes_WhenTheSeedIsTheSame_AndOtherBytesForAnotherSeed()
    {
        var a = DatasetGenerator.Generate(Path.Combine(_dir, "a"), DatasetSize.Demo, seed: 7);
        var b = DatasetGenerator.Generate(Path.Combine(_dir, "b"), DatasetSize.Demo, seed: 7);
        var c = DatasetGenerator.Generate(Path.Combine(_dir, "c"), DatasetSize.Demo, seed: 8);

        foreach (var file in (string[])[SourceFileNames.Atlas, SourceFileNames.Osm, SourceFileNames.Gtfs, DatasetGenerator.TruthFileName])
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(a.Directory, file)), File.ReadAllBytes(Path.Combine(b.Directory, file)));
        }

        Assert.NotEqual(File.ReadAllBytes(Path.Combine(a.Directory, SourceFileNames.Osm)), File.ReadAllBytes(Path.Combine(c.Directory, SourceFileNames.Osm)));
    }

    [Fact]
    public void AtlasFile_HasTheReal34ColumnHeader_WithBom()
    {
        var summary = DatasetGenerator.Generate(_dir);
        var bytes = File.ReadAllBytes(Path.Combine(summary.Directory, SourceFileNames.Atlas));
        var header = Encoding.UTF8.GetString(bytes, 3, Array.IndexOf(bytes, (byte)'\n') - 3).Split(';');

        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        Assert.Equal(34, header.Length);
        Assert.Equal("sloid", header[0]);
        Assert.Equal("wgs84North", header[17]);
        Assert.Equal("status", header[33]);
    }

    [Fact]
    public void Demo_HasAFewHundredPlatformsInTwelveTowns_WithTheCasesTheFiltersAndMatchingMustHandle()
    {
        var summary = DatasetGenerator.Generate(_dir);

        var atlas = Sources.SourceReaderTests.Atlas().Read(Path.Combine(_dir, SourceFileNames.Atlas), Today);
        var osm = Sources.SourceReaderTests.Osm().Read(Path.Combine(_dir, SourceFileNames.Osm));
        var truthCases = File.ReadAllLines(Path.Combine(_dir, DatasetGenerator.TruthFileName)).Skip(1).Select(l => l.Split(',')[2]).ToHashSet();

        Assert.InRange(atlas.Platforms.Count, 200, 600);
        Assert.Equal(summary.AtlasPlatforms, atlas.Platforms.Count);
        Assert.Equal(12, atlas.Platforms.Where(p => p.OperatorAbbreviation == "SBB").Select(p => p.Number).Distinct().Count());
        Assert.Equal(1, atlas.Counts.EliminatedByType);
        Assert.Equal(1, atlas.Counts.EliminatedByValidity);
        Assert.Equal(2, atlas.Counts.EliminatedByUicCountry);
        Assert.Equal(0, atlas.Counts.Malformed);
        Assert.Contains(atlas.Platforms.GroupBy(p => (p.Number, p.Designation)), g => g.Count() > 1);
        Assert.Contains(osm.Elements, e => e.IsStation);
        Assert.Superset(new HashSet<string> { "exact", "offset", "missing_uic_ref", "osm_duplicate", "atlas_duplicate", "pair_stop_position" }, truthCases);
        Assert.All(atlas.Platforms, p => Assert.InRange(p.Lat, 45.8, 47.9));
        Assert.All(atlas.Platforms, p => Assert.InRange(p.Lon, 5.9, 10.5));
    }

    /// <summary>The pipeline integration tests rely on this: the engine finds every pair the truth calls exact.</summary>
    [Fact]
    public void Demo_ExactTruthPairs_AreAllFoundByTheEngine()
    {
        DatasetGenerator.Generate(_dir);
        var atlas = Sources.SourceReaderTests.Atlas().Read(Path.Combine(_dir, SourceFileNames.Atlas), Today);
        var osm = Sources.SourceReaderTests.Osm().Read(Path.Combine(_dir, SourceFileNames.Osm));
        var exact = GeneratedDataset.Load(_dir).Truth.Where(t => t.Case == TruthCases.Exact).Select(t => (t.Sloid, t.OsmId)).ToList();

        var pairs = MatchingEngine.Run(new MatchingInput(atlas.Platforms, osm.Elements, osm.Relations)).Matches.Select(m => (m.Sloid, m.OsmId)).ToHashSet();

        Assert.NotEmpty(exact);
        Assert.All(exact, e => Assert.Contains(e, pairs));
    }

    [Fact]
    public void Demo_HasBusTramAndTrainRelations_AndATimetableThroughTheTowns()
    {
        var summary = DatasetGenerator.Generate(_dir);
        var data = GeneratedDataset.Load(_dir);
        var routes = data.Relations.Select(r => GeneratedDataset.Tag(r, "route")).ToHashSet();
        var (_, stopTimes) = data.ReadGtfs("stop_times.txt");
        var servedStations = stopTimes.Select(st => st[3].Split(':')[3]).ToHashSet();

        Assert.Superset(new HashSet<string?> { "bus", "tram", "train" }, routes);
        Assert.InRange(summary.Gtfs.StopTimes, 1_000, 50_000);
        Assert.All(RealTownNumberShorts, n => Assert.Contains(n, servedStations));
    }

    /// <summary>
    /// Each mistake route matching reports shows up at least once, on a relation that names its timetable route and
    /// trips (traced here through the ground truth's sloid of each member and the trip's stop_times).
    /// </summary>
    [Fact]
    public void Demo_RouteRelations_CarryEachMembershipAndMetadataMistake()
    {
        DatasetGenerator.Generate(_dir);
        var data = GeneratedDataset.Load(_dir);
        // An ATLAS duplicate gives an element two sloids; the timetable uses one of them.
        var sloidsOf = data.Truth.Where(t => t.OsmId.Length > 0 && t.Sloid.Length > 0).GroupBy(t => t.OsmId).ToDictionary(g => g.Key, g => g.Select(t => t.Sloid).ToList());
        var (_, stopTimes) = data.ReadGtfs("stop_times.txt");
        var tripStops = stopTimes.GroupBy(st => st[0]).ToDictionary(g => g.Key, g => g.OrderBy(st => int.Parse(st[4], System.Globalization.CultureInfo.InvariantCulture)).Select(st => st[3]).ToList());
        var routes = data.ReadGtfs("routes.txt").Rows.ToDictionary(r => r[0]);
        var agencies = data.ReadGtfs("agency.txt").Rows.ToDictionary(a => a[0], a => a[1]);
        var withRouteId = data.Relations.Where(r => GeneratedDataset.Tag(r, "gtfs:route_id") is not null).ToList();
        var (wrongRef, wrongOperator) = (0, 0);
        foreach (var relation in withRouteId)
        {
            var route = routes[GeneratedDataset.Tag(relation, "gtfs:route_id")!];
            wrongRef += GeneratedDataset.Tag(relation, "ref") == route[2] ? 0 : 1;
            var op = GeneratedDataset.Tag(relation, "operator")!;
            wrongOperator += (string[])["Regionalverkehr Mittelland", "Autolinee Lombarde", "Transports du Lac"] is var wrong && wrong.Contains(op) && !agencies[route[1]].Contains(op, StringComparison.OrdinalIgnoreCase) ? 1 : 0;
        }

        // Membership is compared per direction, so only relations that also name their trips show it.
        var traced = withRouteId.Where(r => GeneratedDataset.Tag(r, "ref_trips") is not null).ToList();
        var (swapped, otherPlatform, extra) = (0, 0, 0);
        foreach (var relation in traced)
        {
            // The relation follows the line's full pattern, which the longest trip of its route and direction runs; the
            // trips it names may turn short or run express (<n>.TA.<route_id>.<pattern>.H|R: all but <n> is shared).
            var named = GeneratedDataset.Tag(relation, "ref_trips")!.Split(',')[0];
            var sameDirection = named[named.IndexOf('.', StringComparison.Ordinal)..];
            var trip = tripStops.Where(t => t.Key.EndsWith(sameDirection, StringComparison.Ordinal)).Select(t => t.Value).MaxBy(stops => stops.Count)!;
            var members = relation.Elements("member")
                .Select(m => sloidsOf.GetValueOrDefault(((string)m.Attribute("type")! == "way" ? "way_" : "") + (string)m.Attribute("ref")!))
                .OfType<List<string>>().Select(s => s.FirstOrDefault(trip.Contains) ?? s[0]).Distinct().ToList();
            var shared = members.Where(trip.Contains).ToList();
            swapped += shared.SequenceEqual(trip.Where(shared.Contains)) ? 0 : 1;
            otherPlatform += members.Count(m => !trip.Contains(m) && trip.Any(t => Station(t) == Station(m)));
            extra += members.Count(m => trip.All(t => Station(t) != Station(m)));
        }

        Assert.All((int[])[swapped, otherPlatform, extra], n => Assert.InRange(n, 1, Math.Max(3, traced.Count / 4)));
        Assert.All((int[])[wrongRef, wrongOperator], n => Assert.InRange(n, 1, Math.Max(4, withRouteId.Count / 4)));
    }

    /// <summary>Route masters over most lines, and buses only OSM knows: what the route pages list beside the matched lines.</summary>
    [Fact]
    public void Demo_HasRouteMastersOverBothDirections_AndBusesWithoutTimetableLine()
    {
        DatasetGenerator.Generate(_dir);
        var data = GeneratedDataset.Load(_dir);
        var relations = data.Relations.ToDictionary(r => (string)r.Attribute("id")!);
        var masters = data.RouteMasters.ToList();
        var shortNames = data.ReadGtfs("routes.txt").Rows.Select(r => r[2]).ToHashSet();
        var osmOnly = relations.Values.Where(r => GeneratedDataset.Tag(r, "gtfs:route_id") is null && GeneratedDataset.Tag(r, "ref_trips") is null
            && (GeneratedDataset.Tag(r, "ref") is not { } reference || !shortNames.Contains(reference))).ToList();

        Assert.InRange(masters.Count, 5, relations.Count / 2);
        Assert.All(masters.SelectMany(m => m.Elements("member")), m => Assert.Equal("relation", (string)m.Attribute("type")!));
        Assert.All(masters.SelectMany(m => m.Elements("member")), m => Assert.Contains((string)m.Attribute("ref")!, relations));
        Assert.Contains(masters, m => m.Elements("member").Count() == 2);
        Assert.Contains(masters, m => GeneratedDataset.Tag(m, "gtfs:route_id") is not null);
        Assert.Contains(masters, m => GeneratedDataset.Tag(m, "gtfs:route_id") is null);
        Assert.All(masters, m => Assert.All(m.Elements("member"), r => Assert.Equal(GeneratedDataset.Tag(m, "ref"), GeneratedDataset.Tag(relations[(string)r.Attribute("ref")!], "ref"))));
        Assert.InRange(osmOnly.Count, 3, 20);
        Assert.All(osmOnly, r => Assert.Equal("bus", GeneratedDataset.Tag(r, "route")));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Station(string sloid) => string.Join(':', sloid.Split(':').Take(4));

    private static IEnumerable<string> RealTownNumberShorts =>
        ["3000", "7000", "10", "1008", "1120", "5000", "6302", "5300", "6000", "9000", "4300", "4100"];
}
