using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Matching.Routes;
using static StopSync.Tests.Jobs.Matching.Routes.RouteMatchingTestData;

namespace StopSync.Tests.Jobs.Matching.Routes;

/// <summary>docs/07-matching.md#route-problems: kinds, priorities, the stop row each lands on, ids and evidence.</summary>
public sealed class RouteProblemTests
{
    private static readonly string[] Six = Platforms(1, 6);

    [Theory]
    [InlineData(4, 3)]
    [InlineData(5, 2)]
    [InlineData(20, 2)]
    [InlineData(21, 1)]
    public void Unmatched_AtlasFamily_Priority_FollowsItsDistinctStops(int stops, int priority)
    {
        var output = RouteMatcher.Match([Atlas("91-20-j26-1", [AtlasItinerary("i", "0", Platforms(1000, stops))])], []);

        var problem = Assert.Single(output.Problems);
        Assert.Equal((ProblemTypes.RouteUnmatched, priority, SloidOf("1000/1"), (string?)null), (problem.Type, problem.Priority, problem.Sloid, problem.OsmId));
    }

    [Fact]
    public void Unmatched_Priority_CountsDistinctStopsOverAllItineraries()
    {
        // Four stops each way, six distinct stops in all: P2, though each itinerary alone would be P3.
        var output = RouteMatcher.Match(
            [Atlas("91-20-j26-1", [AtlasItinerary("i0", "0", Platforms(1, 4)), AtlasItinerary("i1", "1", Platforms(3, 4))])], []);

        Assert.Equal(2, Assert.Single(output.Problems).Priority);
    }

    [Fact]
    public void Unmatched_AtlasFamily_LandsOnTheFirstCallWithSloid_OfTheLongestItinerary()
    {
        // x1 and x2 are longest (ties: the smaller id); x1 starts at a station-level call, which has no SLOID.
        var output = RouteMatcher.Match(
            [Atlas("91-20-j26-1", [
                AtlasItinerary("x0", "0", Platforms(1, 4)),
                AtlasItinerary("x2", "1", Platforms(21, 5)),
                AtlasItinerary("x1", "0", ["10", "11/1", "12/1", "13/1", "14/1"]),
            ])],
            []);

        Assert.Equal(SloidOf("11/1"), Assert.Single(output.Problems).Sloid);
    }

    [Fact]
    public void Unmatched_AtlasFamily_WithoutAnySloid_RaisesNoProblem_AndIsCountedAsUnplaced()
    {
        var output = RouteMatcher.Match([Atlas("91-20-j26-1", [AtlasItinerary("i", "0", "1", "2", "3")])], []);

        Assert.Empty(output.Problems);
        Assert.Equal(1, output.Summary.UnplacedProblems);
    }

    [Fact]
    public void Unmatched_OsmFamily_WithAStaleGtfsId_LandsOnTheFirstElementOfItsLongestItinerary()
    {
        var output = RouteMatcher.Match(
            [],
            [Osm("route_master:2", "91-99-j24-1", [OsmItinerary("7", "0", Platforms(1, 3)), OsmItinerary("8", "1", ["osm:5", .. Platforms(40, 21)])])]);

        var problem = Assert.Single(output.Problems);
        Assert.Equal((ProblemTypes.RouteUnmatched, 1, (string?)null, OsmIdOf("osm:5")), (problem.Type, problem.Priority, problem.Sloid, problem.OsmId));
        Assert.Equal("""{"side":"osm","line":"91-99","osm_family":"route_master:2"}""", problem.Evidence!.ToJson());
        Assert.False(Assert.Single(output.Families).IsNonGtfs);
    }

    [Fact]
    public void Unmatched_NonGtfsOsmFamily_RaisesNoProblem()
    {
        var output = RouteMatcher.Match([], [Osm("relation:3", null, [OsmItinerary("3", "0", Platforms(1, 30))], lineRef: "Schulbus")]);

        Assert.Empty(output.Problems);
        Assert.Equal(0, output.Summary.UnplacedProblems);
    }

    [Theory]
    [InlineData("10", "11", "VBM", "VBM", null, null, RouteModes.Bus, RouteModes.Bus, 2, "ref")]
    [InlineData("10", null, "VBM", "VBM", null, null, RouteModes.Bus, RouteModes.Bus, 2, "ref")]
    [InlineData("10", "10", "VBM", "VBM", null, null, RouteModes.Bus, RouteModes.Tram, 2, "mode")]
    [InlineData("10", "10", "VBM", "BLS", null, null, RouteModes.Bus, RouteModes.Bus, 3, "operator")]
    [InlineData("10", "10", "VBM", null, null, null, RouteModes.Bus, RouteModes.Bus, 3, "operator")]
    [InlineData("10", "10", "VBM", "VBM", "Libero", "ZVV", RouteModes.Bus, RouteModes.Bus, 3, "network")]
    [InlineData("10", "11", "VBM", "BLS", "Libero", "ZVV", RouteModes.Bus, RouteModes.Tram, 2, "ref,operator,network,mode")]
    public void Metadata_ListsEachDifference_P2ForRefOrMode_ElseP3(
        string? atlasRef, string? osmRef, string? atlasOperator, string? osmOperator, string? atlasNetwork, string? osmNetwork,
        string atlasMode, string osmMode, int priority, string attributes)
    {
        var output = RouteMatcher.Match(
            [Atlas("91-10-A-j26-1", [AtlasItinerary("a", "0", Six)], atlasRef, atlasMode, atlasOperator, atlasNetwork)],
            [Osm("route_master:1", "91-10-A-j26-1", [OsmItinerary("5", "0", Six)], osmRef, osmMode, osmOperator, osmNetwork)]);

        var problem = Assert.Single(output.Problems);
        Assert.Equal((ProblemTypes.RouteMetadata, priority), (problem.Type, problem.Priority));
        Assert.Equal(attributes, string.Join(',', problem.Evidence!.Differences!.Select(d => d.Attribute)));
    }

    [Theory]
    [InlineData("10", "10 ", "Verkehrsbetriebe Muster VBM", "vbm", null, "ZVV", RouteModes.Bus, RouteModes.Bus)]
    [InlineData("n1", "N1", "VBM", "Verkehrsbetriebe Muster (VBM)", "ZVV", "zvv", RouteModes.Other, RouteModes.Tram)]
    [InlineData(null, "10", "VBM", "VBM", "ZVV", null, RouteModes.Bus, RouteModes.Other)]
    public void Metadata_IsNoProblem_WhenValuesAgreeOrAreNotCompared(
        string? atlasRef, string? osmRef, string? atlasOperator, string? osmOperator, string? atlasNetwork, string? osmNetwork,
        string atlasMode, string osmMode)
    {
        var output = RouteMatcher.Match(
            [Atlas("91-10-A-j26-1", [AtlasItinerary("a", "0", Six)], atlasRef, atlasMode, atlasOperator, atlasNetwork)],
            [Osm("route_master:1", "91-10-A-j26-1", [OsmItinerary("5", "0", Six)], osmRef, osmMode, osmOperator, osmNetwork)]);

        Assert.Single(output.FamilyMatches);
        Assert.Empty(output.Problems);
    }

    [Fact]
    public void Metadata_TakesAnOperatorAlias_AsTheSameOperator_AndAnythingElseAsADifference()
    {
        var atlas = Atlas("91-10-A-j26-1", [AtlasItinerary("a", "0", Six)], op: "PostAuto AG") with { OperatorAliases = ["801", "PAG"] };

        var alias = RouteMatcher.Match([atlas], [Osm("route_master:1", "91-10-A-j26-1", [OsmItinerary("5", "0", Six)], op: "pag")]);
        var other = RouteMatcher.Match([atlas], [Osm("route_master:1", "91-10-A-j26-1", [OsmItinerary("5", "0", Six)], op: "BLS")]);

        Assert.Empty(alias.Problems);
        Assert.Equal("operator", Assert.Single(Assert.Single(other.Problems).Evidence!.Differences!).Attribute);
    }

    [Fact]
    public void OperatorAliases_AreTheAgencyIdAndTheAtlasAbbreviationsOfTheCalledPlatforms()
    {
        var family = Atlas("91-10-A-j26-1", [AtlasItinerary("a", "0", "100/1", "101/1", "102")], op: "PostAuto AG");
        var platforms = new[] { ("100/1", "PAG"), ("101/1", "SBB") }
            .Select(p => new StopSync.Jobs.Sources.Atlas.AtlasPlatform(SloidOf(p.Item1), p.Item1[..3], "1", "Dorf", p.Item2, 47, 8))
            .ToList();
        var stops = StopSync.Jobs.Matching.Engine.MatchingEngine.Run(new StopSync.Jobs.Matching.Engine.MatchingInput(platforms, []));

        var aliases = Assert.Single(RouteMatching.WithOperatorAliases([family], stops)).OperatorAliases;

        Assert.Equal(["PAG", "SBB", "agency"], aliases);
    }

    [Fact]
    public void Metadata_LandsOnTheFirstOsmElement_OfTheLongestOsmItinerary_WithDifferencesAsEvidence()
    {
        var output = RouteMatcher.Match(
            [Atlas("91-10-A-j26-1", [AtlasItinerary("a", "0", Six)], lineRef: "10")],
            [Osm("route_master:1", "91-10-A-j26-1", [OsmItinerary("5", "0", Six[..5]), OsmItinerary("6", "1", ["osm:1", .. Six])], lineRef: "11")]);

        var problem = Assert.Single(output.Problems, p => p.Type == ProblemTypes.RouteMetadata);
        Assert.Equal(((string?)null, OsmIdOf("osm:1")), (problem.Sloid, problem.OsmId));
        Assert.Equal(
            """{"differences":[{"attribute":"ref","atlas":"10","osm":"11"}],"line":"91-10-A","atlas_family":"91-10-A-jXX-1","osm_family":"route_master:1"}""",
            problem.Evidence!.ToJson());
    }

    [Fact]
    public void Membership_MissingInOsm_IsP2_OnTheTimetableStopsSloid()
    {
        var problem = Assert.Single(Membership(Six, ["1/1", "2/1", "4/1", "5/1", "6/1"]));

        Assert.Equal((2, SloidOf("3/1"), (string?)null), (problem.Priority, problem.Sloid, problem.OsmId));
        Assert.Equal(
            """{"line":"91-10-A","atlas_family":"91-10-A-jXX-1","osm_family":"route_master:1","kind":"missing_in_osm"}""",
            problem.Evidence!.ToJson());
    }

    [Fact]
    public void Membership_MissingInOsm_WithoutSloid_IsSkipped_AndCountedAsUnplaced()
    {
        var output = MatchPair(["1/1", "2/1", "3", "4/1", "5/1", "6/1"], ["1/1", "2/1", "4/1", "5/1", "6/1"]);

        Assert.Empty(output.Problems);
        Assert.Equal(1, output.Summary.UnplacedProblems);
    }

    [Fact]
    public void Membership_ExtraInOsm_IsP3_OnTheOsmElement()
    {
        var problem = Assert.Single(Membership(Six, ["1/1", "2/1", "3/1", "osm:9", "4/1", "5/1", "6/1"]));

        Assert.Equal((3, (string?)null, OsmIdOf("osm:9"), "extra_in_osm"), (problem.Priority, problem.Sloid, problem.OsmId, problem.Evidence!.Kind));
    }

    [Fact]
    public void Membership_WrongOrder_IsP2_OnTheOsmElement_WithItsSloid_ReportedOnce()
    {
        string[] ten = Platforms(1, 10);
        string[] swapped = [.. ten[..3], ten[4], ten[3], .. ten[5..]];

        var problem = Assert.Single(Membership(ten, swapped));

        // Of the two equally long alignments the one keeping stop 4 aligned is taken: stop 5 is the one out of order.
        Assert.Equal((2, SloidOf("5/1"), OsmIdOf("5/1"), "wrong_order"), (problem.Priority, problem.Sloid, problem.OsmId, problem.Evidence!.Kind));
    }

    [Fact]
    public void Membership_WrongOrder_WhenTheTimetableCallsAStopTwice_AndOsmOnce()
    {
        // A loop back to the first stop: OSM has it only at the start, where it is aligned.
        var problem = Assert.Single(Membership([.. Platforms(1, 5), "1/1"], Platforms(1, 5)));

        Assert.Equal((OsmIdOf("1/1"), "wrong_order"), (problem.OsmId, problem.Evidence!.Kind));
    }

    [Fact]
    public void Membership_OtherPlatform_IsP2_OnTheTimetableSloid_WithTheOsmElement()
    {
        var problem = Assert.Single(Membership(Six, ["1/1", "2/1", "3/2", "4/1", "5/1", "6/1"]));

        Assert.Equal((2, SloidOf("3/1"), OsmIdOf("3/2"), "other_platform"), (problem.Priority, problem.Sloid, problem.OsmId, problem.Evidence!.Kind));
    }

    [Fact]
    public void Membership_StationLevelCall_IsNoOtherPlatform()
    {
        // Only one side has a SLOID: the calls share the station, which is all the timetable or OSM says.
        Assert.Empty(Membership(Six, ["1/1", "2/1", "3", "4/1", "5/1", "6/1"]));
        Assert.Empty(Membership(["1/1", "2/1", "3", "4/1", "5/1", "6/1"], Six));
    }

    [Fact]
    public void Membership_SameStopInSeveralItineraries_IsOneProblem()
    {
        string[] osm = ["1/1", "2/1", "4/1", "5/1", "6/1"];
        var output = RouteMatcher.Match(
            [Atlas("91-10-A-j26-1", [AtlasItinerary("a0", "0", Six), AtlasItinerary("a1", "1", [.. Six.Reverse()])])],
            [Osm("route_master:1", "91-10-A-j26-1", [OsmItinerary("5", "0", osm), OsmItinerary("6", "1", [.. osm.Reverse()])])]);

        Assert.Equal(2, output.ItineraryMatches.Count);
        Assert.Equal(SloidOf("3/1"), Assert.Single(output.Problems).Sloid);
    }

    [Fact]
    public void Membership_IsNotChecked_ForUnmatchedItineraries()
    {
        // Directions differ: no itinerary match, so the missing stop is not reported.
        var output = RouteMatcher.Match(
            [Atlas("91-10-A-j26-1", [AtlasItinerary("a0", "0", Six)])],
            [Osm("route_master:1", "91-10-A-j26-1", [OsmItinerary("5", "1", Six[..5])])]);

        Assert.Empty(output.ItineraryMatches);
        Assert.Empty(output.Problems);
    }

    [Fact]
    public void ProblemIds_AreTheEngineScheme_OverTheLineAndTheOsmFamily()
    {
        var output = Scenario(26);

        var unmatched = Assert.Single(output.Problems, p => p.Type == ProblemTypes.RouteUnmatched && p.Sloid is not null);
        Assert.Equal(ProblemIds.Compute(ProblemTypes.RouteUnmatched, ["line:91-20-jXX-1"], []), unmatched.Id);
        var metadata = Assert.Single(output.Problems, p => p.Type == ProblemTypes.RouteMetadata);
        Assert.Equal(ProblemIds.Compute(ProblemTypes.RouteMetadata, ["line:91-10-A-jXX-1"], ["family:route_master:1"]), metadata.Id);
        var missing = Assert.Single(output.Problems, p => p.Evidence!.Kind == "missing_in_osm");
        Assert.Equal(
            ProblemIds.Compute(ProblemTypes.RouteMembership, ["line:91-10-A-jXX-1", "kind:missing_in_osm", "atlas:" + SloidOf("3/1")], ["family:route_master:1"]),
            missing.Id);
    }

    [Fact]
    public void ProblemIdsAndEvidence_AreStable_AcrossATimetableYearChange()
    {
        var before = Scenario(25);
        var after = Scenario(26);

        Assert.Equal(
            ["route_membership", "route_metadata", "route_unmatched"],
            before.Problems.Select(p => p.Type).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(7, before.Problems.Count);
        Assert.NotEqual(before.ItineraryMatches.Select(m => m.AtlasItineraryId), after.ItineraryMatches.Select(m => m.AtlasItineraryId));
        Assert.Equal(
            before.Problems.Select(p => (p.Id, p.Type, p.Priority, p.Sloid, p.OsmId, p.Evidence!.ToJson())),
            after.Problems.Select(p => (p.Id, p.Type, p.Priority, p.Sloid, p.OsmId, p.Evidence!.ToJson())));
    }

    [Fact]
    public void Problems_AreSorted_ByPriorityTypeAndId_AndIdsAreUnique()
    {
        var problems = Scenario(26).Problems;

        Assert.Equal(
            problems.OrderBy(p => p.Priority).ThenBy(p => p.Type, StringComparer.Ordinal).ThenBy(p => p.Id, StringComparer.Ordinal).Select(p => p.Id),
            problems.Select(p => p.Id));
        Assert.Equal(problems.Count, problems.Select(p => p.Id).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Problems_NameExactlyOneSide_OrTheTimetableStopWithTheOsmElement()
    {
        foreach (var p in Scenario(26).Problems)
        {
            var expected = (p.Type, p.Evidence!.Kind) switch
            {
                (ProblemTypes.RouteUnmatched, _) => p.Evidence.Side == ProblemEvidence.AtlasSide ? "sloid" : "osm",
                (ProblemTypes.RouteMetadata, _) or (_, "extra_in_osm") => "osm",
                (_, "missing_in_osm") => "sloid",
                _ => "both",
            };
            var actual = (p.Sloid, p.OsmId) switch
            {
                (not null, null) => "sloid",
                (null, not null) => "osm",
                (not null, not null) => "both",
                _ => "none",
            };
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void Evidence_WithRouteMembers_RoundTripsThroughJson_AndComparesThem()
    {
        var evidence = new ProblemEvidence(Line: "91-10-A", AtlasFamily: "91-10-A-jXX-1", OsmFamily: "route_master:1", Kind: "wrong_order");

        Assert.Equal(evidence, ProblemEvidence.FromJson(evidence.ToJson()));
        Assert.NotEqual(evidence, evidence with { Kind = "extra_in_osm" });
        Assert.NotEqual(evidence, evidence with { OsmFamily = "route_master:2" });
        Assert.Equal("""{"side":"atlas","isolated":true}""", new ProblemEvidence(Side: "atlas", Isolated: true).ToJson());
    }

    [Fact]
    public void ProblemTypes_ListTheRouteTypesApart_FromTheFiveStopTypes()
    {
        Assert.Equal(["distance", "attributes", "contradicts_route_matching", "unmatched", "duplicates"], ProblemTypes.Stop);
        Assert.Equal(["route_unmatched", "route_metadata", "route_membership"], ProblemTypes.Route);
        Assert.Equal([.. ProblemTypes.Stop, .. ProblemTypes.Route], ProblemTypes.All);
    }

    /// <summary>
    /// One year of a small network: line 10 matched (ref differs in OSM; one missing, one extra, one swapped stop and one
    /// on another platform), line 20 only in the timetable, and an OSM route_master whose gtfs:route_id is stale.
    /// </summary>
    private static StopSync.Jobs.Matching.Routes.RouteMatchingOutput Scenario(int year)
    {
        var line10 = $"91-10-A-j{year}-1";
        var line20 = $"91-20-j{year}-1";
        string[] atlasStops = Platforms(1, 12);
        // 3/1 missing, osm:9 extra, 6/1 and 7/1 swapped, 10/2 instead of 10/1.
        string[] osmStops = ["1/1", "2/1", "4/1", "osm:9", "5/1", "7/1", "6/1", "8/1", "9/1", "10/2", "11/1", "12/1"];
        return RouteMatcher.Match(
            [
                Atlas(line10, [AtlasItinerary($"{line10}|0|abc", "0", atlasStops)], lineRef: "10"),
                Atlas(line20, [AtlasItinerary($"{line20}|0|def", "0", Platforms(50, 6))]),
            ],
            [
                Osm("route_master:1", "91-10-A-j25-1", [OsmItinerary("100", "0", osmStops)], lineRef: "10A"),
                Osm("route_master:2", "91-99-j23-1", [OsmItinerary("200", "0", Platforms(70, 3))]),
            ]);
    }

    private static IReadOnlyList<DetectedProblem> Membership(string[] atlas, string[] osm)
    {
        var output = MatchPair(atlas, osm);
        Assert.Single(output.ItineraryMatches);
        Assert.All(output.Problems, p => Assert.Equal(ProblemTypes.RouteMembership, p.Type));
        return output.Problems;
    }

    private static StopSync.Jobs.Matching.Routes.RouteMatchingOutput MatchPair(string[] atlas, string[] osm) =>
        RouteMatcher.Match(
            [Atlas("91-10-A-j26-1", [AtlasItinerary("a0", "0", atlas)])],
            [Osm("route_master:1", "91-10-A-j26-1", [OsmItinerary("5", "0", osm)])]);
}
