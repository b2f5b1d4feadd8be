using StopSync.Jobs.Matching.Engine;
using static StopSync.Tests.Jobs.Matching.EngineTestData;

namespace StopSync.Tests.Jobs.Matching;

/// <summary>The problem cases C1–C14 of docs/07-matching.md#acceptance-cases.</summary>
public sealed class MatchingProblemAcceptanceTests
{
    [Fact]
    public void C01_Distance_SbbWithin15Metres_IsNoProblem() =>
        Assert.Null(ProblemDetector.DistancePriority(10, "SBB"));

    [Theory]
    [InlineData("SBB")]
    [InlineData(" sbb ")]
    public void C02_Distance_SbbIsExemptFromP1AndP2_ButNotFromP3(string op) =>
        Assert.Equal(3, ProblemDetector.DistancePriority(30, op));

    [Theory]
    [InlineData(50, "BLS", 2)]
    [InlineData(100, "PostAuto", 1)]
    [InlineData(20, "BLS", 3)]
    [InlineData(10, "BLS", null)]
    public void C03_Distance_PriorityGrowsWithDistance(double meters, string op, int? expected) =>
        Assert.Equal(expected, ProblemDetector.DistancePriority(meters, op));

    [Theory]
    [InlineData(80, "BLS", 2)]
    [InlineData(80.01, "BLS", 1)]
    [InlineData(25, "BLS", 3)]
    [InlineData(25.01, "BLS", 2)]
    [InlineData(15, "BLS", null)]
    [InlineData(15.01, "BLS", 3)]
    [InlineData(25, "SBB", 3)]
    public void C04_Distance_ThresholdsAreStrict(double meters, string op, int? expected) =>
        Assert.Equal(expected, ProblemDetector.DistancePriority(meters, op));

    [Fact]
    public void C05_Attributes_UicMismatch_IsP1() =>
        Assert.Equal(1, Attributes(number: "8503000", uicRef: "8503001"));

    [Fact]
    public void C06_Attributes_NameMismatchAgainstUicName_IsP1_CaseIgnored()
    {
        Assert.Equal(1, Attributes(name: "Bern", uicName: "Thun"));
        Assert.Null(Attributes(name: "Bern", uicName: "bern"));
    }

    [Fact]
    public void C07_Attributes_DesignationMismatch_IsP2() =>
        Assert.Equal(2, Attributes(designation: "1A", localRef: "1B"));

    [Fact]
    public void C08_Attributes_OperatorMismatch_IsP3() =>
        Assert.Equal(3, Attributes(atlasOperator: "SBB", osmOperator: "BLS"));

    [Fact]
    public void C09_Attributes_SeveralMismatches_GiveOneProblemWithTheHighestPriority()
    {
        var atlas = A("s1", "8503000", "1A", "", 47, 8, "SBB");
        var osm = O("o1", 47.00001, 8, Uic("8503001"), LocalRef("1B"), ("operator", "BLS"));
        var state = MatchingEngine.Prepare(new MatchingInput([atlas], [osm]));
        state.Commit(0, 0, MatchTypeLabels.NearestSingle, 1.1, "test", new MatchEvidence(MatchTypeLabels.NearestSingle, 1.1));

        var problems = ProblemDetector.Detect(state, []);

        var attributes = Assert.Single(problems, p => p.Type == ProblemTypes.Attributes);
        Assert.Equal(1, attributes.Priority);
    }

    [Fact]
    public void C10_Attributes_AValueMissingOnOneSide_IsNoMismatch()
    {
        Assert.Null(Attributes(number: "8503000", uicRef: ""));
        Assert.Null(Attributes(name: "Bern", uicName: null));
        Assert.Null(Attributes(designation: "", localRef: "2"));
    }

    [Fact]
    public void C11_Unmatched_AtlasWhoseUicNoOsmElementCarries_IsP1()
    {
        var atlas = A("s1", "8500001", "", "", 47, 8);
        var osm = O("o1", 47.00002, 8, Platform, Uic("8500002"), LocalRef("7"));

        var output = Run([atlas], [osm], EngineStages.Exact);

        var problem = Assert.Single(output.Problems, p => p.Type == ProblemTypes.Unmatched && p.Sloid == "s1");
        Assert.Equal(1, problem.Priority);
    }

    [Fact]
    public void C12_Unmatched_AtlasAtAMatchedElementWithEqualCounts_IsP3()
    {
        // a1 takes o1 (same platform code); a2 lies on o1 but has another code; o2 (code 3) is 200 m away.
        // Per UIC: ATLAS 1 record + 1 unmatched = 2; OSM platforms 1 record + 1 unmatched = 2.
        var atlas = new[] { A("a1", "8500001", "1", "", 47, 8), A("a2", "8500001", "2", "", 47.00001, 8) };
        var osm = new[] { O("o1", 47.00001, 8, Platform, Uic("8500001"), LocalRef("1")), O("o2", 47.0018, 8, Platform, Uic("8500001"), LocalRef("3")) };

        var output = Run(atlas, osm);

        Assert.Equal([("a1", "o1", MatchTypeLabels.Exact)], output.Pairs());
        var problem = Assert.Single(output.Problems, p => p.Type == ProblemTypes.Unmatched && p.Sloid == "a2");
        Assert.Equal(3, problem.Priority);
    }

    [Fact]
    public void C13_Duplicates_AnAtlasDuplicateGroupNotPropagated_IsP2()
    {
        var atlas = new[] { A("a1", "8500001", "1", "", 47, 8), A("a2", "8500001", "1", "", 47.00001, 8) };

        var output = Run(atlas, []);

        var duplicates = output.Problems.Where(p => p.Type == ProblemTypes.Duplicates).ToList();
        Assert.Equal(["a1", "a2"], duplicates.Select(p => p.Sloid).Order(StringComparer.Ordinal));
        Assert.All(duplicates, p => Assert.True(p.Priority == 2 && p.HasSourceDuplicate && !p.HasOsmDuplicate));
        var group = Assert.Single(output.AtlasDuplicateGroups);
        Assert.Equal("a1", group.Representative.Sloid);
    }

    [Fact]
    public void C14_Duplicates_AnOsmDuplicateIsP3_AndWinsOverTheAtlasDuplicate()
    {
        // a1/a2 are an ATLAS duplicate group, o1/o2 an OSM one (same uic_ref and local_ref, platforms, ungrouped).
        // The exact stage links a1 to both elements and propagates a2 to o1; a1 stays "unhandled" on the ATLAS side.
        var atlas = new[] { A("a1", "8500001", "1", "", 47, 8), A("a2", "8500001", "1", "", 47.00001, 8) };
        var osm = new[] { O("o1", 47.00002, 8, Platform, Uic("8500001"), LocalRef("1")), O("o2", 47.00003, 8, Platform, Uic("8500001"), LocalRef("1")) };

        var output = Run(atlas, osm, EngineStages.Exact);

        Assert.Equal(
            [("a1", "o1", MatchTypeLabels.Exact), ("a2", "o1", MatchTypeLabels.DuplicatePropagation), ("a1", "o2", MatchTypeLabels.Exact)],
            output.Pairs());
        var duplicates = output.Problems.Where(p => p.Type == ProblemTypes.Duplicates).ToList();
        Assert.Equal(3, duplicates.Count);
        Assert.All(duplicates, p => Assert.True(p.Priority == 3 && p.HasOsmDuplicate && !p.HasSourceDuplicate));
    }

    [Fact]
    public void ProblemIds_AreTheFirst24HexOfTheSha256OfTheAsciiJson()
    {
        // Reference values from Python: sha256(json.dumps([type, keys, ids], separators=(',', ':')).encode()).hexdigest()[:24]
        Assert.Equal("21ec640b6b48f331b1b7e850", ProblemIds.Compute("distance", "atlas:ch:1:sloid:7000:1", "123"));
        Assert.Equal("5b6ff59e112b6dfa3cec6286", ProblemIds.Compute("unmatched", null, "way_5"));
        Assert.Equal("ce0315f8051d474222879f26", ProblemIds.Compute("attributes", "atlas:ch:1:sloid:1:Zürich \"HB\"", "1"));
    }

    [Fact]
    public void Problems_AreSortedByPriorityTypeAndId()
    {
        var atlas = new[] { A("a1", "8500001", "", "", 47, 8, "BLS"), A("a2", "8500009", "", "", 46, 7) };
        var osm = new[] { O("o1", 47.001, 8, Platform, Uic("8500001")), O("o2", 45.9, 7, Platform, Uic("8500008")) };

        var problems = Run(atlas, osm).Problems;

        Assert.Equal(problems.OrderBy(p => p.Priority).ThenBy(p => p.Type, StringComparer.Ordinal).ThenBy(p => p.Id, StringComparer.Ordinal), problems);
        Assert.Contains(problems, p => p.Type == ProblemTypes.Distance && p.Priority == 1);
    }

    private static int? Attributes(
        string number = "", string name = "", string designation = "", string atlasOperator = "",
        string uicRef = "", string? uicName = null, string localRef = "", string? osmOperator = null) =>
        ProblemDetector.AttributesPriority(number, name, designation, atlasOperator, uicRef, uicName, localRef, osmOperator);
}
