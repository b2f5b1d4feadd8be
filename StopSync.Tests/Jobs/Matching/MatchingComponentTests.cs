using StopSync.Jobs.Matching;
using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Sources.Osm;
using static StopSync.Tests.Jobs.Matching.EngineTestData;

namespace StopSync.Tests.Jobs.Matching;

/// <summary>The engine's building blocks against brute force: spatial index, assignment solver, reciprocal pairing.</summary>
public sealed class MatchingComponentTests
{
    [Theory]
    [InlineData(1, 12)]
    [InlineData(2, 50)]
    [InlineData(3, 150)]
    [InlineData(4, 5_000)]
    [InlineData(5, 400_000)]
    public void GeoGrid_Within_FindsExactlyThePointsABruteForceScanFinds(int seed, double radius)
    {
        var random = new Random(seed);
        var lat = Enumerable.Range(0, 3_000).Select(_ => 46.5 + (random.NextDouble() * 0.05)).ToArray();
        var lon = Enumerable.Range(0, 3_000).Select(_ => 7.5 + (random.NextDouble() * 0.05)).ToArray();
        var grid = new GeoGrid(lat, lon, i => i % 7 != 0);
        var found = new List<Neighbor>();

        for (var q = 0; q < 200; q++)
        {
            var (qLat, qLon) = (46.5 + (random.NextDouble() * 0.05), 7.5 + (random.NextDouble() * 0.05));
            grid.Within(qLat, qLon, radius, found);

            var expected = Enumerable.Range(0, lat.Length)
                .Where(i => i % 7 != 0 && Haversine.DistanceMeters(lat[i], lon[i], qLat, qLon) <= radius)
                .ToList();
            Assert.Equal(expected, found.Select(n => n.Index));
            Assert.All(found, n => Assert.Equal(Haversine.DistanceMeters(lat[n.Index], lon[n.Index], qLat, qLon), n.Distance, tolerance: 1e-9));
            Assert.Equal(expected.Count == 0 ? null : expected.Min(i => Haversine.DistanceMeters(lat[i], lon[i], qLat, qLon)), grid.Nearest(qLat, qLon, radius));
        }
    }

    [Fact]
    public void GeoGrid_IncludesAPointExactlyOnTheRadius_AndAnyCloserThanIsStrict()
    {
        double[] lat = [47, 47.001];
        double[] lon = [8, 8];
        var grid = new GeoGrid(lat, lon);
        var d = Haversine.DistanceMeters(47, 8, 47.001, 8);
        var found = new List<Neighbor>();

        grid.Within(47, 8, d, found);

        Assert.Equal([0, 1], found.Select(n => n.Index));
        Assert.False(grid.AnyCloserThan(47, 8, d, exclude: 0));
        Assert.True(grid.AnyCloserThan(47, 8, d + 0.001, exclude: 0));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void MaxCardinalityMinDistance_AgreesWithEnumeratingEveryMatching(int seed)
    {
        var random = new Random(seed);
        for (var round = 0; round < 300; round++)
        {
            var (rows, columns, cap) = (1 + random.Next(5), 1 + random.Next(5), 50.0);
            var edges = new List<AssignmentEdge>();
            for (var a = 0; a < rows; a++)
            {
                for (var b = 0; b < columns; b++)
                {
                    if (random.NextDouble() < 0.6)
                    {
                        edges.Add(new AssignmentEdge(a, b, Math.Round(random.NextDouble() * 70, 1)));
                    }
                }
            }

            var result = MinCostAssignment.MaxCardinalityMinDistance(rows, columns, edges, cap);

            var (bestCount, bestCost) = BruteForce(rows, columns, edges.Where(e => e.Distance <= cap).ToList());
            Assert.Equal(bestCount, result.Count);
            Assert.Equal(bestCost, result.Sum(r => r.Distance), 6);
            Assert.Equal(result.Count, result.Select(r => r.A).Distinct().Count());
            Assert.Equal(result.Count, result.Select(r => r.B).Distinct().Count());
            Assert.All(result, r => Assert.Contains(r, edges));
        }
    }

    [Fact]
    public void Hungarian_FindsTheCheapestPermutation()
    {
        var random = new Random(5);
        for (var round = 0; round < 100; round++)
        {
            var n = 1 + random.Next(5);
            var cost = new double[n, n + random.Next(3)];
            for (var r = 0; r < cost.GetLength(0); r++)
            {
                for (var c = 0; c < cost.GetLength(1); c++)
                {
                    cost[r, c] = random.Next(100);
                }
            }

            var assignment = MinCostAssignment.Hungarian(cost);

            Assert.Equal(n, assignment.Distinct().Count());
            Assert.Equal(CheapestInjection(cost), Enumerable.Range(0, n).Sum(r => cost[r, assignment[r]]));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReciprocalPairing_ThroughTheIndex_EqualsBruteForce(bool duplicateEntries)
    {
        var random = new Random(duplicateEntries ? 21 : 22);
        var elements = new List<OsmElement>();
        for (var k = 0; k < 400; k++)
        {
            var (lat, lon) = (46.9 + (random.NextDouble() * 0.004), 7.4 + (random.NextDouble() * 0.006));
            var uic = random.NextDouble() < 0.5 ? Uic($"85{random.Next(3)}") : ("x", "y");
            elements.Add(O($"{k}", lat, lon, k % 2 == 0 ? Platform : StopPosition, uic));
        }

        var state = MatchingEngine.Prepare(new MatchingInput([], elements));
        var left = Enumerable.Range(0, 400).Where(j => j % 2 == 0).SelectMany(j => duplicateEntries && j % 3 == 0 ? new[] { j, j } : [j]).ToList();
        var right = Enumerable.Range(0, 400).Where(j => j % 2 == 1).ToList();
        var indexed = new ReciprocalPairing(state);
        var bruteForce = new ReciprocalPairing(state) { ForceBruteForce = true };

        foreach (var (maxDistance, ratio, guard) in new[] { (12.0, 1.5, false), (12.0, 2.0, true), (15.0, 0.0, false), (30.0, 1.5, true) })
        {
            var expected = bruteForce.Pairs(left, right, maxDistance, ratio, guard);
            Assert.Equal(expected, indexed.Pairs(left, right, maxDistance, ratio, guard));
            Assert.NotEmpty(expected);
        }
    }

    [Fact]
    public void Name_WithAliasMultiplicity_AnElementNamedTwiceIsTwoCandidates()
    {
        var atlas = A("s1", "", "", "Dorf", 47, 8);
        var osm = O("o1", 47.001, 8, Platform, Name("Dorf"), UicName("Dorf"));

        var deduplicated = Run([atlas], [osm], EngineStages.Name);
        var multiplied = Run([atlas], [osm], EngineStages.Name, options: new MatchingOptions { NameAliasMultiplicity = true });

        Assert.Equal([("s1", "o1", MatchTypeLabels.Name)], deduplicated.Pairs());
        Assert.Empty(multiplied.Matches);
    }

    [Fact]
    public void ExactPostpass_TakesTheOnlyFreeElementOfAUic_WhenEnabled()
    {
        // 400 m apart: no distance stage reaches it, and with two ATLAS rows the exact stage needs platform codes.
        var atlas = new[] { A("a1", "8500001", "1", "", 47, 8), A("a2", "8500001", "2", "", 47.1, 8) };
        var osm = new[] { O("o1", 47.1, 8.0001, Platform, Uic("8500001"), LocalRef("2")), O("o2", 47.0036, 8, Platform, Uic("8500001")) };

        var without = Run(atlas, osm);
        var with = Run(atlas, osm, options: new MatchingOptions { ExactPostpass = true });

        Assert.Equal([("a2", "o1", MatchTypeLabels.Exact)], without.Pairs());
        Assert.Equal([("a2", "o1", MatchTypeLabels.Exact), ("a1", "o2", MatchTypeLabels.ExactPostpass)], with.Pairs());
    }

    [Fact]
    public void Exact_OneCandidateTakesEveryPlatform_AndOnePlatformTakesEveryCandidate()
    {
        var atlas = new[] { A("a1", "8500001", "1", "", 47, 8), A("a2", "8500001", "2", "", 47.0001, 8), A("b1", "8500002", "", "", 46, 7) };
        var osm = new[]
        {
            O("o1", 47.00005, 8, Platform, Uic("8500001")), O("p1", 46.0001, 7, Platform, Uic("8500002")),
            O("p2", 46.0002, 7, Platform, Uic("8500002")), O("st", 46, 7, ("railway", "station"), Uic("8500002")),
        };

        var output = Run(atlas, osm, EngineStages.Exact);

        Assert.Equal(
            [("a1", "o1", "exact"), ("a2", "o1", "exact"), ("b1", "p1", "exact"), ("b1", "p2", "exact")],
            output.Pairs());
        Assert.Equal("Single OSM element for station reference", output.Matches[0].Notes);
        Assert.Equal("Single source stop matched to multiple OSM elements", output.Matches[2].Notes);
        Assert.Equal("8500001", output.Matches[0].Evidence.Reference);
    }

    [Fact]
    public void Commit_PropagatesToAtlasDuplicatesAndToThePairPartner()
    {
        var atlas = new[] { A("a1", "8500001", "1", "", 47, 8), A("a0", "8500001", "1", "", 47.00001, 8) };
        var osm = new[] { O("p", 47.00002, 8, Platform, Uic("8500001")), O("s", 47.00004, 8, StopPosition, Uic("8500001")) };

        var output = Run(atlas, osm, EngineStages.Exact);

        // a0 sorts first, so it represents the duplicate group; p represents the pair.
        Assert.Equal(
            [("a0", "p", MatchTypeLabels.Exact), ("a1", "p", MatchTypeLabels.DuplicatePropagation), ("a0", "s", MatchTypeLabels.OsmGroupPropagation)],
            output.Pairs());
        Assert.Equal("Propagated from representative: atlas:a0", output.Matches[1].Notes);
        Assert.Equal("OSM group partner of: p", output.Matches[2].Notes);
        Assert.DoesNotContain(output.Problems, p => p.Type == ProblemTypes.Duplicates && p.Sloid == "a1");
    }

    [Fact]
    public void Route_ADirectionNameDecidesWhenNoTokenIsShared()
    {
        var s1 = A("s1", "", "", "", 47, 8);
        var first = O("first", 47.0001, 8, StopPosition, Name("Alpha"));
        var last = O("last", 47.01, 8, StopPosition, Name("Omega"));
        var evidence = new Dictionary<string, IReadOnlyList<AtlasRouteEvidence>> { ["s1"] = [Evidence("other-j25", "0", "Alpha → Omega")] };

        var output = Run([s1], [first, last], EngineStages.Route, [Relation("r1", "line-j26", "1", "first", "last")], evidence);

        Assert.Equal([("s1", "first", MatchTypeLabels.RouteDirection)], output.Pairs());
        Assert.Equal(["Alpha → Omega"], output.Matches[0].Evidence.SharedDirectionNames!);
    }

    [Fact]
    public void Route_WithoutEvidence_TheRunSaysSo()
    {
        var output = Run([A("s1", "", "", "", 47, 8)], [O("o1", 47, 8, Platform)]);

        Assert.Contains(output.Diagnostics, d => d.StartsWith("route_evidence_unavailable", StringComparison.Ordinal));
    }

    [Fact]
    public void Unmatched_IsolationLooksAtEveryElement_StationsIncluded()
    {
        var atlas = new[] { A("near_station", "", "1", "", 47, 8), A("alone", "", "1", "", 46, 7) };
        var osm = new[] { O("st", 47.0002, 8, ("railway", "station"), ("public_transport", "station"), LocalRef("9")) };

        var output = Run(atlas, osm);

        Assert.Equal([("near_station", false), ("alone", true)], output.UnmatchedAtlas.Select(u => (u.Sloid, u.Isolated)));
        Assert.Equal([("st", false)], output.UnmatchedOsm.Select(u => (u.OsmId, u.Isolated)));
    }

    [Fact]
    public void Summary_CountsRatesAndDistanceStatistics()
    {
        var statistics = SummaryBuilder.Statistics([1, 2, 3, 4, 10]);

        Assert.Equal((5, 4.0, 3.0), (statistics.Count, statistics.Mean, statistics.Median));
        Assert.Equal(8.8, statistics.P95, 9);
    }

    private static (int Count, double Cost) BruteForce(int rows, int columns, List<AssignmentEdge> edges)
    {
        var best = (Count: 0, Cost: 0.0);
        var usedColumns = new bool[columns];
        Recurse(0, 0, 0);
        return best;

        void Recurse(int row, int count, double cost)
        {
            if (row == rows)
            {
                if (count > best.Count || (count == best.Count && cost < best.Cost - 1e-9))
                {
                    best = (count, cost);
                }

                return;
            }

            Recurse(row + 1, count, cost);
            foreach (var e in edges.Where(e => e.A == row && !usedColumns[e.B]))
            {
                usedColumns[e.B] = true;
                Recurse(row + 1, count + 1, cost + e.Distance);
                usedColumns[e.B] = false;
            }
        }
    }

    private static double CheapestInjection(double[,] cost)
    {
        var (n, m) = (cost.GetLength(0), cost.GetLength(1));
        var used = new bool[m];
        return Best(0);

        double Best(int row)
        {
            if (row == n)
            {
                return 0;
            }

            var best = double.PositiveInfinity;
            for (var c = 0; c < m; c++)
            {
                if (!used[c])
                {
                    used[c] = true;
                    best = Math.Min(best, cost[row, c] + Best(row + 1));
                    used[c] = false;
                }
            }

            return best;
        }
    }
}
