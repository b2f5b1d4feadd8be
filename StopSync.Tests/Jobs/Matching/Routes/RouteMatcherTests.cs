using StopSync.Jobs.Matching.Routes;
using static StopSync.Tests.Jobs.Matching.Routes.RouteMatchingTestData;

namespace StopSync.Tests.Jobs.Matching.Routes;

/// <summary>docs/07-matching.md#matching: family tiers, non-GTFS families, itinerary rules.</summary>
public sealed class RouteMatcherTests
{
    private static readonly string[] Line = ["1/1", "2/1", "3/1", "4/1", "5/1"];

    private static IReadOnlyList<Itinerary> OneAtlas(string routeId) => [AtlasItinerary(routeId + "|0|aaa", "0", Line)];

    private static IReadOnlyList<Itinerary> OneOsm(string id = "500") => [OsmItinerary(id, "0", Line)];

    [Fact]
    public void Family_ExactGtfsRouteId_Scores1()
    {
        var output = RouteMatcher.Match([Atlas("91-10-A-j26-1", OneAtlas("91-10-A-j26-1"))], [Osm("route_master:1", "91-10-A-j26-1", OneOsm())]);

        Assert.Equal(new LineFamilyMatch("91-10-A-j26-1", "route_master:1", RouteMatchMethods.ExactGtfsRouteId, 1.0), Assert.Single(output.FamilyMatches));
    }

    [Fact]
    public void Family_NormalizedRouteId_Scores095_WhenOnlyTheTimetableYearDiffers()
    {
        var output = RouteMatcher.Match([Atlas("91-10-A-j26-1", OneAtlas("91-10-A-j26-1"))], [Osm("route_master:1", "91-10-A-j25-1", OneOsm())]);

        Assert.Equal(new LineFamilyMatch("91-10-A-j26-1", "route_master:1", RouteMatchMethods.NormalizedRouteId, 0.95), Assert.Single(output.FamilyMatches));
    }

    [Fact]
    public void Family_DisplayRouteId_Scores09_WhenOnlyTheLinePartAgrees()
    {
        var output = RouteMatcher.Match([Atlas("91-10-A-j26-1", OneAtlas("91-10-A-j26-1"))], [Osm("route_master:1", "91-10-A-j25-2", OneOsm())]);

        Assert.Equal(new LineFamilyMatch("91-10-A-j26-1", "route_master:1", RouteMatchMethods.DisplayRouteId, 0.9), Assert.Single(output.FamilyMatches));
    }

    [Fact]
    public void Family_IsNotMatched_WhenNoIdFormAgrees()
    {
        var output = RouteMatcher.Match([Atlas("91-10-A-j26-1", OneAtlas("91-10-A-j26-1"))], [Osm("route_master:1", "91-11-A-j26-1", OneOsm())]);

        Assert.Empty(output.FamilyMatches);
        Assert.False(output.Families.Single(f => f.Source == RouteSides.Osm).IsNonGtfs);
    }

    [Fact]
    public void Family_RefAndStops_Scores08_WhenTheOsmFamilyHasNoGtfsId()
    {
        var output = RouteMatcher.Match(
            [Atlas("91-10-A-j26-1", OneAtlas("91-10-A-j26-1"), lineRef: "10")],
            [Osm("route_master:1", null, OneOsm(), lineRef: " 10 ")]);

        Assert.Equal(new LineFamilyMatch("91-10-A-j26-1", "route_master:1", RouteMatchMethods.RefAndStops, 0.8), Assert.Single(output.FamilyMatches));
        Assert.False(output.Families.Single(f => f.Source == RouteSides.Osm).IsNonGtfs);
    }

    [Fact]
    public void Family_RefAndStops_IgnoresCaseOfTheRef()
    {
        var output = RouteMatcher.Match(
            [Atlas("91-N1-j26-1", OneAtlas("91-N1-j26-1"), lineRef: "n1")], [Osm("route_master:1", null, OneOsm(), lineRef: "N1")]);

        Assert.Equal(RouteMatchMethods.RefAndStops, Assert.Single(output.FamilyMatches).Method);
    }

    [Theory]
    [InlineData(RouteModes.Tram, "10")]
    [InlineData(RouteModes.Bus, "11")]
    [InlineData(RouteModes.Bus, null)]
    public void Family_RefAndStops_IsNotMatched_WhenModeOrRefDiffer(string osmMode, string? osmRef)
    {
        var output = RouteMatcher.Match(
            [Atlas("91-10-A-j26-1", OneAtlas("91-10-A-j26-1"), lineRef: "10")],
            [Osm("route_master:1", null, OneOsm(), lineRef: osmRef, mode: osmMode)]);

        Assert.Empty(output.FamilyMatches);
    }

    [Theory]
    [InlineData(2, 4, true)]
    [InlineData(1, 3, false)]
    [InlineData(3, 4, true)]
    [InlineData(0, 4, false)]
    public void Family_RefAndStops_NeedsHalfOfTheOsmFamilysDistinctStops(int found, int total, bool matched)
    {
        string[] osmStops = [.. Line.Take(found), .. Platforms(900, total - found)];
        // The second itinerary repeats the same stops backwards: distinct stops are counted once.
        var osm = Osm("route_master:1", null, [OsmItinerary("500", "0", osmStops), OsmItinerary("501", "1", [.. osmStops.Reverse()])]);

        var output = RouteMatcher.Match([Atlas("91-10-A-j26-1", OneAtlas("91-10-A-j26-1"))], [osm]);

        Assert.Equal(matched, output.FamilyMatches.Count == 1);
        Assert.Equal(!matched, output.Families.Single(f => f.Source == RouteSides.Osm).IsNonGtfs);
    }

    [Fact]
    public void Family_RefAndStops_CountsAStationLevelTimetableCall_AsServingEveryPlatformOfItsStation()
    {
        var atlas = Atlas("91-10-A-j26-1", [AtlasItinerary("x", "0", "1", "2", "3")]);
        var osm = Osm("route_master:1", null, [OsmItinerary("500", "0", "1/4", "2/1", "9/1")]);

        var output = RouteMatcher.Match([atlas], [osm]);

        Assert.Single(output.FamilyMatches);
    }

    [Fact]
    public void Family_Greedy_PrefersTheStrongerTier_OverTheSmallerAtlasId()
    {
        // The OSM family is a display-id candidate of -1 and the exact id of -2: the exact tier wins, -1 stays unmatched.
        var output = RouteMatcher.Match(
            [Atlas("91-10-A-j26-1", OneAtlas("91-10-A-j26-1")), Atlas("91-10-A-j26-2", OneAtlas("91-10-A-j26-2"))],
            [Osm("route_master:1", "91-10-A-j26-2", OneOsm())]);

        var match = Assert.Single(output.FamilyMatches);
        Assert.Equal(("91-10-A-j26-2", RouteMatchMethods.ExactGtfsRouteId), (match.AtlasFamilyId, match.Method));
    }

    [Fact]
    public void Family_Greedy_BreaksEqualScores_ByAtlasId_ThenOsmId()
    {
        // Both OSM families reach both ATLAS families through the display id only (score 0.9 everywhere).
        var output = RouteMatcher.Match(
            [Atlas("91-10-A-j26-2", OneAtlas("91-10-A-j26-2")), Atlas("91-10-A-j26-1", OneAtlas("91-10-A-j26-1"))],
            [Osm("route_master:8", "91-10-A-j24-9", OneOsm("8")), Osm("route_master:7", "91-10-A-j24-8", OneOsm("7"))]);

        Assert.Equal(
            [("91-10-A-j26-1", "route_master:7"), ("91-10-A-j26-2", "route_master:8")],
            output.FamilyMatches.Select(m => (m.AtlasFamilyId, m.OsmFamilyId)));
    }

    [Fact]
    public void Family_Greedy_IsOneToOne_BetweenOsmFamiliesOfTheSameId()
    {
        // Two OSM families carry the same GTFS id (a route_master and a stray relation): only the smaller id gets the line.
        var output = RouteMatcher.Match(
            [Atlas("91-10-A-j26-1", OneAtlas("91-10-A-j26-1"))],
            [Osm("route_master:1", "91-10-A-j26-1", OneOsm()), Osm("relation:2", "91-10-A-j26-1", OneOsm("2"))]);

        Assert.Equal("relation:2", Assert.Single(output.FamilyMatches).OsmFamilyId);
        Assert.Contains(output.Problems, p => p.Type == "route_unmatched" && p.OsmId == OsmIdOf("1/1"));
    }

    [Fact]
    public void NonGtfs_IsSet_OnAnUnmatchedOsmFamilyWithoutGtfsId_AndRaisesNoProblem()
    {
        var output = RouteMatcher.Match([], [Osm("route_master:1", null, OneOsm(), lineRef: "Tourist")]);

        Assert.True(Assert.Single(output.Families).IsNonGtfs);
        Assert.Empty(output.Problems);
        Assert.Equal(1, output.Summary.NonGtfsFamilies);
    }

    [Fact]
    public void NonGtfs_FlagGivenOnInput_KeepsTheFamilyOutOfMatching()
    {
        var osm = Osm("route_master:1", "91-10-A-j26-1", OneOsm()) with { IsNonGtfs = true };

        var output = RouteMatcher.Match([Atlas("91-10-A-j26-1", OneAtlas("91-10-A-j26-1"))], [osm]);

        Assert.Empty(output.FamilyMatches);
        Assert.True(output.Families.Single(f => f.Source == RouteSides.Osm).IsNonGtfs);
    }

    [Fact]
    public void Families_AreListed_AtlasThenOsm_EachByFamilyId()
    {
        var output = RouteMatcher.Match(
            [Atlas("b", OneAtlas("b")), Atlas("a", OneAtlas("a"))],
            [Osm("relation:9", null, OneOsm("9")), Osm("gtfs:x", "x", OneOsm("8"))]);

        Assert.Equal(["a", "b", "gtfs:x", "relation:9"], output.Families.Select(f => f.FamilyId));
    }

    [Fact]
    public void ItineraryPair_IsMatched_WhenDirectionsAgreeAndAllStopsAlign()
    {
        var output = MatchOne([AtlasItinerary("a0", "0", Line)], [OsmItinerary("500", "0", Line)]);

        var match = Assert.Single(output.ItineraryMatches);
        Assert.Equal(
            new ItineraryMatch("91-10-A-j26-1", "route_master:1", "a0", "500", 1.0, 1.0, null, 1.0, 5, RouteMatchMethods.OrderedStopMatch),
            match);
    }

    [Fact]
    public void ItineraryPair_IsNotMatched_WhenDirectionsDiffer()
    {
        var output = MatchOne([AtlasItinerary("a0", "0", Line)], [OsmItinerary("500", "1", Line)]);

        Assert.Empty(output.ItineraryMatches);
    }

    [Theory]
    [InlineData(null, "0")]
    [InlineData("0", null)]
    [InlineData(null, null)]
    public void ItineraryPair_IsNotMatched_WhenADirectionIsUnknown(string? atlasDirection, string? osmDirection)
    {
        var output = MatchOne([AtlasItinerary("a0", atlasDirection, Line)], [OsmItinerary("500", osmDirection, Line)]);

        Assert.Empty(output.ItineraryMatches);
    }

    [Fact]
    public void ItineraryPair_WithUnknownDirection_IsMatchedAtDirectionScore05_WhenTheOptionAllowsIt()
    {
        var output = MatchOne([AtlasItinerary("a0", "0", Line)], [OsmItinerary("500", null, Line)], new RouteMatchingOptions(AllowUnknownDirection: true));

        var match = Assert.Single(output.ItineraryMatches);
        Assert.Equal((0.5, 0.75), (match.DirectionScore, match.OverallScore));
    }

    [Fact]
    public void ItineraryPair_WithKnownDifferentDirections_IsNotMatched_EvenWhenUnknownDirectionsAreAllowed()
    {
        var output = MatchOne([AtlasItinerary("a0", "0", Line)], [OsmItinerary("500", "1", Line)], new RouteMatchingOptions(AllowUnknownDirection: true));

        Assert.Empty(output.ItineraryMatches);
    }

    [Theory]
    [InlineData(79, false)]
    [InlineData(80, true)]
    public void StopScore_079_IsRejected_And_080_IsAccepted(int shared, bool accepted)
    {
        // 100 calls each; the first `shared` are the same stops, the rest differ.
        var atlas = Platforms(1000, 100);
        string[] osm = [.. atlas.Take(shared), .. Platforms(5000, 100 - shared)];

        var output = MatchOne([AtlasItinerary("a0", "0", atlas)], [OsmItinerary("500", "0", osm)]);

        Assert.Equal(accepted, output.ItineraryMatches.Count == 1);
        if (accepted)
        {
            var match = output.ItineraryMatches[0];
            Assert.Equal((80, 0.8, 0.9), (match.MatchedStops, match.StopScore, match.OverallScore));
        }
    }

    [Theory]
    [InlineData(5, true)]
    [InlineData(6, false)]
    public void StopScore_DividesByTheLongerItinerary(int osmLength, bool accepted)
    {
        // Four timetable calls all found in an OSM itinerary of 5 (4/5 = 0.8) or 6 (4/6) calls.
        string[] osm = [.. Line.Take(4), .. Platforms(900, osmLength - 4)];

        var output = MatchOne([AtlasItinerary("a0", "0", Line.Take(4).ToArray())], [OsmItinerary("500", "0", osm)]);

        Assert.Equal(accepted, output.ItineraryMatches.Count == 1);
    }

    [Fact]
    public void StopScore_CountsOrderedCallsOnly()
    {
        // Same five stops, two swapped pairs: the longest ordered alignment is 3 of 5 (0.6), rejected.
        var output = MatchOne([AtlasItinerary("a0", "0", Line)], [OsmItinerary("500", "0", "2/1", "1/1", "3/1", "5/1", "4/1")]);

        Assert.Empty(output.ItineraryMatches);
    }

    [Fact]
    public void StopScore_AlignsAStationLevelTimetableCall_WithAnyPlatformOfItsStation()
    {
        var output = MatchOne([AtlasItinerary("a0", "0", "1", "2/1", "3/1", "4/1", "5")], [OsmItinerary("500", "0", "1/7", "2/1", "3/1", "4/1", "5/2")]);

        Assert.Equal(5, Assert.Single(output.ItineraryMatches).MatchedStops);
    }

    [Fact]
    public void Greedy_PrefersMoreMatchedStops_OverAHigherRatio()
    {
        string[] ten = Platforms(1, 10);
        // "a" aligns 9 of 10 (0.9), "b" aligns 10 of 12 (0.83): more matched stops win over the ratio and the smaller id.
        var output = MatchOne(
            [AtlasItinerary("a", "0", ten[..9]), AtlasItinerary("b", "0", [.. ten, "98/1", "99/1"])],
            [OsmItinerary("500", "0", ten)]);

        var match = Assert.Single(output.ItineraryMatches);
        Assert.Equal(("b", 10), (match.AtlasItineraryId, match.MatchedStops));
    }

    [Fact]
    public void Greedy_PrefersTheHigherRatio_WhenMatchedStopsAreEqual()
    {
        string[] eight = Platforms(1, 8);
        // Both align all 8 OSM calls; "a" has a ninth call (8/9), "b" none (8/8): "b" wins despite the larger id.
        var output = MatchOne(
            [AtlasItinerary("a", "0", [.. eight, "99/1"]), AtlasItinerary("b", "0", eight)],
            [OsmItinerary("500", "0", eight)]);

        var match = Assert.Single(output.ItineraryMatches);
        Assert.Equal(("b", 1.0), (match.AtlasItineraryId, match.StopScore));
    }

    [Fact]
    public void Greedy_BreaksFullTies_ByAtlasItineraryId_ThenOsmItineraryId()
    {
        var output = MatchOne(
            [AtlasItinerary("y", "0", Line), AtlasItinerary("x", "0", Line)],
            [OsmItinerary("502", "0", Line), OsmItinerary("501", "0", Line), OsmItinerary("503", "0", Line)]);

        Assert.Equal([("x", "501"), ("y", "502")], output.ItineraryMatches.Select(m => (m.AtlasItineraryId, m.OsmItineraryId)));
    }

    [Fact]
    public void Itineraries_AreComparedOnlyInsideMatchedFamilies()
    {
        var output = RouteMatcher.Match(
            [Atlas("91-10-A-j26-1", [AtlasItinerary("a0", "0", Line)])],
            [Osm("route_master:1", "91-99-j26-1", [OsmItinerary("500", "0", Line)])]);

        Assert.Empty(output.ItineraryMatches);
    }

    [Fact]
    public void ItineraryMatches_AreOrdered_ByAtlasFamily_ThenAtlasItinerary()
    {
        var output = RouteMatcher.Match(
            [Atlas("r2", [AtlasItinerary("r2|1|b", "1", Line), AtlasItinerary("r2|0|a", "0", Line)]), Atlas("r1", [AtlasItinerary("r1|0|c", "0", Line)])],
            [
                Osm("gtfs:r2", "r2", [OsmItinerary("10", "0", Line), OsmItinerary("11", "1", Line)]),
                Osm("gtfs:r1", "r1", [OsmItinerary("12", "0", Line)]),
            ]);

        Assert.Equal(["r1|0|c", "r2|0|a", "r2|1|b"], output.ItineraryMatches.Select(m => m.AtlasItineraryId));
    }

    [Fact]
    public void Alignment_IsTheLongestCommonSubsequence_ComparingByKeyIntersection()
    {
        var table = new StopKeyTable();
        var atlas = table.Calls(AtlasItinerary("a", "0", "1/1", "2/1", "3/1", "4/1"));
        var osm = table.Calls(OsmItinerary("o", "0", "1/1", "3/1", "2/1", "osm:9", "4/2"));

        var pairs = StopAlignment.Align(atlas, osm);

        // 1, one of 2 and 3, and 4 through the shared station key: three aligned calls, in order.
        Assert.Equal(3, StopAlignment.Length(atlas, osm));
        Assert.Equal(3, pairs.Length);
        Assert.Equal((0, 0), pairs[0]);
        Assert.Equal((3, 4), pairs[2]);
        Assert.True(pairs[1] is (1, 2) or (2, 1));
    }

    [Fact]
    public void Alignment_BitParallelLength_EqualsTheTableLength_OnRandomItineraries()
    {
        // Few stations with two platforms each and station-level calls: "keys intersect" is not transitive here
        // ("3" is the same stop as "3/1" and "3/2", which are not the same stop). Up to 70 calls exercises the fallback.
        var random = new Random(12);
        string[] pool = [.. Enumerable.Range(1, 6).SelectMany(s => new[] { $"{s}", $"{s}/1", $"{s}/2" }), "osm:1", "osm:2"];
        var table = new StopKeyTable();
        for (var run = 0; run < 2_000; run++)
        {
            var atlas = table.Calls(AtlasItinerary("a", "0", [.. Enumerable.Range(0, random.Next(0, 40)).Select(_ => pool[random.Next(pool.Length - 2)])]));
            var osm = table.Calls(OsmItinerary("o", "0", [.. Enumerable.Range(0, random.Next(0, 71)).Select(_ => pool[random.Next(pool.Length)])]));

            var expected = StopAlignment.Length(atlas, osm);

            Assert.Equal(expected, StopAlignment.Length(atlas, osm, StopAlignment.PositionMasks(osm)));
            var pairs = StopAlignment.Align(atlas, osm);
            Assert.Equal(expected, pairs.Length);
            Assert.All(pairs, p => Assert.True(StopAlignment.Same(atlas[p.Atlas], osm[p.Osm])));
            Assert.All(pairs.Zip(pairs.Skip(1)), p => Assert.True(p.First.Atlas < p.Second.Atlas && p.First.Osm < p.Second.Osm));
        }
    }

    [Fact]
    public void Summary_CountsFamiliesItinerariesCallsMethodsAndProblems()
    {
        var output = RouteMatcher.Match(
            [Atlas("r1", [AtlasItinerary("r1|0|a", "0", Line), AtlasItinerary("r1|1|a", "1", [.. Line.Reverse()])]), Atlas("r2", OneAtlas("r2"))],
            [Osm("gtfs:r1", "r1", [OsmItinerary("10", "0", Line)]), Osm("relation:5", null, OneOsm("5"), lineRef: "Tourist")]);

        var s = output.Summary;
        Assert.Equal((2, 2, 1, 3, 2, 25, 1, 1), (s.AtlasFamilies, s.OsmFamilies, s.NonGtfsFamilies, s.AtlasItineraries, s.OsmItineraries, s.StopCalls, s.MatchedFamilies, s.MatchedItineraries));
        Assert.Equal(
            [new(RouteMatchMethods.ExactGtfsRouteId, 1), new(RouteMatchMethods.NormalizedRouteId, 0), new(RouteMatchMethods.DisplayRouteId, 0), new(RouteMatchMethods.RefAndStops, 0)],
            s.FamiliesByMethod);
        Assert.Equal([new("route_unmatched", 1), new("route_metadata", 0), new("route_membership", 0)], s.ProblemsByType);
    }

    private static StopSync.Jobs.Matching.Routes.RouteMatchingOutput MatchOne(
        IReadOnlyList<Itinerary> atlas, IReadOnlyList<Itinerary> osm, RouteMatchingOptions? options = null) =>
        RouteMatcher.Match([Atlas("91-10-A-j26-1", atlas)], [Osm("route_master:1", "91-10-A-j26-1", osm)], options);
}
