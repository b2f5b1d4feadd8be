using System.Text.Json;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Jobs.Matching;

/// <summary>The <c>match</c> command as an operator runs it, on the upstream project's real sample.</summary>
public sealed class MatchCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("stopsync-match-").FullName;

    private static string SampleAtlas => TestEnvironment.SharedData("upstream-sample", "sample_atlas.csv");

    private static string SampleOsm => TestEnvironment.SharedData("upstream-sample", "sample_osm.xml");

    [Fact]
    public async Task Match_OnTheRealSample_WritesTheFiveFilesWithTheirHeaders()
    {
        var (exitCode, output) = await RunAsync("match", "--atlas", SampleAtlas, "--osm", SampleOsm, "--out", _dir);

        Assert.True(exitCode == 0, output);
        Assert.Equal("sloid,osm_id,match_type,distance_m", FirstLine("matches.csv"));
        Assert.Equal("side,id,isolated", FirstLine("unmatched.csv"));
        Assert.Equal("problem_type,priority,sloid,osm_id", FirstLine("problems.csv"));
        Assert.Equal("unit_id,kind,group_kind,osm_id,role", FirstLine("stop_units.csv"));
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "summary.json")));
        foreach (var key in new[]
        {
            "atlas_platforms", "osm_elements", "stop_units", "matched_pairs", "matched_atlas", "match_rate", "unmatched_atlas",
            "unmatched_osm", "by_match_type", "problems",
        })
        {
            Assert.True(summary.RootElement.TryGetProperty(key, out _), key);
        }

        Assert.Equal(40, summary.RootElement.GetProperty("atlas_platforms").GetInt32());
        Assert.Equal(125, summary.RootElement.GetProperty("osm_elements").GetInt32());
        Assert.InRange(summary.RootElement.GetProperty("match_rate").GetDouble(), 0.5, 1.0);
        Assert.All(summary.RootElement.GetProperty("problems").EnumerateObject(),
            p => Assert.Equal(["P1", "P2", "P3"], p.Value.EnumerateObject().Select(c => c.Name)));
        Assert.All(Rows("matches.csv"), r => Assert.Matches(@"^\d+\.\d\d$", r[3]));
    }

    [Fact]
    public async Task Match_OnTheRealSample_FindsThePairsTheRulesDemand()
    {
        var (exitCode, output) = await RunAsync("match", "--atlas", SampleAtlas, "--osm", SampleOsm, "--out", _dir);
        Assert.True(exitCode == 0, output);
        var matches = Rows("matches.csv").Select(r => (Sloid: r[0], OsmId: r[1], Type: r[2])).ToList();
        var units = Rows("stop_units.csv");

        // Beatenbucht: node 268129352 is the only OSM element with uic_ref 8507190, so the exact stage gives the one
        // ATLAS platform of that number to it ("single OSM element for station reference").
        Assert.Contains(("ch:1:sloid:7190:0:304862", "268129352", "exact"), matches);

        // Zufikon: two elements carry 8502274, but 3339882668 is public_transport=station, which is never a
        // candidate; the stop position 310844900 is the only one left.
        Assert.Contains(("ch:1:sloid:2274:0:203356", "310844900", "exact"), matches);
        Assert.DoesNotContain(matches, m => m.OsmId == "3339882668");

        // Nunningen, Engimühle: one ATLAS platform, three elements with its UIC. They form no pair: the stop position's
        // two platforms lie 3.6 m and 4.4 m away, a ratio of 1.2, below both pairing ratios (1.5 and 2). So the single
        // platform is matched to all three (1→N).
        Assert.Equal(
            ["7180141772", "7180141773", "983967473"],
            matches.Where(m => m.Sloid == "ch:1:sloid:72126:0:564682" && m.Type == "exact").Select(m => m.OsmId).Order(StringComparer.Ordinal));

        // Bramboden, Seebli/Luogmoos: one ATLAS row within 30 m, one platform and one stop position 4.1 m apart: a
        // perfect count of 1, so they pair (osm_pair_uic_equal_15m). The exact stage sees only the platform and the
        // stop position follows it by propagation.
        Assert.Contains(["12110066179", "pair", "osm_pair_uic_equal_15m", "12110066179", "pair_a"], units);
        Assert.Contains(["12110066179", "pair", "osm_pair_uic_equal_15m", "983968825", "pair_b"], units);
        Assert.Contains(("ch:1:sloid:72838:0:443504", "12110066179", "exact"), matches);
        Assert.Contains(("ch:1:sloid:72838:0:443504", "983968825", "osm_group_propagation"), matches);

        // Bex, Vasselin: no element carries 8510409, and the bus stop 11552206970 is named "Bex Vasselin" (names must
        // be equal byte for byte). It is the only element within 50 m (5.8 m), so the first nearest pass takes it.
        Assert.Contains(("ch:1:sloid:10409:0:1001", "11552206970", "distance_matching_3a"), matches);
    }

    [Fact]
    public async Task Match_WithTruth_PrintsPrecisionAndRecall()
    {
        var truth = Path.Combine(_dir, "truth.csv");
        await File.WriteAllTextAsync(truth, "sloid,osm_id,case\nch:1:sloid:7190:0:304862,268129352,exact\nch:1:sloid:2274:0:203356,1,exact\n,42,osm_only\n");

        var (exitCode, output) = await RunAsync("match", "--atlas", SampleAtlas, "--osm", SampleOsm, "--truth", truth, "--out", Path.Combine(_dir, "out"));

        Assert.True(exitCode == 0, output);
        Assert.Matches(@"precision 0\.\d{4} \(1 of \d+ predicted pairs\), recall 0\.5000 \(1 of 2 truth pairs\)", output);
    }

    [Fact]
    public async Task Match_WithRulings_NeverMatchesAForbiddenPair_AndMatchesAManualOne()
    {
        // Beatenbucht's exact pair is forbidden; Bex, Vasselin is matched by hand to Beatenbucht's node instead.
        var rulings = Path.Combine(_dir, "rulings.csv");
        await File.WriteAllTextAsync(rulings,
            "kind,sloid,osm_id\nnot_same_stop,ch:1:sloid:7190:0:304862,268129352\nsame_stop,ch:1:sloid:10409:0:1001,268129352\nsame_stop,ch:1:sloid:0:0:0,1\n");

        var (exitCode, output) = await RunAsync("match", "--atlas", SampleAtlas, "--osm", SampleOsm, "--rulings", rulings, "--out", _dir);

        Assert.True(exitCode == 0, output);
        var matches = Rows("matches.csv").Select(r => (Sloid: r[0], OsmId: r[1], Type: r[2])).ToList();
        Assert.DoesNotContain(matches, m => m.Sloid == "ch:1:sloid:7190:0:304862" && m.OsmId == "268129352");
        Assert.Contains(("ch:1:sloid:10409:0:1001", "268129352", "manual"), matches);
        Assert.Contains("Rulings: 2 manual matches (1 committed), 1 forbidden pairs", output, StringComparison.Ordinal);
        Assert.Contains("ruling_unknown_sloid: same_stop (ch:1:sloid:0:0:0, 1)", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kind,sloid\nsame_stop,a\n", ":1:")]
    [InlineData("kind,sloid,osm_id\nsame_stop,ch:1:sloid:1:0:1,5\nmaybe_same,ch:1:sloid:1:0:1,6\n", ":3:")]
    [InlineData("kind,sloid,osm_id\nnot_same_stop,ch:1:sloid:1:0:1\n", ":2:")]
    [InlineData("kind,sloid,osm_id\nnot_same_stop,,7\n", ":2:")]
    public async Task Match_Exits2AndNamesFileAndLine_WhenARulingsRowIsBad(string content, string line)
    {
        var rulings = Path.Combine(_dir, "bad-rulings.csv");
        await File.WriteAllTextAsync(rulings, content);

        var (exitCode, output) = await RunAsync("match", "--atlas", SampleAtlas, "--osm", SampleOsm, "--rulings", rulings, "--out", Path.Combine(_dir, "out"));

        Assert.Equal(2, exitCode);
        Assert.StartsWith("error:", output.Trim(), StringComparison.Ordinal);
        Assert.Contains("bad-rulings.csv" + line, output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--osm")]
    [InlineData("--atlas")]
    [InlineData("--out")]
    public async Task Match_Exits2AndNamesTheOption_WhenARequiredOptionIsMissing(string missing)
    {
        var args = new List<string> { "match", "--atlas", SampleAtlas, "--osm", SampleOsm, "--out", _dir };
        args.RemoveRange(args.IndexOf(missing), 2);

        var (exitCode, output) = await RunAsync([.. args]);

        Assert.Equal(2, exitCode);
        Assert.Contains(missing, output, StringComparison.Ordinal);
        Assert.Single(output.Trim().Split('\n'));
    }

    [Fact]
    public async Task Match_Exits2_WhenAFileDoesNotExist_OrAnArgumentIsUnknown()
    {
        var (missingCode, missingOutput) = await RunAsync("match", "--atlas", Path.Combine(_dir, "nope.csv"), "--osm", SampleOsm, "--out", _dir);
        var (unknownCode, unknownOutput) = await RunAsync("match", "--atlas", SampleAtlas, "--osm", SampleOsm, "--out", _dir, "--fast");

        Assert.Equal((2, 2), (missingCode, unknownCode));
        Assert.Contains("nope.csv", missingOutput, StringComparison.Ordinal);
        Assert.Contains("--fast", unknownOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Match_Exits2AndNamesTheFile_WhenTheOsmFileIsNotXml()
    {
        var broken = Path.Combine(_dir, "broken.xml");
        await File.WriteAllTextAsync(broken, "<osm><node id='1'");

        var (exitCode, output) = await RunAsync("match", "--atlas", SampleAtlas, "--osm", broken, "--out", Path.Combine(_dir, "out"));

        Assert.Equal(2, exitCode);
        Assert.Contains("broken.xml", output, StringComparison.Ordinal);
        Assert.StartsWith("error:", output.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BenchMatch_ReportsEveryStepAndTheScore()
    {
        File.Copy(SampleAtlas, Path.Combine(_dir, "atlas-traffic-points.csv"));
        File.Copy(SampleOsm, Path.Combine(_dir, "osm-stops.xml"));
        await File.WriteAllTextAsync(Path.Combine(_dir, "truth.csv"), "sloid,osm_id,case\nch:1:sloid:7190:0:304862,268129352,exact\n");

        var (exitCode, output) = await RunAsync("bench-match", "--dir", _dir);

        Assert.True(exitCode == 0, output);
        foreach (var step in new[] { "grouping", "trio", "exact", "name", "route", "group_proximity_50m", "group_proximity_150m", "local_ref",
            "nearest_single", "nearest_ratio", "nearest_single_second", "problems", "peak working set", "recall 1.0000" })
        {
            Assert.Contains(step, output, StringComparison.Ordinal);
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string FirstLine(string file) => File.ReadLines(Path.Combine(_dir, file)).First();

    private List<string[]> Rows(string file) => [.. File.ReadLines(Path.Combine(_dir, file)).Skip(1).Select(l => l.Split(','))];

    private static Task<(int ExitCode, string Output)> RunAsync(params string[] args) => JobsExecutable.RunAsync(null, args);
}
