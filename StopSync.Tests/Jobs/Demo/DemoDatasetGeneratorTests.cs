using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using StopSync.Jobs.Demo;
using StopSync.Jobs.Pipeline.AtlasImport;
using StopSync.Jobs.Pipeline.OsmImport;

namespace StopSync.Tests.Jobs.Demo;

public sealed class DemoDatasetGeneratorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("stopsync-demo-").FullName;

    [Fact]
    public void SameSeed_GivesTheSameBytes_AndAnotherSeedDoesNot()
    {
        var a = DemoDatasetGenerator.Generate(Path.Combine(_dir, "a"), seed: 7);
        var b = DemoDatasetGenerator.Generate(Path.Combine(_dir, "b"), seed: 7);
        var c = DemoDatasetGenerator.Generate(Path.Combine(_dir, "c"), seed: 8);

        foreach (var file in (string[])[DemoDatasetGenerator.AtlasFileName, DemoDatasetGenerator.OsmFileName, DemoDatasetGenerator.TruthFileName])
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(a.Directory, file)), File.ReadAllBytes(Path.Combine(b.Directory, file)));
        }

        Assert.NotEqual(File.ReadAllBytes(Path.Combine(a.Directory, DemoDatasetGenerator.OsmFileName)), File.ReadAllBytes(Path.Combine(c.Directory, DemoDatasetGenerator.OsmFileName)));
    }

    [Fact]
    public void AtlasFile_HasTheReal34ColumnHeader_WithBom()
    {
        var summary = DemoDatasetGenerator.Generate(_dir);
        var bytes = File.ReadAllBytes(Path.Combine(summary.Directory, DemoDatasetGenerator.AtlasFileName));
        var header = Encoding.UTF8.GetString(bytes, 3, Array.IndexOf(bytes, (byte)'\n') - 3).Split(';');

        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        Assert.Equal(34, header.Length);
        Assert.Equal("sloid", header[0]);
        Assert.Equal("wgs84North", header[17]);
        Assert.Equal("status", header[33]);
    }

    [Fact]
    public void Dataset_HasAFewHundredPlatformsInTwelveTowns_WithTheCasesTheFiltersAndMatchingMustHandle()
    {
        var summary = DemoDatasetGenerator.Generate(_dir);

        var atlas = Pipeline.SourceReaderTests.Atlas().Read(Path.Combine(_dir, DemoDatasetGenerator.AtlasFileName), new DateOnly(2026, 11, 29));
        var osm = Pipeline.SourceReaderTests.Osm().Read(Path.Combine(_dir, DemoDatasetGenerator.OsmFileName));
        var truthCases = File.ReadAllLines(Path.Combine(_dir, DemoDatasetGenerator.TruthFileName)).Skip(1).Select(l => l.Split(',')[2]).ToHashSet();

        Assert.InRange(atlas.Platforms.Count, 200, 600);
        Assert.Equal(summary.AtlasPlatforms, atlas.Platforms.Count);
        Assert.Equal(12, atlas.Platforms.Where(p => p.OperatorAbbreviation == "SBB").Select(p => p.Number).Distinct().Count());
        Assert.Equal(1, atlas.Counts.EliminatedByType);
        Assert.Equal(1, atlas.Counts.EliminatedByValidity);
        Assert.Equal(2, atlas.Counts.EliminatedByUicCountry);
        Assert.Equal(0, atlas.Counts.Malformed);
        Assert.Contains(atlas.Platforms.GroupBy(p => (p.Number, p.Designation)), g => g.Count() > 1);
        Assert.Contains(osm.Elements, e => e.IsStation);
        Assert.Superset(new HashSet<string> { "exact", "offset", "missing_uic_ref", "osm_duplicate" }, truthCases);
        Assert.All(atlas.Platforms, p => Assert.InRange(p.Lat, 45.8, 47.9));
        Assert.All(atlas.Platforms, p => Assert.InRange(p.Lon, 5.9, 10.5));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
