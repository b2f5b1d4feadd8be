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

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static IEnumerable<string> RealTownNumberShorts =>
        ["3000", "7000", "10", "1008", "1120", "5000", "6302", "5300", "6000", "9000", "4300", "4100"];
}
