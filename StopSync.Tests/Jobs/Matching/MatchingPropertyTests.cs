using StopSync.Jobs.Matching;
using StopSync.Jobs.Matching.Engine;

namespace StopSync.Tests.Jobs.Matching;

/// <summary>Invariants of every run, on generated networks of a few thousand stops.</summary>
public sealed class MatchingPropertyTests
{
    public static TheoryData<int, bool, bool> Runs => new()
    {
        { 1, false, false },
        { 2, false, false },
        { 3, true, false },
        { 4, false, true },
        { 5, true, true },
    };

    [Theory]
    [MemberData(nameof(Runs))]
    public void EveryAtlasRow_IsMatchedOrUnmatched_NeverBoth(int seed, bool multiplicity, bool postpass)
    {
        var input = SyntheticStopNetwork.Generate(seed, 1_500);

        var output = MatchingEngine.Run(input, new MatchingOptions { NameAliasMultiplicity = multiplicity, ExactPostpass = postpass });

        var matched = output.Matches.Select(m => m.Sloid).ToHashSet(StringComparer.Ordinal);
        var unmatched = output.UnmatchedAtlas.Select(u => u.Sloid).ToList();
        Assert.Equal(unmatched.Count, unmatched.Distinct(StringComparer.Ordinal).Count());
        Assert.DoesNotContain(unmatched, matched.Contains);
        Assert.Equal(input.Atlas.Select(a => a.Sloid).Order(StringComparer.Ordinal), matched.Concat(unmatched).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void EveryOsmElement_IsMatchedOrUnmatched_NeverBoth(int seed, bool multiplicity, bool postpass)
    {
        var input = SyntheticStopNetwork.Generate(seed, 1_500);

        var output = MatchingEngine.Run(input, new MatchingOptions { NameAliasMultiplicity = multiplicity, ExactPostpass = postpass });

        var matched = output.Matches.Select(m => m.OsmId).ToHashSet(StringComparer.Ordinal);
        var unmatched = output.UnmatchedOsm.Select(u => u.OsmId).ToList();
        Assert.DoesNotContain(unmatched, matched.Contains);
        Assert.Equal(input.Osm.Select(e => e.Id).Order(StringComparer.Ordinal), matched.Concat(unmatched).Order(StringComparer.Ordinal));
        Assert.All(output.UnmatchedOsm.Where(u => u.EffectivelyMatched), u => Assert.Equal("stop_position", u.Element.Tag("public_transport")));
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void NoPairIsRecordedTwice_AndEveryDistanceIsTheHaversineOfThePair(int seed, bool multiplicity, bool postpass)
    {
        var input = SyntheticStopNetwork.Generate(seed, 1_500);

        var output = MatchingEngine.Run(input, new MatchingOptions { NameAliasMultiplicity = multiplicity, ExactPostpass = postpass });

        Assert.Equal(output.Matches.Count, output.Matches.Select(m => (m.Sloid, m.OsmId)).Distinct().Count());
        Assert.All(output.Matches, m => Assert.Equal(Haversine.DistanceMeters(m.Atlas.Lat, m.Atlas.Lon, m.Osm.Lat, m.Osm.Lon), m.DistanceMeters, tolerance: 1e-6));
        Assert.All(output.Matches, m => Assert.Contains(m.MatchType, MatchTypeLabels.All));
        if (!postpass)
        {
            Assert.DoesNotContain(output.Matches, m => m.MatchType == MatchTypeLabels.ExactPostpass);
        }
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void EveryStopUnit_CoversEachOsmElementExactlyOnce(int seed, bool multiplicity, bool postpass)
    {
        var input = SyntheticStopNetwork.Generate(seed, 1_500);

        var output = MatchingEngine.Run(input, new MatchingOptions { NameAliasMultiplicity = multiplicity, ExactPostpass = postpass });

        var members = output.StopUnits.SelectMany(u => u.Members.Select(m => m.OsmId)).ToList();
        Assert.Equal(input.Osm.Select(e => e.Id).Order(StringComparer.Ordinal), members.Order(StringComparer.Ordinal));
        Assert.All(output.StopUnits, u => Assert.Equal(u.Kind switch { "pair" => 2, "trio" => 3, _ => 1 }, u.Members.Count));
        Assert.Contains(output.StopUnits, u => u.Kind == StopUnitKinds.PairKind);
        Assert.Contains(output.StopUnits, u => u.Kind == StopUnitKinds.TrioKind);
        Assert.DoesNotContain(output.StopUnits, u => u.Kind != StopUnitKinds.SingleKind && u.Members.Any(m => m.OsmId.StartsWith("way_", StringComparison.Ordinal)));
    }

    [Fact]
    public void TwoRuns_GiveIdenticalFiles()
    {
        var first = Directory.CreateTempSubdirectory("stopsync-run1-").FullName;
        var second = Directory.CreateTempSubdirectory("stopsync-run2-").FullName;
        try
        {
            MatchOutputWriter.Write(first, MatchingEngine.Run(SyntheticStopNetwork.Generate(7, 2_000)), MatchingOptions.Default);
            MatchOutputWriter.Write(second, MatchingEngine.Run(SyntheticStopNetwork.Generate(7, 2_000)), MatchingOptions.Default);

            foreach (var file in Directory.GetFiles(first).Select(Path.GetFileName))
            {
                Assert.Equal(File.ReadAllText(Path.Combine(first, file!)), File.ReadAllText(Path.Combine(second, file!)));
            }

            Assert.Equal(5, Directory.GetFiles(first).Length);
        }
        finally
        {
            Directory.Delete(first, recursive: true);
            Directory.Delete(second, recursive: true);
        }
    }

    [Fact]
    public void TwoRuns_GiveEqualRecords_IncludingNotesEvidenceAndProblems()
    {
        var input = SyntheticStopNetwork.Generate(8, 1_500);

        var a = MatchingEngine.Run(input);
        var b = MatchingEngine.Run(input);

        Assert.Equal(a.Matches.Select(Describe), b.Matches.Select(Describe));
        Assert.Equal(a.Problems, b.Problems);
        Assert.Equal(a.UnmatchedAtlas, b.UnmatchedAtlas);
        Assert.Equal(a.UnmatchedOsm, b.UnmatchedOsm);
    }

    [Fact]
    public void AGeneratedNetwork_ExercisesEveryStageFamily()
    {
        var output = MatchingEngine.Run(SyntheticStopNetwork.Generate(11, 3_000));

        var types = output.Matches.Select(m => m.MatchType).ToHashSet(StringComparer.Ordinal);
        Assert.Superset(new HashSet<string>(StringComparer.Ordinal)
        {
            MatchTypeLabels.Trio, MatchTypeLabels.Exact, MatchTypeLabels.Name, MatchTypeLabels.RouteTokens,
            MatchTypeLabels.GroupProximityUicRef, MatchTypeLabels.LocalRefDistance, MatchTypeLabels.NearestSingle,
            MatchTypeLabels.DuplicatePropagation, MatchTypeLabels.OsmGroupPropagation,
        }, types);
        Assert.InRange(output.Summary.MatchRate, 0.5, 1);
        Assert.Equal(output.Matches.Count, output.Summary.MatchedPairs);
        Assert.Equal(output.Summary.ByMatchType.Sum(t => t.Value), output.Summary.MatchedPairs);
        Assert.Equal(output.Problems.Count, output.Summary.Problems.Sum(p => p.Value.Total));
    }

    private static string Describe(AtlasOsmMatch m) =>
        $"{m.Sloid}|{m.OsmId}|{m.MatchType}|{m.DistanceMeters:R}|{m.Notes}|{m.Evidence with { SharedRouteTokens = null, SharedDirectionNames = null }}|" +
        $"{string.Join(';', m.Evidence.SharedRouteTokens ?? [])}|{string.Join(';', m.Evidence.SharedDirectionNames ?? [])}";
}
