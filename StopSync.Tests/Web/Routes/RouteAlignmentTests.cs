using StopSync.Web.Pages.Routes;

namespace StopSync.Tests.Web.Routes;

/// <summary>The ordered alignment of the comparison view: the stop-key equality and LCS of route matching.</summary>
public sealed class RouteAlignmentTests
{
    private static IReadOnlyList<string> Platform(string sloid, string uic) => [$"sloid:{sloid}", $"uic:{uic}"];

    private static readonly IReadOnlyList<string> A = Platform("a", "1");
    private static readonly IReadOnlyList<string> B = Platform("b", "2");
    private static readonly IReadOnlyList<string> C = Platform("c", "3");

    [Fact]
    public void Align_PairsEqualSequences_AllSame_WithScoreOne()
    {
        var result = RouteAlignment.Align([A, B, C], [A, B, C]);

        Assert.Equal(3, result.Matched);
        Assert.Equal(1.0, result.Score(3, 3));
        Assert.All(result.Rows, r => Assert.Equal(CallStatus.Same, r.Status));
    }

    [Fact]
    public void Align_CallsAStopMissingInOsm_AndAnExtraOsmStop()
    {
        IReadOnlyList<string> extra = ["osm:9"];

        var result = RouteAlignment.Align([A, B, C], [A, extra, C]);

        Assert.Equal([CallStatus.Same, CallStatus.MissingInOsm, CallStatus.ExtraInOsm, CallStatus.Same], result.Rows.Select(r => r.Status));
        Assert.Equal(2.0 / 3, result.Score(3, 3)!.Value, 6);
    }

    [Fact]
    public void Align_CallsSwappedStopsOutOfOrder_OnBothSides()
    {
        var result = RouteAlignment.Align([A, B, C], [A, C, B]);

        Assert.Equal(2, result.Matched);
        Assert.Equal(2, result.Rows.Count(r => r.Status == CallStatus.OutOfOrder));
        Assert.Equal(1, result.Rows.Count(r => r.Status == CallStatus.OutOfOrder && r.AtlasIndex is not null));
    }

    [Fact]
    public void Align_CallsASharedStationNumberOnly_TheOtherPlatform_WhenBothSidesKnowTheirPlatform()
    {
        var result = RouteAlignment.Align([Platform("x:1", "7")], [Platform("x:2", "7")]);

        Assert.Equal(CallStatus.OtherPlatform, Assert.Single(result.Rows).Status);
        Assert.Equal(1, result.Matched);
    }

    [Fact]
    public void Align_PairsAStationLevelTimetableStop_WithAnyPlatform_AsTheSameStop()
    {
        var result = RouteAlignment.Align([["uic:7"]], [Platform("x:2", "7")]);

        Assert.Equal(CallStatus.Same, Assert.Single(result.Rows).Status);
    }

    [Fact]
    public void Align_ShowsTheTimetablesGapBeforeOsms_OnATie()
    {
        IReadOnlyList<string> extra = ["osm:9"];

        var result = RouteAlignment.Align([A, B, C], [A, extra, C]);

        Assert.Equal((1, (int?)null), (result.Rows[1].AtlasIndex!.Value, result.Rows[1].OsmIndex));
        Assert.Equal((null, (int?)1), (result.Rows[2].AtlasIndex, result.Rows[2].OsmIndex));
    }

    [Fact]
    public void Align_OfOneSideOnly_IsUnpaired_WithoutScore()
    {
        var result = RouteAlignment.Align([A, B], []);

        Assert.All(result.Rows, r => Assert.Equal(CallStatus.Unpaired, r.Status));
        Assert.Equal(0, result.Matched);
    }

    [Fact]
    public void MatchedCount_EqualsTheAlignmentsPairs()
    {
        IReadOnlyList<IReadOnlyList<string>> atlas = [A, B, C, A, B];
        IReadOnlyList<IReadOnlyList<string>> osm = [B, A, C, B, A];

        Assert.Equal(RouteAlignment.Align(atlas, osm).Matched, RouteAlignment.MatchedCount(atlas, osm));
        Assert.Equal(3, RouteAlignment.MatchedCount(atlas, osm));
    }
}
