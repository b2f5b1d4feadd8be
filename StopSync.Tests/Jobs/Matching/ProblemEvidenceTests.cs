using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Sources.Atlas;
using static StopSync.Tests.Jobs.Matching.EngineTestData;

namespace StopSync.Tests.Jobs.Matching;

/// <summary>docs/07-matching.md#evidence: what each problem rests on, the key of "nothing relevant changed".</summary>
public sealed class ProblemEvidenceTests
{
    [Theory]
    [InlineData(0, "0-15")]
    [InlineData(15, "0-15")]
    [InlineData(15.01, "15-25")]
    [InlineData(25, "15-25")]
    [InlineData(25.01, "25-50")]
    [InlineData(50, "25-50")]
    [InlineData(50.01, "50-80")]
    [InlineData(80, "50-80")]
    [InlineData(80.01, "80-150")]
    [InlineData(150, "80-150")]
    [InlineData(150.01, "150-300")]
    [InlineData(300, "150-300")]
    [InlineData(300.01, "300-1000")]
    [InlineData(1000, "300-1000")]
    [InlineData(1000.01, "1000+")]
    [InlineData(25_000, "1000+")]
    public void Evidence_DistanceBucket_ExcludesTheLowerAndIncludesTheUpperBound(double meters, string bucket) =>
        Assert.Equal(bucket, ProblemEvidence.Bucket(meters));

    [Fact]
    public void Evidence_DistanceBuckets_AreTheDocumentedEight() =>
        Assert.Equal(["0-15", "15-25", "25-50", "50-80", "80-150", "150-300", "300-1000", "1000+"], ProblemEvidence.DistanceBuckets);

    [Fact]
    public void Evidence_DistanceBucket_Is25To50_At37Metres()
    {
        var problems = DetectForMatch(A("s1", "", "", "", 47, 8, "BLS"), O("o1", 47, 8), distance: 37);

        var problem = Assert.Single(problems, p => p.Type == ProblemTypes.Distance);
        Assert.Equal("""{"distance_bucket":"25-50"}""", problem.Evidence!.ToJson());
    }

    [Fact]
    public void Evidence_Attributes_ListsOnlyDifferingValuesInOrder()
    {
        // uic_name agrees ignoring case; the other three differ. Values are trimmed as the rule compares them.
        var atlas = A("s1", " 8503001", "1A ", "Bern", 47, 8, "SBB");
        var osm = O("o1", 47, 8, Uic("8503000"), UicName("BERN"), LocalRef(" 1B"), ("operator", "BLS"));

        var problem = Assert.Single(DetectForMatch(atlas, osm, distance: 1), p => p.Type == ProblemTypes.Attributes);

        Assert.Equal(1, problem.Priority);
        Assert.Equal(
            """{"differences":[{"attribute":"uic_ref","atlas":"8503001","osm":"8503000"},{"attribute":"local_ref","atlas":"1A","osm":"1B"},{"attribute":"operator","atlas":"SBB","osm":"BLS"}]}""",
            problem.Evidence!.ToJson());
    }

    [Fact]
    public void Evidence_Attributes_NameThenOperator_WhenOnlyThoseDiffer()
    {
        var atlas = A("s1", "8503001", "", "Bern Wankdorf", 47, 8, "BERNMOBIL");
        var osm = O("o1", 47, 8, Uic("8503001"), UicName("Bern, Wankdorf"), ("operator", "SBB"));

        var differences = Assert.Single(DetectForMatch(atlas, osm, distance: 1), p => p.Type == ProblemTypes.Attributes).Evidence!.Differences!;

        Assert.Equal(
            [new AttributeDifference("uic_name", "Bern Wankdorf", "Bern, Wankdorf"), new AttributeDifference("operator", "BERNMOBIL", "SBB")],
            differences);
    }

    [Fact]
    public void Evidence_Attributes_AValueMissingOnOneSide_IsNotListed() =>
        Assert.Null(ProblemDetector.AttributeDifferences("8503000", "Bern", "", "SBB", "", null, "2", "  "));

    [Fact]
    public void Evidence_Attributes_PriorityIsThatOfTheFirstDifference()
    {
        Assert.Equal(2, ProblemDetector.AttributesPriority(ProblemDetector.AttributeDifferences("", "", "1", "SBB", "", null, "2", "BLS")));
        Assert.Equal(3, ProblemDetector.AttributesPriority(ProblemDetector.AttributeDifferences("", "", "", "SBB", "", null, "", "BLS")));
    }

    [Fact]
    public void Evidence_Unmatched_NamesTheSideAndWhetherItIsIsolated()
    {
        // a1 has nothing within 50 m (o1 is ~67 m away); o1 has no ATLAS platform within 50 m either; a2 is ~30 m from o2.
        var atlas = new[] { A("a1", "8500001", "", "", 47, 8), A("a2", "8500002", "9", "", 46, 7) };
        var osm = new[] { O("o1", 47.0006, 8, Platform, Uic("8500007"), LocalRef("1")), O("o2", 46.00027, 7, Platform, Uic("8500003"), LocalRef("1")) };

        var output = Run(atlas, osm, EngineStages.Exact);

        Assert.Equal("""{"side":"atlas","isolated":true}""", Unmatched(output, "a1", null).Evidence!.ToJson());
        Assert.Equal("""{"side":"atlas","isolated":false}""", Unmatched(output, "a2", null).Evidence!.ToJson());
        Assert.Equal("""{"side":"osm","isolated":true}""", Unmatched(output, null, "o1").Evidence!.ToJson());
        Assert.Equal("""{"side":"osm","isolated":false}""", Unmatched(output, null, "o2").Evidence!.ToJson());
    }

    [Fact]
    public void Evidence_Unmatched_IsolatedAgreesWithTheUnmatchedLists()
    {
        var atlas = Enumerable.Range(0, 40).Select(i => A($"a{i}", $"85{i % 7:00000}", "", "", 47 + i * 0.0002, 8)).ToArray();
        var osm = Enumerable.Range(0, 40).Select(i => O($"o{i}", 47 + i * 0.00031, 8.0003, Platform, Uic($"85{i % 5:00000}"))).ToArray();

        var output = Run(atlas, osm, EngineStages.Exact);

        foreach (var u in output.UnmatchedAtlas)
        {
            Assert.Equal(u.Isolated, Unmatched(output, u.Sloid, null).Evidence!.Isolated);
        }

        foreach (var u in output.UnmatchedOsm.Where(u => !u.EffectivelyMatched))
        {
            Assert.Equal(u.Isolated, Unmatched(output, null, u.OsmId).Evidence!.Isolated);
        }
    }

    [Fact]
    public void Evidence_Duplicates_AtlasSide_ListsTheSortedGroup()
    {
        var atlas = new[] { A("a2", "8500001", "1", "", 47.00001, 8), A("a1", "8500001", "1", "", 47, 8) };

        var duplicates = Run(atlas, []).Problems.Where(p => p.Type == ProblemTypes.Duplicates).ToList();

        Assert.Equal(2, duplicates.Count);
        Assert.All(duplicates, p => Assert.Equal("""{"side":"atlas","members":["a1","a2"]}""", p.Evidence!.ToJson()));
    }

    [Fact]
    public void Evidence_Duplicates_OsmSide_ListsTheSortedGroup()
    {
        var atlas = new[] { A("a1", "8500001", "1", "", 47, 8), A("a2", "8500001", "1", "", 47.00001, 8) };
        var osm = new[] { O("o2", 47.00002, 8, Platform, Uic("8500001"), LocalRef("1")), O("o1", 47.00003, 8, Platform, Uic("8500001"), LocalRef("1")) };

        var duplicates = Run(atlas, osm, EngineStages.Exact).Problems.Where(p => p.Type == ProblemTypes.Duplicates).ToList();

        Assert.Equal(3, duplicates.Count);
        Assert.All(duplicates, p => Assert.Equal("""{"side":"osm","members":["o1","o2"]}""", p.Evidence!.ToJson()));
    }

    [Fact]
    public void Evidence_RouteContradiction_NamesTheAlignment()
    {
        // As B07: s_bad is matched by the exact stage though its timetable route is another one than osm_1's relation.
        var bad = A("s_bad", "8591001", "", "", 46.5221688, 6.5661288);
        var good = A("s_good", "", "", "", 46.5222554, 6.5656973);
        var osm1 = O("osm_1", 46.5222435, 6.5661495, StopPosition, Uic("8591001"));
        var evidence = new Dictionary<string, IReadOnlyList<AtlasRouteEvidence>>
        {
            ["s_bad"] = [Evidence("91-m1-j26-1", "0")],
            ["s_good"] = [Evidence("91-m1-j26-1", "1")],
        };

        var output = Run([bad, good], [osm1], EngineStages.Exact, [Relation("79742", "91-m1-j24-1", "1", "osm_1")], evidence);

        var problem = Assert.Single(output.Problems, p => p.Type == ProblemTypes.ContradictsRouteMatching);
        Assert.Equal("""{"alignment":"token_contradiction"}""", problem.Evidence!.ToJson());
    }

    [Fact]
    public void Evidence_IsEqual_ForTheSameInputsTwice_AndEveryProblemHasOne()
    {
        var atlas = new[] { A("a1", "8500001", "1", "", 47, 8, "BLS"), A("a2", "8500001", "1", "", 47.00001, 8), A("a3", "8500009", "", "", 46, 7) };
        var osm = new[] { O("o1", 47.0004, 8, Platform, Uic("8500001"), LocalRef("2")), O("o2", 45.9, 7, Platform, Uic("8500008")) };

        var first = Run(atlas, osm).Problems;
        var second = Run(atlas, osm).Problems;

        Assert.NotEmpty(first);
        Assert.All(first, p => Assert.NotNull(p.Evidence));
        Assert.Equal(first.Select(p => (p.Id, p.Evidence!.ToJson())), second.Select(p => (p.Id, p.Evidence!.ToJson())));
        Assert.Equal(first, second);
    }

    [Fact]
    public void Evidence_Json_RoundTrips()
    {
        var evidence = new ProblemEvidence(Differences: [new AttributeDifference("uic_name", "Zürich HB", "Zürich \"HB\"")]);

        var back = ProblemEvidence.FromJson(evidence.ToJson());

        Assert.Equal(evidence, back);
        Assert.NotEqual(evidence, new ProblemEvidence(Differences: [new AttributeDifference("uic_name", "Zürich HB", "Zürich")]));
    }

    private static List<DetectedProblem> DetectForMatch(AtlasPlatform atlas, StopSync.Jobs.Sources.Osm.OsmElement osm, double distance)
    {
        var state = MatchingEngine.Prepare(new MatchingInput([atlas], [osm]));
        state.Commit(0, 0, MatchTypeLabels.NearestSingle, distance, "test", new MatchEvidence(MatchTypeLabels.NearestSingle, distance));
        return ProblemDetector.Detect(state, []);
    }

    private static DetectedProblem Unmatched(MatchingOutput output, string? sloid, string? osmId) =>
        Assert.Single(output.Problems, p => p.Type == ProblemTypes.Unmatched && p.Sloid == sloid && p.OsmId == osmId);
}
