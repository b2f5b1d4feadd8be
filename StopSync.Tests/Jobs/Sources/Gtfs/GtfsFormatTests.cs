using StopSync.Jobs.Sources.Gtfs;
using static StopSync.Tests.Jobs.Sources.Gtfs.GtfsFeedBuilder;

namespace StopSync.Tests.Jobs.Sources.Gtfs;

/// <summary>CSV and zip layouts real feeds use.</summary>
public sealed class GtfsFormatTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("stopsync-gtfs-format-").FullName;

    [Fact]
    public void Read_FindsFilesByName_WhenTheZipPutsThemInAFolderWithByteOrderMarks()
    {
        var path = new GtfsFeedBuilder().WriteTo(_dir, folder: "gtfs_fp2026_2026-01-07/", byteOrderMark: true);

        var result = Read(path);

        Assert.Equal(["8503000:0:1"], result.Stops.Select(s => s.StopId));
        Assert.Equal(new GtfsFileCounts(1, 0), result.Counts.StopTimesFile);
        Assert.Single(result.Directions);
    }

    [Fact]
    public void Read_UnquotesAndTrimsValues_WhenFieldsAreQuotedWithCommasAndCrLf()
    {
        var path = new GtfsFeedBuilder()
            .With("stops.txt",
                "\"stop_id\",\"stop_name\",\"stop_lat\",\"stop_lon\",\"platform_code\"\r",
                "\"8503000:0:1\",\"Zürich, HB \"\"Gleis 1\"\"\",\" 47.3779\",\"8.5403 \",\" 01 \"\r")
            .WriteTo(_dir);

        var stop = Assert.Single(Read(path).Stops);

        Assert.Equal("Zürich, HB \"Gleis 1\"", stop.StopName);
        Assert.Equal((47.3779, 8.5403), (stop.Lat, stop.Lon));
        Assert.Equal("01", stop.PlatformCode);
    }

    [Fact]
    public void Read_LeavesOptionalFieldsNull_WhenStopsTxtHasOnlyTheRequiredColumns()
    {
        var stop = Assert.Single(Read(new GtfsFeedBuilder().WriteTo(_dir)).Stops);

        Assert.Equal(
            (null, null, null, null, null, null),
            (stop.StopCode, stop.PlatformCode, stop.OriginalStopId, stop.LocationType, stop.ParentStation, stop.Didok));
        Assert.Equal(("8503000", "1", GtfsIdentityLevel.Platform), (stop.UicNumber, stop.LocalRef, stop.IdentityLevel));
    }

    [Fact]
    public void Read_TreatsDirectionAsNull_WhenTripsTxtHasNoDirectionColumn()
    {
        var path = new GtfsFeedBuilder().With("trips.txt", "route_id,service_id,trip_id", "R1,S,T1").WriteTo(_dir);

        var direction = Assert.Single(Read(path).Directions);

        Assert.Null(direction.DirectionId);
    }

    [Fact]
    public void Read_IgnoresBlankLines_WithoutCountingThemAsRowsOrMalformed()
    {
        var path = new GtfsFeedBuilder()
            .With("stops.txt", "stop_id,stop_name,stop_lat,stop_lon", "8503000:0:1,Zürich HB,47.3779,8.5403", "", "8503000:0:2,Zürich HB,47.3779,8.5403", "", "")
            .With("stop_times.txt", "trip_id,arrival_time,departure_time,stop_id,stop_sequence", "", "T1,08:00:00,08:00:00,8503000:0:1,1", "")
            .WriteTo(_dir);

        var counts = Read(path).Counts;

        Assert.Equal(new GtfsFileCounts(2, 0), counts.StopsFile);
        Assert.Equal(new GtfsFileCounts(1, 0), counts.StopTimesFile);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
