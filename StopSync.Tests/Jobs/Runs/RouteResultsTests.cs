using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Matching.Routes;
using StopSync.Jobs.Publication;
using StopSync.Jobs.Runs;
using StopSync.Tests.Jobs.Matching;

namespace StopSync.Tests.Jobs.Runs;

/// <summary>How a run joins the route matching's problems and figures to the stop matching's.</summary>
public sealed class RouteResultsTests
{
    [Fact]
    public void MergeProblems_OrdersStopAndRouteProblemsByPriorityTypeAndId()
    {
        DetectedProblem P(string id, string type, int priority) => new(id, type, priority, "ch:1:sloid:1:0:1", null);
        var stops = new[] { P("b1", "distance", 1), P("a2", "attributes", 2), P("c3", "unmatched", 3) };
        var routes = new[] { P("a9", "route_unmatched", 1), P("a1", "route_membership", 2), P("z2", "route_metadata", 3), P("a0", "route_metadata", 3) };

        var merged = RouteResults.MergeProblems(stops, routes);

        Assert.Equal(
            [("distance", "b1"), ("route_unmatched", "a9"), ("attributes", "a2"), ("route_membership", "a1"), ("route_metadata", "a0"), ("route_metadata", "z2"), ("unmatched", "c3")],
            merged.Select(p => (p.Type, p.Id)));
    }

    [Fact]
    public void MergeProblems_Throws_WhenARouteProblemHasTheIdOfAStopProblem()
    {
        var stop = new DetectedProblem("0123456789abcdef01234567", "distance", 1, "ch:1:sloid:1:0:1", "42");
        var route = new DetectedProblem("0123456789abcdef01234567", "route_membership", 2, null, "43");

        var error = Assert.Throws<InvalidOperationException>(() => RouteResults.MergeProblems([stop], [route]));

        Assert.Contains("problem id 0123456789abcdef01234567 (route_membership, sloid -, OSM 43)", error.Message, StringComparison.Ordinal);
        Assert.Contains("which distance (sloid ch:1:sloid:1:0:1, OSM 42) already has", error.Message, StringComparison.Ordinal);
        Assert.Contains("problem ids must be unique", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MergeProblems_Throws_WhenRouteMatchingReportsOneIdTwice()
    {
        var route = new DetectedProblem("ffff", "route_unmatched", 3, "ch:1:sloid:1:0:1", null);

        Assert.Throws<InvalidOperationException>(() => RouteResults.MergeProblems([], [route, route with { Priority = 2 }]));
    }

    [Fact]
    public void Counts_AreTheSixFiguresOfTheRouteMatchingPhase()
    {
        var routes = RouteSamples.Routes(PublicationInput.From(MatchingEngine.Run(SyntheticStopNetwork.Generate(seed: 3, stations: 30))));

        var counts = RouteResults.Counts(routes);

        Assert.Equal(new Dictionary<string, long>
        {
            ["atlas_families"] = 2, ["osm_families"] = 2, ["itineraries"] = 7, ["family_matches"] = 1, ["itinerary_matches"] = 2, ["route_problems"] = 2,
        }, counts);
    }

    [Fact]
    public void Publication_CarriesTheRoutesAndTheGtfsStops_WithTheMergedProblems()
    {
        var stops = MatchingEngine.Run(SyntheticStopNetwork.Generate(seed: 3, stations: 30));
        var routes = RouteSamples.Routes(PublicationInput.From(stops));
        var gtfs = RouteSamples.Gtfs(PublicationInput.From(stops));
        var merged = RouteResults.MergeProblems(stops.Problems, routes.Problems);

        var input = RouteResults.Publication(stops, merged, routes, gtfs);

        Assert.Same(routes, input.Routes);
        Assert.Same(merged, input.Problems);
        Assert.Same(gtfs, input.GtfsIdentity);
        Assert.Equal(stops.Problems.Count + 2, input.Problems.Count);
        Assert.Equal(stops.Matches, input.Matches);
    }
}
