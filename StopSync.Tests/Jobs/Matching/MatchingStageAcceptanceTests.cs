using StopSync.Jobs.Matching;
using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Matching.Engine.Stages;
using StopSync.Jobs.Sources.Osm;
using static StopSync.Tests.Jobs.Matching.EngineTestData;

namespace StopSync.Tests.Jobs.Matching;

/// <summary>The stage cases B1–B24 of docs/07-matching.md#acceptance-cases, with the name index de-duplicated.</summary>
public sealed class MatchingStageAcceptanceTests
{
    [Fact]
    public void B01_Exact_MatchesByUicRef_WithTheHaversineDistance()
    {
        var s1 = A("s1", "8503000", "1", "Zürich HB", 47.3769, 8.5417);
        var osm1 = O("osm_1", 47.3770, 8.5418, Uic("8503000"), Name("Zürich HB"));

        var output = Run([s1], [osm1], EngineStages.Exact);

        var match = Assert.Single(output.Matches);
        Assert.Equal(("s1", "osm_1", MatchTypeLabels.Exact), (match.Sloid, match.OsmId, match.MatchType));
        Assert.Equal(13.43, match.DistanceMeters, 2);
        Assert.Equal(StopSync.Jobs.Matching.Haversine.DistanceMeters(s1.Lat, s1.Lon, osm1.Lat, osm1.Lon), match.DistanceMeters, 6);
    }

    [Fact]
    public void B02_Name_PicksTheCandidateWhoseLocalRefIsTheDesignation()
    {
        var s1 = A("s1", "8503000", "2", "Zürich HB", 47.3769, 8.5417);
        var osmA = O("osm_a", 47.37691, 8.54171, Name("Zürich HB"), LocalRef("1"));
        var osmB = O("osm_b", 47.37692, 8.54172, Name("Zürich HB"), LocalRef("2"));

        var output = Run([s1], [osmA, osmB], EngineStages.Name);

        Assert.Equal([("s1", "osm_b", MatchTypeLabels.Name)], output.Pairs());
        Assert.Equal("Name index match (2 candidates)", output.Matches[0].Notes);
    }

    [Fact]
    public void B03_Route_MatchesByNormalisedRouteAndDirection()
    {
        var s1 = A("s1", "", "", "", 47, 8);
        var osm1 = O("osm_1", 47.0001, 8.0001, StopPosition);
        var evidence = new Dictionary<string, IReadOnlyList<AtlasRouteEvidence>> { ["s1"] = [Evidence("91-9-I-j25-1", "0")] };

        var output = Run([s1], [osm1], EngineStages.Route, [Relation("r1", "91-9-I-j26-1", "0", "osm_1")], evidence);

        Assert.Equal([("s1", "osm_1", MatchTypeLabels.RouteTokens)], output.Pairs());
        Assert.Contains("91-9-I-jXX-1|0", output.Matches[0].Evidence.SharedRouteTokens!);
    }

    [Fact]
    public void B04_Route_OnlyTheMutualUniqueBestPairIsCommitted()
    {
        var weak = A("s_weak", "", "", "", 47, 8);
        var strong = A("s_strong", "", "", "", 47.00002, 8.00002);
        var osm1 = O("osm_1", 47.000021, 8.000021, StopPosition);
        var evidence = new Dictionary<string, IReadOnlyList<AtlasRouteEvidence>>
        {
            ["s_weak"] = [Evidence("route_a-j26", "1"), Evidence("route_b-j26", "1")],
            ["s_strong"] = [Evidence("route_a-j26", "1"), Evidence("route_b-j26", "1"), Evidence("route_c-j26", "1")],
        };
        var relations = new[] { Relation("ra", "route_a-j26", "1", "osm_1"), Relation("rb", "route_b-j26", "1", "osm_1"), Relation("rc", "route_c-j26", "1", "osm_1") };

        var output = Run([weak, strong], [osm1], EngineStages.Route, relations, evidence);

        Assert.Equal([("s_strong", "osm_1", MatchTypeLabels.RouteTokens)], output.Pairs());
        Assert.Equal(6, output.Matches[0].Evidence.Score);
    }

    [Fact]
    public void B05_Route_EqualBestScoresCommitNothing()
    {
        var weak = A("s_weak", "", "", "", 47, 8);
        var strong = A("s_strong", "", "", "", 47.00002, 8.00002);
        var osm1 = O("osm_1", 47.000021, 8.000021, StopPosition);
        var evidence = new Dictionary<string, IReadOnlyList<AtlasRouteEvidence>>
        {
            ["s_weak"] = [Evidence("route_a-j26", "1"), Evidence("route_b-j26", "1")],
            ["s_strong"] = [Evidence("route_a-j26", "1"), Evidence("route_b-j26", "1")],
        };
        var relations = new[] { Relation("ra", "route_a-j26", "1", "osm_1"), Relation("rb", "route_b-j26", "1", "osm_1"), Relation("rc", "route_c-j26", "1", "osm_1") };

        var output = Run([weak, strong], [osm1], EngineStages.Route, relations, evidence);

        Assert.Empty(output.Matches);
    }

    [Fact]
    public void B06_Route_DirectionDecides_AndTheNearerPlatformStaysUnmatched()
    {
        var bad = A("s_bad", "", "", "", 46.5221688, 6.5661288);
        var good = A("s_good", "", "", "", 46.5222554, 6.5656973);
        var osm1 = O("osm_1", 46.5222435, 6.5661495, StopPosition);
        var evidence = new Dictionary<string, IReadOnlyList<AtlasRouteEvidence>>
        {
            ["s_bad"] = [Evidence("91-m1-j26-1", "0")],
            ["s_good"] = [Evidence("91-m1-j26-1", "1")],
        };

        var output = Run([bad, good], [osm1], EngineStages.Route | EngineStages.NearestSingle,
            [Relation("79742", "91-m1-j24-1", "1", "osm_1")], evidence);

        Assert.Equal([("s_good", "osm_1", MatchTypeLabels.RouteTokens)], output.Pairs());
        Assert.True(Distance(bad, osm1) < 10 && Distance(good, osm1) > 30);
        Assert.Contains(output.UnmatchedAtlas, u => u.Sloid == "s_bad");
    }

    [Fact]
    public void B07_ContradictingRoutesOfAMatch_AreOneP2Problem()
    {
        // s_bad is matched to osm_1 by the exact stage (same UIC, 8 m), though its timetable direction is the other one.
        var bad = A("s_bad", "8591001", "", "", 46.5221688, 6.5661288);
        var good = A("s_good", "", "", "", 46.5222554, 6.5656973);
        var osm1 = O("osm_1", 46.5222435, 6.5661495, StopPosition, Uic("8591001"));
        var evidence = new Dictionary<string, IReadOnlyList<AtlasRouteEvidence>>
        {
            ["s_bad"] = [Evidence("91-m1-j26-1", "0")],
            ["s_good"] = [Evidence("91-m1-j26-1", "1")],
        };

        var output = Run([bad, good], [osm1], EngineStages.Exact, [Relation("79742", "91-m1-j24-1", "1", "osm_1")], evidence);

        Assert.Equal([("s_bad", "osm_1", MatchTypeLabels.Exact)], output.Pairs());
        var problem = Assert.Single(output.Problems, p => p.Type == ProblemTypes.ContradictsRouteMatching);
        Assert.Equal((2, "s_bad", "osm_1"), (problem.Priority, problem.Sloid, problem.OsmId));
    }

    [Fact]
    public void B08_GroupProximity_AssignsWithinTheGroup_AndLeavesTheFarPlatform()
    {
        var atlas = new[]
        {
            A("s1", "u1", "", "Hub", 47, 8), A("s2", "u1", "", "Hub", 47.0005, 8.0005), A("s3", "u1", "", "Hub", 47.005, 8.005),
        };
        var osm = new[]
        {
            O("o1", 47.00006, 8.00006, Uic("u1"), UicName("Hub"), Name("Hub")),
            O("o2", 47.00056, 8.00056, Uic("u1"), UicName("Hub"), Name("Hub")),
        };

        var output = Run(atlas, osm, EngineStages.GroupProximity);

        Assert.Equal([("s1", "o1", MatchTypeLabels.GroupProximityUicRef), ("s2", "o2", MatchTypeLabels.GroupProximityUicRef)], output.Pairs());
        Assert.Contains(output.UnmatchedAtlas, u => u.Sloid == "s3");
    }

    [Fact]
    public void B09_Nearest_AConsumedCandidateIsGoneForLaterPasses()
    {
        var atlas = new[] { A("s1", "u1", "", "", 47, 8), A("s2", "u1", "", "", 47.00021, 8.00021), A("s3", "u1", "", "", 47.000325, 8.000325) };
        var osm = new[]
        {
            O("rep_a", 47.00001, 8.00001, TramStop, Uic("u1")), O("sib_a", 47.000015, 8.000015, StopPosition, Uic("u1")),
            O("rep_b", 47.00022, 8.00022, TramStop, Uic("u1")), O("sib_b", 47.000225, 8.000225, StopPosition, Uic("u1")),
        };

        var output = Run(atlas, osm, EngineStages.Nearest);

        Assert.Equal(StopUnitKinds.GroupPairTram, output.UnitOf("sib_b").GroupKind);
        var s2 = Assert.Single(output.Matches, m => m.Sloid == "s2" && m.OsmId == "rep_b");
        Assert.StartsWith("distance_matching_3", s2.MatchType, StringComparison.Ordinal);
        Assert.DoesNotContain(output.Matches, m => m.Sloid == "s3");
    }

    [Fact]
    public void B10_Grouping_PerfectCountPairsUpTo15Metres()
    {
        var atlas = new[] { A("a1", "u_pc", "", "", 47, 8), A("a2", "u_pc", "", "", 47.0005, 8.0005), A("a3", "u_pc", "", "", 47.001, 8.001) };
        var osm = new[]
        {
            O("p1", 47, 8, Platform, Uic("u_pc")), O("p2", 47.0005, 8.0005, Platform, Uic("u_pc")), O("p3", 47.001, 8.001, Platform, Uic("u_pc")),
            O("s1", 47.00009, 8.00009, StopPosition, Uic("u_pc")), O("s2", 47.00059, 8.00059, StopPosition, Uic("u_pc")),
            O("s3", 47.00109, 8.00109, StopPosition, Uic("u_pc")),
        };

        var output = Run(atlas, osm, EngineStages.None);

        Assert.InRange(Distance(atlas[0], osm[3]), 12, 12.2);
        Assert.Equal(["p1/s1", "p2/s2", "p3/s3"], Pairs(output, StopUnitKinds.GroupPairUicEqual15M));
    }

    [Fact]
    public void B11_Grouping_FarAtlasRowsDoNotCountTowardsThePerfectCount()
    {
        // Near distances 2, 3, 250 and 270 m: only two rows count, as many as the platforms and stop positions.
        var atlas = new[]
        {
            A("a1", "u_filtered", "", "", 47.000018, 8), A("a2", "u_filtered", "", "", 47.000527, 8.0005),
            A("a3", "u_filtered", "", "", 47.00225, 8), A("a4", "u_filtered", "", "", 47.0005, 8.0040),
        };
        var osm = new[]
        {
            O("p1", 47, 8, Platform, Uic("u_filtered")), O("s1", 47.00001, 8.00001, StopPosition, Uic("u_filtered")),
            O("p2", 47.0005, 8.0005, Platform, Uic("u_filtered")), O("s2", 47.00051, 8.00051, StopPosition, Uic("u_filtered")),
        };

        var output = Run(atlas, osm, EngineStages.None);

        Assert.Equal(["p1/s1", "p2/s2"], Pairs(output, StopUnitKinds.GroupPairUicEqual15M));
    }

    [Fact]
    public void B12_Grouping_NamePairsAnchoredByUicName_PerfectCount()
    {
        var atlas = new[] { A("a1", "u_name_pc", "", "Name PC", 47, 8), A("a2", "u_name_pc", "", "Name PC", 47.001, 8.001) };
        var osm = NamePcElements();

        var output = Run(atlas, osm, EngineStages.None);

        Assert.Equal(["p1/s1", "p2/s2"], Pairs(output, StopUnitKinds.GroupPairNameEqual15M));
    }

    [Fact]
    public void B12_WithNameAliasMultiplicity_TheDoubledEntriesBreakThePerfectCount()
    {
        var atlas = new[] { A("a1", "u_name_pc", "", "Name PC", 47, 8), A("a2", "u_name_pc", "", "Name PC", 47.001, 8.001) };

        var output = Run(atlas, NamePcElements(), EngineStages.None, options: new MatchingOptions { NameAliasMultiplicity = true });

        Assert.Empty(Pairs(output, StopUnitKinds.GroupPairNameEqual15M));
        Assert.Empty(Pairs(output, StopUnitKinds.GroupPairName));
    }

    [Fact]
    public void B13_Grouping_TramStopsPairWithStopPositions_PerfectCount()
    {
        var atlas = new[] { A("a1", "u_tram_pc", "", "", 47, 8), A("a2", "u_tram_pc", "", "", 47.001, 8.001) };
        var osm = new[]
        {
            O("t1", 47, 8, TramStop, Uic("u_tram_pc")), O("s1", 47.00009, 8.00009, StopPosition, Uic("u_tram_pc")),
            O("t2", 47.001, 8.001, TramStop, Uic("u_tram_pc")), O("s2", 47.00109, 8.00109, StopPosition, Uic("u_tram_pc")),
        };

        var output = Run(atlas, osm, EngineStages.None);

        Assert.Equal(["t1/s1", "t2/s2"], Pairs(output, StopUnitKinds.GroupPairTramEqual15M));
    }

    [Fact]
    public void B14_Grouping_IncompleteStrictPairsFallBackToRelaxed()
    {
        var atlas = new[] { A("a1", "u1", "", "", 47, 8), A("a2", "u1", "", "", 47.00002, 8), A("a3", "u1", "", "", 47.001, 8.001) };
        var osm = new[]
        {
            O("platform_1", 47, 8, Platform, Uic("u1")), O("stop_1", 47.00001, 8.00001, StopPosition, Uic("u1")),
            O("stop_extra", 47.001, 8.001, StopPosition, Uic("u1")),
        };

        var output = Run(atlas, osm, EngineStages.None);

        Assert.Equal(["platform_1/stop_1"], Pairs(output, StopUnitKinds.GroupPairUic));
        Assert.Equal(StopUnitKinds.SingleKind, output.UnitOf("stop_extra").Kind);
    }

    [Fact]
    public void B15_Grouping_NamePairFallsBackToRelaxed()
    {
        var atlas = new[] { A("a1", "u1", "", "Name Stop", 47, 8), A("a2", "u1", "", "Name Stop", 47.00002, 8), A("a3", "u1", "", "Name Stop", 47.001, 8.001) };
        var osm = new[]
        {
            O("platform_name", 47, 8, Platform, Name("Name Stop"), UicName("Name Stop")),
            O("stop_name", 47.00001, 8.00001, StopPosition, Name("Name Stop"), UicName("Name Stop")),
            O("stop_extra", 47.001, 8.001, StopPosition, Name("Name Stop"), UicName("Name Stop")),
        };

        var output = Run(atlas, osm, EngineStages.None);

        Assert.Equal(["platform_name/stop_name"], Pairs(output, StopUnitKinds.GroupPairName));
    }

    [Fact]
    public void B16_Grouping_TramPairFallsBackToRelaxed()
    {
        // Near distances 35, 10 and 9 m give a perfect count of 2, which one tram stop cannot meet.
        var atlas = new[] { A("a1", "u1", "", "", 47.000315, 8), A("a2", "u1", "", "", 47.00009, 8), A("a3", "u1", "", "", 47.001081, 8.001) };
        var osm = new[]
        {
            O("tram_1", 47, 8, TramStop, Uic("u1")), O("stop_tram_1", 47.00001, 8.00001, StopPosition, Uic("u1")),
            O("stop_tram_extra", 47.001, 8.001, StopPosition, Uic("u1")),
        };

        var output = Run(atlas, osm, EngineStages.None);

        Assert.Equal(["tram_1/stop_tram_1"], Pairs(output, StopUnitKinds.GroupPairTram));
    }

    [Fact]
    public void B17_Grouping_NamePairAnchoredByTheStopPosition_AndTheGroupedIndexInheritsItsUic()
    {
        var atlas = new[] { A("a1", "u_anchor", "", "Anchor Name", 47, 8) };
        var osm = new[]
        {
            O("platform_anchor", 47, 8, Platform, Name("Anchor Name")),
            O("stop_anchor", 47.00001, 8.00001, StopPosition, Uic("u_anchor"), UicName("Anchor Name"), Name("Anchor Name")),
        };

        var state = MatchingEngine.Prepare(new MatchingInput(atlas, osm));
        var index = GroupProximityStage.GroupedIndex(state, "uic_ref");

        Assert.Equal(StopUnitKinds.GroupPairName, state.Osm.Units.GroupKind[0]);
        Assert.True(state.Osm.Units.IsHidden(1));
        Assert.Equal(["platform_anchor"], index["u_anchor"].Select(j => state.Osm.Ids[j]));
    }

    [Fact]
    public void B18_Nearest_TheRatioPassConsumesACompetitor_AndTheSecondPassMatches()
    {
        var target = A("s_target", "", "", "", 46.11343836621, 7.30420757178);
        var competitor = A("s_competitor", "", "", "", 46.11362, 7.3044);
        var osm = new[]
        {
            O("way_208449383", 46.113323, 7.3042299, ("public_transport", "station"), ("aerialway", "station")),
            O("way_208449401", 46.1136516, 7.3044201, ("public_transport", "station"), ("aerialway", "station")),
        };

        var output = Run([target, competitor], osm, EngineStages.Nearest);

        Assert.Equal(
            [("s_competitor", "way_208449401", MatchTypeLabels.NearestRatio), ("s_target", "way_208449383", MatchTypeLabels.NearestSingleSecondPass)],
            output.Pairs());
        Assert.Equal(3.8, output.Matches[0].DistanceMeters, 1);
    }

    [Fact]
    public void B19_Trio_ACommitToTheRepresentativeNeverPropagates()
    {
        var atlas = new[] { A("a1", "u_trio", "", "", 47.3, 8.3), A("a2", "u_trio", "", "", 47.3002, 8.3002) };
        var osm = new[]
        {
            O("side_rep", 47.3, 8.3, Platform, Uic("u_trio")), O("middle", 47.3001, 8.3001, StopPosition, Uic("u_trio")),
            O("side_other", 47.3002, 8.3002, Platform, Uic("u_trio")),
        };
        var state = MatchingEngine.Prepare(new MatchingInput(atlas, osm));

        // The sides sort by id, so "side_other" (index 2) represents the trio.
        state.Commit(0, 2, MatchTypeLabels.Trio, 0, "manual", new MatchEvidence(MatchTypeLabels.Trio, 0));

        Assert.Equal(StopUnitKinds.GroupTrio, state.Osm.Units.GroupKind[2]);
        Assert.Equal(["side_other"], state.Matches.Select(m => m.OsmId));
        Assert.DoesNotContain(state.Matches, m => m.MatchType == MatchTypeLabels.OsmGroupPropagation);
        Assert.False(state.Osm.Used[0]);
        Assert.False(state.Osm.Used[1]);
    }

    [Fact]
    public void B20_Trio_BothSidesMatched_TheMiddleStaysUnmatched()
    {
        var atlas = new[] { A("a1", "u_t", "1", "", 47.4, 8.4), A("a2", "u_t", "2", "", 47.4003, 8.4003) };
        var osm = new[]
        {
            O("side_1", 47.4001, 8.4001, Platform, Uic("u_t")), O("middle", 47.40015, 8.40015, StopPosition, Uic("u_t")),
            O("side_2", 47.4002, 8.4002, Platform, Uic("u_t")),
        };

        var output = Run(atlas, osm, EngineStages.Trio | EngineStages.Exact | EngineStages.Name);

        Assert.Equal([("a1", "side_1", MatchTypeLabels.Trio), ("a2", "side_2", MatchTypeLabels.Trio)], output.Pairs());
        var middle = Assert.Single(output.UnmatchedOsm);
        Assert.Equal("middle", middle.OsmId);
        Assert.True(middle.EffectivelyMatched);
        Assert.DoesNotContain(output.Problems, p => p.OsmId == "middle");
        Assert.Equal([StopUnitKinds.RoleTrioMiddle, StopUnitKinds.RoleTrioSide, StopUnitKinds.RoleTrioSide], output.UnitOf("middle").Members.Select(m => m.Role));
    }

    [Fact]
    public void B21_Grouping_ASideTooFarFromTheMiddleIsNoTrio()
    {
        var atlas = new[] { A("a1", "u1", "", "", 47.5, 8.5), A("a2", "u1", "", "", 47.5015, 8.5015) };
        var osm = new[]
        {
            O("side_near", 47.50011, 8.50011, Platform, Uic("u1")), O("middle", 47.5001, 8.5001, StopPosition, Uic("u1")),
            O("side_far", 47.5015, 8.5015, Platform, Uic("u1")),
        };

        var state = MatchingEngine.Prepare(new MatchingInput(atlas, osm));

        Assert.Empty(state.Osm.Units.Trios);
        Assert.Equal(StopUnitKinds.GroupPairUic, state.Osm.Units.GroupKind[0]);
        Assert.Equal(0, state.Osm.Units.RepresentativeOf(1));
        Assert.Equal(["side_near", "side_far"], state.Osm.UicIndex["u1"].Where(state.IsAvailable).Select(j => state.Osm.Ids[j]));
    }

    [Fact]
    public void B22_Assignment_MaximisesPairsWhenTheSidesDifferInSize()
    {
        (double Lat, double Lon)[] atlas = [(47, 8), (47.0005, 8.0005), (47.01, 8.01)];
        (double Lat, double Lon)[] osm = [(47.0001, 8.0001), (47.0006, 8.0006)];
        var edges = (from a in Enumerable.Range(0, 3)
                     from o in Enumerable.Range(0, 2)
                     select new AssignmentEdge(a, o, Haversine.DistanceMeters(atlas[a].Lat, atlas[a].Lon, osm[o].Lat, osm[o].Lon))).ToList();

        var pairs = MinCostAssignment.MaxCardinalityMinDistance(3, 2, edges, 100);

        Assert.Equal([(0, 0), (1, 1)], pairs.Select(p => (p.A, p.B)));
    }

    [Theory]
    [InlineData("route-j25", "route-jXX")]
    [InlineData("route-j1-j2", "route-jXX-jXX")]
    [InlineData("plain-route", "plain-route")]
    public void B23_NormalizeRouteId_ReplacesTimetableYears(string routeId, string expected) =>
        Assert.Equal(expected, OsmRouteRelation.NormalizeRouteId(routeId));

    [Theory]
    [InlineData("public_transport", "station", true)]
    [InlineData("public_transport", "stop_position", false)]
    [InlineData("aerialway", "station", false)]
    public void B24_IsStation_FollowsTheTags(string key, string value, bool expected) =>
        Assert.Equal(expected, O("1", 47, 8, (key, value)).IsStation);

    private static OsmElement[] NamePcElements() =>
    [
        O("p1", 47, 8, Platform, Name("Name PC"), UicName("Name PC")),
        O("s1", 47.0001, 8, StopPosition, Name("Name PC"), UicName("Name PC")),
        O("p2", 47.001, 8.001, Platform, Name("Name PC"), UicName("Name PC")),
        O("s2", 47.0011, 8.001, StopPosition, Name("Name PC"), UicName("Name PC")),
    ];

    private static List<string> Pairs(MatchingOutput output, string groupKind) =>
        [.. output.StopUnits.Where(u => u.GroupKind == groupKind).Select(u => $"{u.Members[0].OsmId}/{u.Members[1].OsmId}").Order(StringComparer.Ordinal)];
}
