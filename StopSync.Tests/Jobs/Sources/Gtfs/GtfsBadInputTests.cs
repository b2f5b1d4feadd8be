using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.Logging;
using StopSync.Jobs.Runs;
using StopSync.Jobs.Sources;
using StopSync.Jobs.Sources.Gtfs;
using StopSync.Tests.Infrastructure;
using static StopSync.Tests.Jobs.Sources.Gtfs.GtfsFeedBuilder;

namespace StopSync.Tests.Jobs.Sources.Gtfs;

/// <summary>Unusable feeds fail with one message naming the zip and entry; bad rows are counted, logged and skipped.</summary>
public sealed class GtfsBadInputTests : IDisposable
{
    private static readonly byte[] LocalFileHeader = [(byte)'P', (byte)'K', 3, 4];

    private readonly string _dir = Directory.CreateTempSubdirectory("stopsync-gtfs-bad-").FullName;

    [Fact]
    public void Read_Throws_NamingThePath_WhenTheZipDoesNotExist()
    {
        var path = Path.Combine(_dir, "missing.zip");

        var error = Assert.Throws<SourceFormatException>(() => Read(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("stop_id,stop_name\n8503000,Zürich HB\n")]
    public void Read_Throws_NamingThePath_WhenTheFileIsNotAZip(string content)
    {
        var path = Path.Combine(_dir, "feed.zip");
        File.WriteAllText(path, content);

        var error = Assert.Throws<SourceFormatException>(() => Read(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("not a readable zip", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Throws_WhenTheZipHasNoEntries()
    {
        var path = Path.Combine(_dir, "empty.zip");
        ZipFile.Open(path, ZipArchiveMode.Create).Dispose();

        var error = Assert.Throws<SourceFormatException>(() => Read(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("is empty", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("stops.txt")]
    [InlineData("routes.txt")]
    [InlineData("trips.txt")]
    [InlineData("stop_times.txt")]
    public void Read_Throws_NamingTheFile_WhenARequiredFileIsMissing(string file)
    {
        var path = new GtfsFeedBuilder().Without(file).WriteTo(_dir);

        var error = Assert.Throws<SourceFormatException>(() => Read(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains($"required file(s) {file}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("stops.txt", "stop_id,stop_name,stop_lon", "stop_lat")]
    [InlineData("stops.txt", "stop_name,stop_lat,stop_lon", "stop_id")]
    [InlineData("routes.txt", "agency_id,route_short_name", "route_id")]
    [InlineData("trips.txt", "service_id,trip_id,direction_id", "route_id")]
    [InlineData("stop_times.txt", "trip_id,arrival_time,stop_id", "stop_sequence")]
    public void Read_Throws_NamingFileAndColumn_WhenARequiredColumnIsMissing(string file, string header, string missing)
    {
        var path = new GtfsFeedBuilder().With(file, header, string.Join(',', header.Split(',').Select(_ => "1"))).WriteTo(_dir);

        var error = Assert.Throws<SourceFormatException>(() => Read(path));

        Assert.Equal($"GTFS zip '{path}' entry '{file}' lacks the required column(s) {missing}.", error.Message);
    }

    [Fact]
    public void Read_Throws_NamingTheEntry_WhenAHeaderRepeatsAColumn()
    {
        var path = new GtfsFeedBuilder().With("routes.txt", "route_id,route_short_name,route_id", "R1,1,R1").WriteTo(_dir);

        var error = Assert.Throws<SourceFormatException>(() => Read(path));

        Assert.StartsWith($"GTFS zip '{path}' entry 'routes.txt' cannot be read as CSV", error.Message, StringComparison.Ordinal);
        Assert.Contains("route_id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Throws_NamingTheEntry_WhenARequiredFileIsEmpty()
    {
        var path = new GtfsFeedBuilder().With("trips.txt").WriteTo(_dir);

        var error = Assert.Throws<SourceFormatException>(() => Read(path));

        Assert.Equal($"GTFS zip '{path}' entry 'trips.txt' is empty: it has no header row.", error.Message);
    }

    [Fact]
    public void Read_Throws_NamingTheEntry_WhenTheCompressedDataOfAnEntryIsCorrupt()
    {
        string[] lines =
        [
            "trip_id,arrival_time,departure_time,stop_id,stop_sequence",
            .. Enumerable.Range(0, 20_000).Select(i => $"T{i % 977},08:00:00,08:00:00,85{i % 10_007:D5}:0:{i % 13},{i}"),
        ];
        var path = new GtfsFeedBuilder().With("stop_times.txt", lines).WriteTo(_dir);
        CorruptEntryData(path, "stop_times.txt");

        var error = Assert.Throws<SourceFormatException>(() => Read(path));

        Assert.StartsWith($"GTFS zip '{path}' entry 'stop_times.txt' cannot be read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Throws_WhenNoStopIsSwiss()
    {
        var path = new GtfsFeedBuilder().With("stops.txt", "stop_id,stop_name,stop_lat,stop_lon", "8000105,Frankfurt,50.1,8.6").WriteTo(_dir);

        var error = Assert.Throws<SourceFormatException>(() => Read(path));

        Assert.Contains("entry 'stops.txt' has no Swiss stops", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SkipsCountsAndLogsTheFirstFive_WhenStopRowsAreMalformed()
    {
        var path = new GtfsFeedBuilder()
            .With("stops.txt",
                "stop_id,stop_name,stop_lat,stop_lon",
                "8500001,Too few fields,47.1",
                "8500002,Not a number,abc,8.1",
                "8500003,NaN,NaN,8.1",
                "8500004,Infinite,47.1,Infinity",
                "8500005,Out of range,91,8.1",
                ",No id,47.1,8.1",
                "8500007,Too,many,47.1,8.1",
                "8503000:0:1,Zürich HB,47.3779,8.5403",
                "8503000:0:1,Duplicate,47.3779,8.5403")
            .WriteTo(_dir);
        var logger = new ListLogger<GtfsReader>();

        var result = new GtfsReader(logger).Read(path, [], null, CancellationToken.None);

        Assert.Equal(new GtfsFileCounts(9, 8), result.Counts.StopsFile);
        Assert.Equal(["8503000:0:1"], result.Stops.Select(s => s.StopId));
        Assert.Equal("Zürich HB", result.Stops[0].StopName);
        var examples = logger.Entries.Where(e => e.Message.StartsWith("Skipping malformed GTFS row", StringComparison.Ordinal)).ToList();
        Assert.Equal([2, 3, 4, 5, 6], examples.Select(e => (int)e.Values["Line"]!));
        Assert.All(examples, e => Assert.Equal((LogLevel.Warning, path, "stops.txt"), (e.Level, e.Values["ZipPath"], e.Values["Entry"])));
        Assert.Contains("3 fields instead of 4", examples[0].Message, StringComparison.Ordinal);
        Assert.Contains(logger.Entries, e => e.Message.StartsWith("Skipped 8 malformed rows", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_SkipsAndCounts_WhenTripAndStopTimeRowsAreMalformed()
    {
        var path = new GtfsFeedBuilder()
            .With("trips.txt", "route_id,service_id,trip_id,direction_id", "R1,S,T1,0", "R1,S,T1,1", "R1,S,,0", "R1,S")
            .With("stop_times.txt",
                "trip_id,arrival_time,departure_time,stop_id,stop_sequence",
                "T1,08:00:00,08:00:00,8503000:0:1,1",
                "T1,08:00:00,08:00:00,8503000:0:1,first",
                "T1,08:00:00,08:00:00,8503000:0:1",
                "T1,08:00:00,08:00:00,8503000:0:1,2.5")
            .WriteTo(_dir);

        var result = Read(path);

        Assert.Equal(new GtfsFileCounts(4, 3), result.Counts.TripsFile);
        Assert.Equal(new GtfsFileCounts(4, 3), result.Counts.StopTimesFile);
        Assert.Equal(new GtfsRouteDirection("R1", "0", "Zürich HB → Zürich HB", 1), Assert.Single(result.Directions));
    }

    [Fact]
    public void Read_ThrowsOperationCanceled_WhenTheTokenIsCancelled()
    {
        var path = new GtfsFeedBuilder().WriteTo(_dir);

        Assert.Throws<OperationCanceledException>(
            () => new GtfsReader(new ListLogger<GtfsReader>()).Read(path, [], null, new CancellationToken(canceled: true)));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Overwrites compressed bytes in the middle of one entry's data with a pattern deflate cannot decode.</summary>
    private static void CorruptEntryData(string zipPath, string entryName)
    {
        var bytes = File.ReadAllBytes(zipPath);
        var name = Encoding.ASCII.GetBytes(entryName);
        var header = bytes.AsSpan().IndexOf(LocalFileHeader);
        while (!bytes.AsSpan(header + 30, name.Length).SequenceEqual(name))
        {
            header += 4 + bytes.AsSpan(header + 4).IndexOf(LocalFileHeader);
        }

        var compressedSize = BitConverter.ToInt32(bytes, header + 18);
        var dataStart = header + 30 + name.Length + BitConverter.ToInt16(bytes, header + 28);
        bytes.AsSpan(dataStart + (compressedSize / 2), 256).Fill(0xFF);
        File.WriteAllBytes(zipPath, bytes);
    }
}
