using StopSync.Jobs.Sources.Acquisition;

namespace StopSync.Tests.Jobs.Sources.Acquisition;

public sealed class SourceFreshnessTests
{
    private static readonly SourceSnapshot Probe = new() { Label = "ATLAS", Url = "https://example.invalid/atlas.csv", ProbeOk = true, Status = 206 };

    [Fact]
    public void Compare_IsUnchanged_WhenTheETagsAreEqual_EvenIfLastModifiedDiffers()
    {
        var decision = SourceFreshness.Compare(
            Probe with { ETag = "\"a\"", LastModified = "Mon, 23 Nov 2026 05:00:00 GMT" },
            Probe with { ETag = "\"a\"", LastModified = "Tue, 24 Nov 2026 05:00:00 GMT" });

        Assert.True(decision.Unchanged);
        Assert.StartsWith("etag", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_IsChanged_WhenTheETagsDiffer_EvenIfEverythingElseIsEqual()
    {
        var same = Probe with { LastModified = "Mon, 23 Nov 2026 05:00:00 GMT", DownloadFilename = "a.csv", FinalUrl = "https://example.invalid/a.csv" };

        var decision = SourceFreshness.Compare(same with { ETag = "\"a\"" }, same with { ETag = "\"b\"" });

        Assert.False(decision.Unchanged);
    }

    [Fact]
    public void Compare_FallsBackToLastModified_WhenOnlyOneSideHasAnETag()
    {
        var decision = SourceFreshness.Compare(
            Probe with { ETag = "\"a\"", LastModified = "Mon, 23 Nov 2026 05:00:00 GMT" },
            Probe with { LastModified = "Mon, 23 Nov 2026 05:00:00 GMT", DownloadFilename = "other.csv" });

        Assert.True(decision.Unchanged);
        Assert.StartsWith("last_modified", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_LetsTheDownloadFilenameDecide_BeforeTheFinalUrl()
    {
        var decision = SourceFreshness.Compare(
            Probe with { DownloadFilename = "gtfs_2026-11-20.zip", FinalUrl = "https://example.invalid/a" },
            Probe with { DownloadFilename = "gtfs_2026-11-27.zip", FinalUrl = "https://example.invalid/a" });

        Assert.False(decision.Unchanged);
        Assert.StartsWith("download_filename", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_IsChanged_WhenNoValidatorIsPresentInBoth()
    {
        var decision = SourceFreshness.Compare(Probe with { ETag = "\"a\"" }, Probe with { LastModified = "Mon, 23 Nov 2026 05:00:00 GMT" });

        Assert.False(decision.Unchanged);
        Assert.Equal("no validator present in both snapshots", decision.Reason);
    }

    [Fact]
    public void Compare_IsChanged_WhenThereIsNoEarlierSnapshot()
    {
        Assert.False(SourceFreshness.Compare(null, Probe with { ETag = "\"a\"" }).Unchanged);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void Compare_IsChanged_WhenEitherProbeFailed_ThoughTheETagsAreEqual(bool previousOk, bool currentOk)
    {
        var decision = SourceFreshness.Compare(
            Probe with { ETag = "\"a\"", ProbeOk = previousOk },
            Probe with { ETag = "\"a\"", ProbeOk = currentOk });

        Assert.False(decision.Unchanged);
    }

    [Fact]
    public void IsUsable_NeedsASuccessfulProbe_AndAValidator()
    {
        Assert.False(Probe.IsUsable);
        Assert.False((Probe with { ETag = "  " }).IsUsable);
        Assert.True((Probe with { FinalUrl = "https://example.invalid/a" }).IsUsable);
        Assert.False((Probe with { FinalUrl = "https://example.invalid/a", ProbeOk = false }).IsUsable);
    }
}
