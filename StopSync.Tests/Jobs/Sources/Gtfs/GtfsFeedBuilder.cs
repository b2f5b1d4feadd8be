using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using StopSync.Jobs.Sources.Atlas;
using StopSync.Jobs.Sources.Gtfs;

namespace StopSync.Tests.Jobs.Sources.Gtfs;

/// <summary>
/// Writes small GTFS zips for tests. The four required files start as a minimal valid feed (one Swiss stop, one route,
/// one trip, one stop_time); a test replaces the ones it is about.
/// </summary>
internal sealed class GtfsFeedBuilder
{
    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal)
    {
        ["stops.txt"] = "stop_id,stop_name,stop_lat,stop_lon\n8503000:0:1,Zürich HB,47.3779,8.5403\n",
        ["routes.txt"] = "route_id,agency_id,route_short_name,route_long_name,route_type\nR1,11,1,,102\n",
        ["trips.txt"] = "route_id,service_id,trip_id,direction_id\nR1,S,T1,0\n",
        ["stop_times.txt"] = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT1,08:00:00,08:00:00,8503000:0:1,1\n",
    };

    public GtfsFeedBuilder With(string file, params string[] lines)
    {
        _files[file] = lines.Length == 0 ? string.Empty : string.Join('\n', lines) + "\n";
        return this;
    }

    public GtfsFeedBuilder Without(string file)
    {
        _files.Remove(file);
        return this;
    }

    /// <summary>Writes the zip; <paramref name="folder"/> puts every entry under that folder, as some feeds do.</summary>
    public string WriteTo(string directory, string name = "feed.zip", string folder = "", bool byteOrderMark = false)
    {
        var path = Path.Combine(directory, name);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (file, text) in _files)
        {
            using var stream = zip.CreateEntry(folder + file).Open();
            if (byteOrderMark)
            {
                stream.Write(Encoding.UTF8.GetPreamble());
            }

            stream.Write(Encoding.UTF8.GetBytes(text));
        }

        return path;
    }

    public static AtlasPlatform Atlas(string sloid, string number, string designation, double lat = 47.3779, double lon = 8.5403) =>
        new(sloid, number, designation, "Name", "SBB", lat, lon);

    public static GtfsReadResult Read(string zipPath, IReadOnlyList<AtlasPlatform>? atlas = null, Func<double, double, bool>? border = null) =>
        new GtfsReader(NullLogger<GtfsReader>.Instance).Read(zipPath, atlas ?? [], border, CancellationToken.None);
}

internal static class GtfsReadResultExtensions
{
    public static GtfsStopResolution ResolutionOf(this GtfsReadResult result, string stopId) =>
        Assert.Single(result.Resolutions, r => r.StopId == stopId);

    public static GtfsStop StopOf(this GtfsReadResult result, string stopId) => Assert.Single(result.Stops, s => s.StopId == stopId);
}
