using StopSync.Jobs.Sources.Atlas;
using StopSync.Jobs.Sources.Gtfs;
using static StopSync.Tests.Jobs.Sources.Gtfs.GtfsFeedBuilder;

namespace StopSync.Tests.Jobs.Sources.Gtfs;

/// <summary>A generated feed large enough that only the aggregated per-trip and per-route data can explain the result.</summary>
public sealed class GtfsStreamingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("stopsync-gtfs-stream-").FullName;

    [Fact]
    public void Read_AggregatesEveryTripAndCall_WhenTheFeedHasOneHundredThousandStopTimes()
    {
        var feed = new SyntheticGtfsFeed(Routes: 200, TripsPerRoute: 20, StopsPerTrip: 25);
        var path = Path.Combine(_dir, "synthetic.zip");
        feed.WriteTo(path);
        var atlas = new List<AtlasPlatform>();
        for (var station = 0; station < feed.Stations; station++)
        {
            for (var platform = 0; platform < feed.Platforms; platform++)
            {
                atlas.Add(Atlas(SyntheticGtfsFeed.Sloid(station, platform), $"{8_500_000 + station}", $"{platform + 1}"));
            }
        }

        var result = Read(path, atlas);

        Assert.Equal(new GtfsFileCounts(100_000, 0), result.Counts.StopTimesFile);
        Assert.Equal(feed.Stations * feed.Platforms, result.Counts.StopsByMethod[GtfsResolutionMethod.UicPlatform]);
        Assert.Equal(feed.Stations, result.Counts.Unmatched);
        Assert.Equal(20, result.Counts.NotSwissPrefix);
        Assert.Equal(400, result.Directions.Count);
        Assert.All(result.Directions, d => Assert.Equal(10, d.TripCount));
        Assert.Equal(feed.ExpectedLabel(0, 0), result.Directions.Single(d => d.RouteId == SyntheticGtfsFeed.RouteId(0) && d.DirectionId == "0").DirectionName);
        Assert.Equal(feed.ExpectedLabel(7, 1), result.Directions.Single(d => d.RouteId == SyntheticGtfsFeed.RouteId(7) && d.DirectionId == "1").DirectionName);
        Assert.StartsWith("Abroad 0 → ", feed.ExpectedLabel(0, 0), StringComparison.Ordinal);

        // Each route calls at 25 distinct stops (24 Swiss where it starts abroad), each in both directions.
        var expectedEntries = Enumerable.Range(0, feed.Routes).Sum(r => 2 * (SyntheticGtfsFeed.StartsAbroad(r) ? 24 : 25));
        Assert.Equal(expectedEntries, result.RouteEvidenceBySloid.Values.Sum(list => list.Count));
        var (fourthStation, fourthPlatform) = feed.StopAt(7, 3);
        Assert.Contains(
            new RouteEvidence(SyntheticGtfsFeed.RouteId(7), "7-7-jXX-1", "7", null, "1", feed.ExpectedLabel(7, 1)),
            result.RouteEvidenceBySloid[SyntheticGtfsFeed.Sloid(fourthStation, fourthPlatform)]);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
