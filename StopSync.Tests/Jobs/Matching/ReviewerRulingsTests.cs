using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Sources.Atlas;
using StopSync.Jobs.Sources.Osm;
using static StopSync.Tests.Jobs.Matching.EngineTestData;

namespace StopSync.Tests.Jobs.Matching;

/// <summary>Reviewers' manual matches and forbidden pairs as engine input (docs/07-matching.md#reviewer-rulings).</summary>
public sealed class ReviewerRulingsTests
{
    [Fact]
    public void ForbiddenPair_IsNotMatched_WhenItIsTheOnlyExactCandidate()
    {
        var s1 = A("s1", "8503000", "", "Zürich HB", 47.3769, 8.5417);
        var osm1 = O("osm_1", 47.3770, 8.5418, Uic("8503000"), Name("Zürich HB"));

        var without = RunWith([s1], [osm1], ReviewerRulings.None);
        var output = RunWith([s1], [osm1], Forbid(("s1", "osm_1")));

        Assert.Equal([("s1", "osm_1", MatchTypeLabels.Exact)], without.Pairs());
        Assert.Empty(output.Matches);
        Assert.Equal(["s1"], output.UnmatchedAtlas.Select(u => u.Sloid));
        Assert.Equal(["osm_1"], output.UnmatchedOsm.Select(u => u.OsmId));
    }

    [Fact]
    public void ForbiddenPair_LeavesTheEntityForLaterStages()
    {
        // The exact stage's only candidate is forbidden, so s1 stays free and the local_ref stage finds osm_2.
        var s1 = A("s1", "8503000", "2", "", 47.3769, 8.5417);
        var osm1 = O("osm_1", 47.3770, 8.5418, Uic("8503000"));
        var osm2 = O("osm_2", 47.37705, 8.5419, LocalRef("2"));

        var output = RunWith([s1], [osm1, osm2], Forbid(("s1", "osm_1")));

        Assert.Equal([("s1", "osm_2", MatchTypeLabels.LocalRefDistance)], output.Pairs());
    }

    [Fact]
    public void ForbiddenPair_LetsTheOnlyCandidateGoToTheNextPlatform_InTheExactStage()
    {
        var s1 = A("s1", "8503000", "", "", 47.3769, 8.5417);
        var s2 = A("s2", "8503000", "", "", 47.3771, 8.5417);
        var osm1 = O("osm_1", 47.3770, 8.5418, Uic("8503000"));

        var output = RunWith([s1, s2], [osm1], Forbid(("s1", "osm_1")));

        Assert.Equal([("s2", "osm_1", MatchTypeLabels.Exact)], output.Pairs());
    }

    [Fact]
    public void ManualMatch_WinsOverNearest()
    {
        var s1 = A("s1", "", "", "", 47, 8);
        var near = O("near", 47.00004, 8, Platform);
        var far = O("far", 47.0004, 8, Platform);

        var without = RunWith([s1], [near, far], ReviewerRulings.None);
        var output = RunWith([s1], [near, far], Manual(("s1", "far")));

        Assert.Equal([("s1", "near", MatchTypeLabels.NearestRatio)], without.Pairs());
        Assert.Equal([("s1", "far", MatchTypeLabels.Manual)], output.Pairs());
        var match = output.Matches[0];
        Assert.Equal(Distance(s1, far), match.DistanceMeters, 9);
        Assert.Equal(new MatchEvidence(MatchTypeLabels.Manual, match.DistanceMeters), match.Evidence);
        Assert.Equal(["near"], output.UnmatchedOsm.Select(u => u.OsmId));
        Assert.Contains(new KeyValuePair<string, int>(MatchTypeLabels.Manual, 1), output.Summary.ByMatchType);
    }

    [Fact]
    public void ManualMatch_IsCommitted_BeyondEveryStageRadius_AndToAStation()
    {
        // A reviewer's word needs no distance or tag rule: 2 km away and a station-level element, which no stage proposes.
        var s1 = A("s1", "8503000", "", "", 47, 8);
        var station = O("station", 47.018, 8, ("public_transport", "station"), Uic("8503000"));

        var output = RunWith([s1], [station], Manual(("s1", "station")));

        Assert.Equal([("s1", "station", MatchTypeLabels.Manual)], output.Pairs());
        Assert.InRange(output.Matches[0].DistanceMeters, 1_990, 2_010);
    }

    [Fact]
    public void ManualMatch_PropagatesToDuplicateSiblingsAndToThePairPartner()
    {
        var atlas = new[] { A("a1", "8500001", "1", "", 47, 8), A("a0", "8500001", "1", "", 47.00001, 8) };
        var osm = new[] { O("p", 47.00002, 8, Platform, Uic("8500001")), O("s", 47.00004, 8, StopPosition, Uic("8500001")) };

        var output = RunWith(atlas, osm, Manual(("a0", "p")));

        Assert.Equal(
            [("a0", "p", MatchTypeLabels.Manual), ("a1", "p", MatchTypeLabels.DuplicatePropagation), ("a0", "s", MatchTypeLabels.OsmGroupPropagation)],
            output.Pairs());
    }

    [Fact]
    public void ForbiddenPair_BlocksPropagationToDuplicateSibling()
    {
        var atlas = new[] { A("a1", "8500001", "1", "", 47, 8), A("a0", "8500001", "1", "", 47.00001, 8) };
        var osm = new[] { O("p", 47.00002, 8, Platform, Uic("8500001")) };

        var output = RunWith(atlas, osm, Forbid(("a1", "p")));

        // a0 represents the group; its sibling a1 is hidden from every stage, so it stays unmatched.
        Assert.Equal([("a0", "p", MatchTypeLabels.Exact)], output.Pairs());
        Assert.Equal(["a1"], output.UnmatchedAtlas.Select(u => u.Sloid));
    }

    [Fact]
    public void ForbiddenPair_BlocksPropagationToThePairPartner()
    {
        var atlas = new[] { A("a0", "8500001", "1", "", 47, 8) };
        var osm = new[] { O("p", 47.00002, 8, Platform, Uic("8500001")), O("s", 47.00004, 8, StopPosition, Uic("8500001")) };

        var output = RunWith(atlas, osm, Forbid(("a0", "s")));

        Assert.Equal([("a0", "p", MatchTypeLabels.Exact)], output.Pairs());
        Assert.Equal(["s"], output.UnmatchedOsm.Select(u => u.OsmId));
    }

    [Fact]
    public void ForbiddenPair_WinsOverAManualMatchOfTheSamePair()
    {
        var s1 = A("s1", "", "", "", 47, 8);
        var o1 = O("o1", 47.0001, 8, Platform);

        var output = RunWith([s1], [o1], new ReviewerRulings([new("s1", "o1")], [new("s1", "o1")]));

        Assert.Empty(output.Matches);
        Assert.Contains(output.Diagnostics, d => d.StartsWith("manual_match_forbidden: same_stop (s1, o1)", StringComparison.Ordinal));
    }

    [Fact]
    public void UnknownSloidInRuling_IsReportedAndIgnored()
    {
        var s1 = A("s1", "8503000", "", "", 47.3769, 8.5417);
        var osm1 = O("osm_1", 47.3770, 8.5418, Uic("8503000"));
        var rulings = new ReviewerRulings([new("gone", "osm_1")], [new("also_gone", "osm_1")]);

        var output = RunWith([s1], [osm1], rulings);

        Assert.Equal([("s1", "osm_1", MatchTypeLabels.Exact)], output.Pairs());
        Assert.Contains(output.Diagnostics, d => d.StartsWith("ruling_unknown_sloid: same_stop (gone, osm_1)", StringComparison.Ordinal));
        Assert.Contains(output.Diagnostics, d => d.StartsWith("ruling_unknown_sloid: not_same_stop (also_gone, osm_1)", StringComparison.Ordinal));
    }

    [Fact]
    public void UnknownOsmIdInRuling_IsReportedAndIgnored()
    {
        var s1 = A("s1", "8503000", "", "", 47.3769, 8.5417);
        var osm1 = O("osm_1", 47.3770, 8.5418, Uic("8503000"));

        var output = RunWith([s1], [osm1], new ReviewerRulings([new("s1", "way_9")], [new("s1", "404")]));

        Assert.Equal([("s1", "osm_1", MatchTypeLabels.Exact)], output.Pairs());
        Assert.Contains(output.Diagnostics, d => d.StartsWith("ruling_unknown_osm_id: same_stop (s1, way_9)", StringComparison.Ordinal));
        Assert.Contains(output.Diagnostics, d => d.StartsWith("ruling_unknown_osm_id: not_same_stop (s1, 404)", StringComparison.Ordinal));
    }

    [Fact]
    public void ManualMatch_WhoseSideAnEarlierManualMatchTook_IsSkippedWithADiagnostic()
    {
        var s1 = A("s1", "", "", "", 47, 8);
        var s2 = A("s2", "", "", "", 47.01, 8);
        var o1 = O("o1", 47.0001, 8, Platform);
        var o2 = O("o2", 47.0101, 8, Platform);

        // In SLOID, then OSM id order: (s1, o1) first; (s1, o2) finds s1 taken and (s2, o1) finds o1 taken.
        var output = RunWith([s1, s2], [o1, o2], Manual(("s2", "o1"), ("s1", "o2"), ("s1", "o1")));

        Assert.Equal(("s1", "o1", MatchTypeLabels.Manual), output.Pairs()[0]);
        Assert.DoesNotContain(output.Matches, m => m.MatchType == MatchTypeLabels.Manual && m.OsmId != "o1");
        Assert.Contains("manual_match_taken: same_stop (s1, o2): the SLOID is already matched by an earlier manual match; ignored", output.Diagnostics);
        Assert.Contains("manual_match_taken: same_stop (s2, o1): the OSM element is already matched by an earlier manual match; ignored", output.Diagnostics);
        // What the skipped rulings named stays free for the stages.
        Assert.Contains(("s2", "o2", MatchTypeLabels.NearestSingle), output.Pairs());
    }

    [Fact]
    public void Rulings_GiveTheSameOutput_InAnyOrder()
    {
        var input = SyntheticStopNetwork.Generate(5, 600);
        var baseline = MatchingEngine.Run(input);
        var forbidden = baseline.Matches.Where((_, k) => k % 7 == 0).Select(m => new RulingPair(m.Sloid, m.OsmId)).ToList();
        var manual = baseline.UnmatchedAtlas.Zip(baseline.UnmatchedOsm, (a, o) => new RulingPair(a.Sloid, o.OsmId)).Take(30).ToList();

        var forward = MatchingEngine.Run(input with { Rulings = new ReviewerRulings(manual, forbidden) });
        var backward = MatchingEngine.Run(input with { Rulings = new ReviewerRulings([.. Enumerable.Reverse(manual)], [.. Enumerable.Reverse(forbidden)]) });

        Assert.Equal(forward.Pairs(), backward.Pairs());
        Assert.Equal(forward.Diagnostics, backward.Diagnostics);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public void ForbiddenPairs_NeverAppear_AndManualMatchesAlwaysDo_OnAGeneratedNetwork(int seed)
    {
        var input = SyntheticStopNetwork.Generate(seed, 1_500);
        var baseline = MatchingEngine.Run(input);
        // Every third match record of every kind (stages and both propagations) is forbidden.
        var forbidden = baseline.Matches.Where((_, k) => k % 3 == 0).Select(m => new RulingPair(m.Sloid, m.OsmId)).ToHashSet();
        // Ungrouped sides only, so that no manual match propagates onto the side of another.
        var grouped = baseline.AtlasDuplicateGroups.SelectMany(g => g.Members).Select(m => m.Sloid).ToHashSet(StringComparer.Ordinal);
        var singles = baseline.StopUnits.Where(u => u.Kind == StopUnitKinds.SingleKind).Select(u => u.UnitId).ToHashSet(StringComparer.Ordinal);
        var manual = baseline.UnmatchedAtlas.Select(a => a.Sloid).Where(s => !grouped.Contains(s))
            .Zip(baseline.UnmatchedOsm.Select(o => o.OsmId).Where(singles.Contains), (s, o) => new RulingPair(s, o)).Take(40).ToList();
        Assert.Equal(40, manual.Count);
        Assert.Contains(baseline.Matches, m => m.MatchType == MatchTypeLabels.DuplicatePropagation && forbidden.Contains(new(m.Sloid, m.OsmId)));
        Assert.Contains(baseline.Matches, m => m.MatchType == MatchTypeLabels.OsmGroupPropagation && forbidden.Contains(new(m.Sloid, m.OsmId)));

        var output = MatchingEngine.Run(input with { Rulings = new ReviewerRulings(manual, [.. forbidden]) });

        Assert.DoesNotContain(output.Matches, m => forbidden.Contains(new RulingPair(m.Sloid, m.OsmId)));
        var manualPairs = output.Matches.Where(m => m.MatchType == MatchTypeLabels.Manual).Select(m => new RulingPair(m.Sloid, m.OsmId)).ToHashSet();
        Assert.Equal(manual.ToHashSet(), manualPairs);
        Assert.Equal(output.Matches.Count, output.Summary.MatchedPairs);
        Assert.Equal(output.Summary.ByMatchType.Sum(t => t.Value), output.Summary.MatchedPairs);
    }

    private static MatchingOutput RunWith(IEnumerable<AtlasPlatform> atlas, IEnumerable<OsmElement> osm, ReviewerRulings rulings) =>
        MatchingEngine.Run(new MatchingInput([.. atlas], [.. osm]) { Rulings = rulings });

    private static ReviewerRulings Forbid(params (string Sloid, string OsmId)[] pairs) =>
        new([], [.. pairs.Select(p => new RulingPair(p.Sloid, p.OsmId))]);

    private static ReviewerRulings Manual(params (string Sloid, string OsmId)[] pairs) =>
        new([.. pairs.Select(p => new RulingPair(p.Sloid, p.OsmId))], []);
}
