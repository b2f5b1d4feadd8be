using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace StopSync.Tests.Jobs.Sources.Gtfs;

/// <summary>
/// Generates a GTFS zip of any size, streaming it to disk (for the streaming test and for benchmarks). Stations are
/// <c>85xxxxx</c> with a parent <c>85xxxxxP</c> and platforms <c>85xxxxx:0:1..n</c>; every tenth route starts abroad.
/// Each route has one stop pattern of distinct stations; even trips run it forwards (direction 0), odd ones backwards.
/// </summary>
internal sealed record SyntheticGtfsFeed(int Routes, int TripsPerRoute, int StopsPerTrip, int Stations = 5_000, int Platforms = 4)
{
    public long StopTimes => (long)Routes * TripsPerRoute * StopsPerTrip;

    public static string StationName(int station) => $"Station {station}";

    public static string ForeignName(int route) => $"Abroad {route}";

    public static string PlatformStopId(int station, int platform) =>
        string.Create(CultureInfo.InvariantCulture, $"{8_500_000 + station}:0:{platform + 1}");

    public static string Sloid(int station, int platform) => string.Create(CultureInfo.InvariantCulture, $"ch:1:sloid:{station}:0:{platform + 1}");

    public static string RouteId(int route) => string.Create(CultureInfo.InvariantCulture, $"{route % 90}-{route}-j25-1");

    public static bool StartsAbroad(int route) => route % 10 == 0;

    /// <summary>The stop at a position of a route's pattern: a station index, or -1 for the foreign start.</summary>
    public (int Station, int Platform) StopAt(int route, int position) =>
        position == 0 && StartsAbroad(route) ? (-1, 0) : (((route * 37) + (position * 11)) % Stations, (route + position) % Platforms);

    public string ExpectedLabel(int route, int direction)
    {
        var first = Name(route, 0);
        var last = Name(route, StopsPerTrip - 1);
        return direction == 0 ? $"{first} → {last}" : $"{last} → {first}";
    }

    public void WriteTo(string path)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        Write(zip, "stops.txt", writer =>
        {
            writer.WriteLine("stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station");
            for (var station = 0; station < Stations; station++)
            {
                var (lat, lon) = (46 + (station % 100 * 0.01), 6.5 + (station / 100 * 0.05));
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{8_500_000 + station}P,\"{StationName(station)}\",{lat},{lon},1,"));
                for (var platform = 0; platform < Platforms; platform++)
                {
                    writer.WriteLine(string.Create(
                        CultureInfo.InvariantCulture,
                        $"{PlatformStopId(station, platform)},\"{StationName(station)}\",{lat + (platform * 0.0001)},{lon},,{8_500_000 + station}P"));
                }
            }

            for (var route = 0; route < Routes; route += 10)
            {
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"80{route:D5},{ForeignName(route)},48.5,9.5,,"));
            }
        });
        Write(zip, "routes.txt", writer =>
        {
            writer.WriteLine("route_id,agency_id,route_short_name,route_long_name,route_desc,route_type");
            for (var route = 0; route < Routes; route++)
            {
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{RouteId(route)},11,{route},,Bus,700"));
            }
        });
        Write(zip, "trips.txt", writer =>
        {
            writer.WriteLine("route_id,service_id,trip_id,trip_headsign,direction_id");
            for (var route = 0; route < Routes; route++)
            {
                for (var trip = 0; trip < TripsPerRoute; trip++)
                {
                    writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{RouteId(route)},TA+b0001,{TripId(route, trip)},Somewhere,{trip % 2}"));
                }
            }
        });
        Write(zip, "stop_times.txt", writer =>
        {
            writer.WriteLine("trip_id,arrival_time,departure_time,stop_id,stop_sequence,pickup_type,drop_off_type");
            for (var route = 0; route < Routes; route++)
            {
                for (var trip = 0; trip < TripsPerRoute; trip++)
                {
                    var tripId = TripId(route, trip);
                    for (var sequence = 1; sequence <= StopsPerTrip; sequence++)
                    {
                        var position = trip % 2 == 0 ? sequence - 1 : StopsPerTrip - sequence;
                        var (station, platform) = StopAt(route, position);
                        var stopId = station < 0 ? string.Create(CultureInfo.InvariantCulture, $"80{route:D5}") : PlatformStopId(station, platform);
                        var time = string.Create(CultureInfo.InvariantCulture, $"{6 + (sequence / 60):D2}:{sequence % 60:D2}:00");
                        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{tripId},{time},{time},{stopId},{sequence},0,0"));
                    }
                }
            }
        });
    }

    private static string TripId(int route, int trip) => string.Create(CultureInfo.InvariantCulture, $"{trip + 1}.TA.{RouteId(route)}.{trip + 1}.H");

    private static void Write(ZipArchive zip, string name, Action<StreamWriter> write)
    {
        using var writer = new StreamWriter(zip.CreateEntry(name, CompressionLevel.Fastest).Open(), new UTF8Encoding(false), 1 << 16);
        write(writer);
    }

    private string Name(int route, int position)
    {
        var (station, _) = StopAt(route, position);
        return station < 0 ? ForeignName(route) : StationName(station);
    }
}
