using StopSync.Jobs.Pipeline.AtlasImport;
using StopSync.Jobs.Pipeline.Matching;
using StopSync.Jobs.Pipeline.OsmImport;

namespace StopSync.Tests.Jobs.Pipeline;

public sealed class UicRefMatcherTests
{
    [Fact]
    public void OneOsmCandidate_TakesEveryAtlasPlatformOfItsUic()
    {
        var atlas = new[] { Platform("a:1", "8500001", "1"), Platform("a:2", "8500001", "2") };
        var osm = new[] { Element("100", "8500001", "") };

        var result = UicRefMatcher.Match(atlas, osm);

        Assert.Equal([("a:1", "100"), ("a:2", "100")], result.Matches.Select(m => (m.Atlas.Sloid, m.Osm.Id)));
        Assert.All(result.Matches, m => Assert.Equal("exact", m.MatchType));
        Assert.Empty(result.UnmatchedAtlas);
        Assert.Empty(result.UnmatchedOsm);
    }

    [Fact]
    public void OneAtlasPlatform_TakesEveryCandidateOfItsUic()
    {
        var atlas = new[] { Platform("a:1", "8500001", "1") };
        var osm = new[] { Element("100", "8500001", "1"), Element("101", "8500001", "2") };

        var result = UicRefMatcher.Match(atlas, osm);

        Assert.Equal(["100", "101"], result.Matches.Select(m => m.Osm.Id));
    }

    [Fact]
    public void ManyToMany_PairsByDesignationAndLocalRef_IgnoringCase()
    {
        var atlas = new[] { Platform("a:1", "8500001", "A"), Platform("a:2", "8500001", "B"), Platform("a:3", "8500001", "C") };
        var osm = new[] { Element("100", "8500001", "b"), Element("101", "8500001", "a"), Element("102", "8500001", "") };

        var result = UicRefMatcher.Match(atlas, osm);

        Assert.Equal([("a:1", "101"), ("a:2", "100")], result.Matches.Select(m => (m.Atlas.Sloid, m.Osm.Id)));
        Assert.Equal(["a:3"], result.UnmatchedAtlas.Select(a => a.Sloid));
        Assert.Equal(["102"], result.UnmatchedOsm.Select(e => e.Id));
    }

    [Fact]
    public void StationElements_AreNeverCandidates()
    {
        var atlas = new[] { Platform("a:1", "8500001", "1") };
        var station = new OsmElement("100", "node", 47, 8, new Dictionary<string, string> { ["uic_ref"] = "8500001", ["railway"] = "station" });

        var result = UicRefMatcher.Match(atlas, [station]);

        Assert.Empty(result.Matches);
        Assert.Single(result.UnmatchedAtlas);
    }

    [Fact]
    public void Distance_IsHaversineInMetres()
    {
        // 0.001 degrees of latitude on a 6,371 km sphere is 111.19 m.
        var atlas = new[] { Platform("a:1", "8500001", "1", lat: 47.000) };
        var osm = new[] { Element("100", "8500001", "1", lat: 47.001) };

        var match = Assert.Single(UicRefMatcher.Match(atlas, osm).Matches);

        Assert.Equal(111.19, match.DistanceMeters, 2);
    }

    private static AtlasPlatform Platform(string sloid, string number, string designation, double lat = 47) =>
        new(sloid, number, designation, "Somewhere", "XYZ", lat, 8);

    private static OsmElement Element(string id, string uic, string localRef, double lat = 47)
    {
        var tags = new Dictionary<string, string> { ["uic_ref"] = uic, ["public_transport"] = "platform" };
        if (localRef.Length > 0)
        {
            tags["local_ref"] = localRef;
        }

        return new OsmElement(id, "node", lat, 8, tags);
    }
}
