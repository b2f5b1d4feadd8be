using Microsoft.Extensions.Logging.Abstractions;
using StopSync.Jobs.Runs;
using StopSync.Jobs.Sources;
using StopSync.Jobs.Sources.Atlas;
using StopSync.Jobs.Sources.Geography;
using StopSync.Jobs.Sources.Osm;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Jobs.Sources;

public sealed class SourceReaderTests : IDisposable
{
    private static readonly DateOnly Today = new(2026, 11, 29);
    private static readonly SwissBorder Border = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("stopsync-readers-").FullName;

    [Fact]
    public void AtlasReader_ReadsAllFortyRealSamplePlatforms_WithTheirFields()
    {
        var result = Atlas().Read(TestEnvironment.SharedData("upstream-sample", "sample_atlas.csv"), Today);

        // Every sample row is a current Swiss boarding platform, so no filter removes any.
        Assert.Equal(40, result.Counts.RawTotal);
        Assert.Equal(40, result.Platforms.Count);
        Assert.Equal(0, result.Counts.Malformed + result.Counts.EliminatedByUicCountry + result.Counts.EliminatedByBorder
            + result.Counts.EliminatedByValidity + result.Counts.EliminatedByType);
        Assert.Equal(40, result.Counts.AfterTypeFilter);
        var vernayaz = Assert.Single(result.Platforms, p => p.Sloid == "ch:1:sloid:1405:2:2");
        Assert.Equal("8501405", vernayaz.Number);
        Assert.Equal("2", vernayaz.Designation);
        Assert.Equal("Vernayaz", vernayaz.DesignationOfficial);
        Assert.Equal("SBB", vernayaz.OperatorAbbreviation);
        Assert.Equal(46.13858713762, vernayaz.Lat, 10);
        Assert.Equal(7.03852262003, vernayaz.Lon, 10);
    }

    [Fact]
    public void AtlasReader_CountsAndSkipsMalformedRows_AndKeepsTheGoodOnes()
    {
        var header = File.ReadLines(TestEnvironment.SharedData("upstream-sample", "sample_atlas.csv")).First();
        var good = File.ReadLines(TestEnvironment.SharedData("upstream-sample", "sample_atlas.csv")).Skip(1).First();
        var fields = good.Split(';');
        fields[16] = "not-a-number";
        var path = Write("atlas.csv", header, good, string.Join(';', fields), "ch:1:sloid:1:0:1;1;85");

        var result = Atlas().Read(path, Today);

        Assert.Single(result.Platforms);
        Assert.Equal(2, result.Counts.Malformed);
        Assert.Equal(3, result.Counts.RawTotal);
    }

    [Fact]
    public void AtlasReader_Fails_NamingTheFileAndColumn_WhenARequiredColumnIsMissing()
    {
        var path = Write("atlas.csv", "sloid;number;designation", "ch:1:sloid:1:0:1;8500001;1");

        var error = Assert.Throws<SourceFormatException>(() => Atlas().Read(path, Today));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("uicCountryCode", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OsmReader_ReadsEveryRealSampleNode_WithTagsAndStationFlag()
    {
        var result = Osm().Read(TestEnvironment.SharedData("upstream-sample", "sample_osm.xml"));

        Assert.Equal(125, result.Elements.Count);
        Assert.Equal(["1825303888", "3219060209", "3329987894", "3339882668"], result.Elements.Where(e => e.IsStation).Select(e => e.Id).Order(StringComparer.Ordinal));
        var dietfurt = Assert.Single(result.Elements, e => e.Id == "243717655");
        Assert.Equal("8506202", dietfurt.UicRef);
        Assert.Equal("1", dietfurt.LocalRef);
        Assert.Equal("stop_position", dietfurt.NodeType);
        Assert.Equal("Ostwind", dietfurt.Tag("network"));
    }

    [Fact]
    public void OsmReader_Fails_NamingTheFileAndLine_WhenTheXmlIsTruncated()
    {
        var path = Write("osm.xml", "<?xml version=\"1.0\"?>", "<osm version=\"0.6\">", "  <node id=\"1\" lat=\"47\" lon=\"8\">", "    <tag k=\"name\"");

        var error = Assert.Throws<SourceFormatException>(() => Osm().Read(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("line", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OsmReader_KeepsAWay_OnlyWhenItsUicRefIsOnNoNode()
    {
        var path = Write("osm.xml",
            "<osm version=\"0.6\">",
            "<node id=\"1\" lat=\"47.0\" lon=\"8.0\"><tag k=\"uic_ref\" v=\"8500001\"/><tag k=\"public_transport\" v=\"platform\"/></node>",
            "<way id=\"10\"><center lat=\"47.1\" lon=\"8.1\"/><tag k=\"uic_ref\" v=\"8500001\"/></way>",
            "<way id=\"11\"><center lat=\"47.2\" lon=\"8.2\"/><tag k=\"uic_ref\" v=\"8500002\"/></way>",
            "<way id=\"12\"><center lat=\"47.3\" lon=\"8.3\"/><tag k=\"highway\" v=\"platform\"/></way>",
            "</osm>");

        var result = Osm().Read(path);

        Assert.Equal(["1", "way_11"], result.Elements.Select(e => e.Id));
        Assert.Equal(47.2, result.Elements[1].Lat);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    internal static AtlasCsvReader Atlas() => new(Border, NullLogger<AtlasCsvReader>.Instance);

    internal static OverpassXmlReader Osm() => new(new OperatorNormalizer(), NullLogger<OverpassXmlReader>.Instance);

    private string Write(string name, params string[] lines)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllLines(path, lines);
        return path;
    }
}
