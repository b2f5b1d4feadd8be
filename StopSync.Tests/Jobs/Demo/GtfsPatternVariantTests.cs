using Microsoft.Extensions.Logging.Abstractions;
using StopSync.Jobs.Demo;
using StopSync.Jobs.Sources;
using StopSync.Jobs.Sources.Gtfs;

namespace StopSync.Tests.Jobs.Demo;

/// <summary>The generator's timetable has pattern variants beside each line's full pattern, as real timetables do.</summary>
public sealed class GtfsPatternVariantTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("stopsync-demo-variants-").FullName;

    [Fact]
    public void Demo_RunsMostTripsOnTheFullPattern_AndTheRestOnParts_OfIt()
    {
        var gtfs = Generate();

        foreach (var group in gtfs.Itineraries.GroupBy(i => (i.RouteId, i.DirectionId)))
        {
            var full = group.MaxBy(i => i.StopPositions.Count)!;
            Assert.True(full.TripCount * 2 > group.Sum(i => i.TripCount), $"{group.Key}: the full pattern runs {full.TripCount} trips only");
            Assert.All(group, i => Assert.True(IsSubsequence(i.StopPositions, full.StopPositions), $"{i.ItineraryId} leaves the full pattern"));
        }
    }

    [Fact]
    public void Demo_HasShortTurnsExpressTripsAndAnotherHeadsign()
    {
        var gtfs = Generate();
        var fullPatterns = gtfs.Itineraries.GroupBy(i => (i.RouteId, i.DirectionId))
            .ToDictionary(g => g.Key, g => g.MaxBy(i => i.StopPositions.Count)!.StopPositions);
        bool Is(GtfsItinerary i, Func<IReadOnlyList<int>, IReadOnlyList<int>, bool> test) =>
            i.StopPositions.Count < fullPatterns[(i.RouteId, i.DirectionId)].Count && test(i.StopPositions, fullPatterns[(i.RouteId, i.DirectionId)]);

        Assert.Contains(gtfs.Itineraries, i => Is(i, (part, full) => part[0] != full[0] && part[^1] == full[^1]));
        Assert.Contains(gtfs.Itineraries, i => Is(i, (part, full) => part[0] == full[0] && part[^1] != full[^1]));
        Assert.Contains(gtfs.Itineraries, i => Is(i, (part, full) => part[0] == full[0] && part[^1] == full[^1]));
        Assert.Contains(GeneratedDataset.Load(_dir).ReadGtfs("trips.txt").Rows, t => t[3].Contains(" via ", StringComparison.Ordinal));
        Assert.InRange(gtfs.Itineraries.Count, 60, 200);
    }

    private GtfsReadResult Generate()
    {
        DatasetGenerator.Generate(_dir);
        return new GtfsReader(NullLogger<GtfsReader>.Instance).Read(Path.Combine(_dir, SourceFileNames.Gtfs), [], null, CancellationToken.None);
    }

    private static bool IsSubsequence(IReadOnlyList<int> part, IReadOnlyList<int> full)
    {
        var next = 0;
        foreach (var stop in full)
        {
            if (next < part.Count && part[next] == stop)
            {
                next++;
            }
        }

        return next == part.Count;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
