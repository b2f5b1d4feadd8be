using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace StopSync.Jobs.Demo;

/// <summary>The current Swiss shape; stop times are computed while writing, so memory stays flat.</summary>
internal static class GtfsWriter
{
    public static readonly string[] EntryNames = ["agency.txt", "calendar.txt", "routes.txt", "stops.txt", "trips.txt", "stop_times.txt"];

    // Millions of stop times share a few thousand distinct times and sequence numbers; format each once.
    private static readonly string[] TimeTexts = Enumerable.Range(0, 30 * 60).Select(FormatTime).ToArray();
    private static readonly string[] SequenceTexts = Enumerable.Range(0, 200).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();

    private static readonly DateTimeOffset EntryTimestamp = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly (string Id, string Days)[] Services =
    [
        ("TA+b0001", "1111111"), ("TA+b0002", "1111100"), ("TA+b0003", "0000011"), ("TA+b0004", "1111110"), ("TA+b0005", "0000001"),
    ];

    public static GtfsCounts Write(string path, StopLayout layout, IReadOnlyList<TransitLine> lines)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        WriteEntry(zip, "agency.txt", csv => WriteAgencies(csv, lines));
        WriteEntry(zip, "calendar.txt", WriteCalendar);
        WriteEntry(zip, "routes.txt", csv => WriteRoutes(csv, lines));
        var stops = 0;
        WriteEntry(zip, "stops.txt", csv => stops = WriteStops(csv, layout));
        var trips = 0;
        WriteEntry(zip, "trips.txt", csv => trips = WriteTrips(csv, lines));
        long stopTimes = 0;
        WriteEntry(zip, "stop_times.txt", csv => stopTimes = WriteStopTimes(csv, lines));
        return new GtfsCounts(stops, lines.Count, trips, stopTimes);
    }

    private static void WriteEntry(ZipArchive zip, string name, Action<QuotedCsv> write)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = EntryTimestamp;
        using var stream = entry.Open();
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16) { NewLine = "\r\n" };
        write(new QuotedCsv(writer));
    }

    private static void WriteAgencies(QuotedCsv csv, IReadOnlyList<TransitLine> lines)
    {
        csv.Row("agency_id", "agency_name", "agency_url", "agency_timezone", "agency_lang", "agency_phone");
        foreach (var op in lines.Select(l => l.Operator).DistinctBy(o => o.AgencyId))
        {
            csv.Row(op.AgencyId, op.Descriptions[0], "https://www.sbb.ch/", "Europe/Zurich", "DE", "0848 44 66 88");
        }
    }

    private static void WriteCalendar(QuotedCsv csv)
    {
        csv.Row("service_id", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "start_date", "end_date");
        foreach (var (id, days) in Services)
        {
            csv.Row([id, .. days.Select(d => d.ToString()), "20251214", "20261212"]);
        }
    }

    private static void WriteRoutes(QuotedCsv csv, IReadOnlyList<TransitLine> lines)
    {
        csv.Row("route_id", "agency_id", "route_short_name", "route_long_name", "route_desc", "route_type");
        foreach (var line in lines)
        {
            csv.Row(line.RouteId, line.Operator.AgencyId, line.ShortName, "", line.RouteDescription, line.RouteType.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static int WriteStops(QuotedCsv csv, StopLayout layout)
    {
        csv.Row("stop_id", "stop_name", "stop_lat", "stop_lon", "location_type", "parent_station", "platform_code", "original_stop_id", "didok");
        var rows = 0;
        foreach (var stop in layout.ServicePoints)
        {
            var parent = stop.ServicePointSloid;
            csv.Row(parent, stop.Name, F(stop.Position.Lat), F(stop.Position.Lon), "1", "", "", parent, stop.Uic);
            rows++;
            foreach (var platform in stop.Platforms)
            {
                csv.Row(platform.Sloid, stop.Name, F(platform.Position.Lat), F(platform.Position.Lon), "", parent, platform.Designation, platform.Sloid, stop.Uic);
                rows++;
            }
        }

        return rows;
    }

    private static int WriteTrips(QuotedCsv csv, IReadOnlyList<TransitLine> lines)
    {
        csv.Row("route_id", "service_id", "trip_id", "trip_headsign", "trip_short_name", "direction_id");
        var rows = 0;
        foreach (var line in lines)
        {
            for (var direction = 0; direction < 2; direction++)
            {
                var stops = line.StopsFor(direction).ToList();
                for (var trip = 0; trip < line.TripsPerDirection; trip++)
                {
                    var variant = line.VariantOf(direction, trip);
                    var headsign = variant?.Headsign ?? stops[variant?.StopIndexes[^1] ?? stops.Count - 1].Name;
                    var shortName = ((line.Index * 200) + (direction * 100) + trip + 1).ToString(CultureInfo.InvariantCulture);
                    csv.Row(line.RouteId, ServiceFor(trip), line.TripId(direction, trip), headsign, shortName, direction.ToString(CultureInfo.InvariantCulture));
                    rows++;
                }
            }
        }

        return rows;
    }

    private static long WriteStopTimes(QuotedCsv csv, IReadOnlyList<TransitLine> lines)
    {
        csv.Row("trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence", "pickup_type", "drop_off_type");
        long rows = 0;
        foreach (var line in lines)
        {
            for (var direction = 0; direction < 2; direction++)
            {
                var stops = line.StopsFor(direction).ToList();
                var platformIds = stops.Select(s => line.PlatformAt(s, direction).Sloid).ToArray();

                // Minutes from the first stop of the full pattern: a trip that skips stops keeps the full pattern's times.
                var offsets = new int[platformIds.Length];
                for (var i = 1; i < offsets.Length; i++)
                {
                    offsets[i] = offsets[i - 1] + line.SegmentMinutes[direction == 0 ? i - 1 : line.SegmentMinutes.Length - i];
                }

                var fullPattern = Enumerable.Range(0, platformIds.Length).ToArray();
                for (var trip = 0; trip < line.TripsPerDirection; trip++)
                {
                    var tripId = line.TripId(direction, trip);
                    var start = line.FirstDepartureMinute + (trip * line.HeadwayMinutes) + (direction * 3);
                    var pattern = line.VariantOf(direction, trip)?.StopIndexes ?? fullPattern;
                    for (var call = 0; call < pattern.Length; call++)
                    {
                        var stop = pattern[call];
                        csv.StopTime(tripId, Time(start + offsets[stop]), platformIds[stop], Sequence(call + 1));
                        rows++;
                    }
                }
            }
        }

        return rows;
    }

    private static string ServiceFor(int trip) => (trip % 10) switch
    {
        < 6 => Services[0].Id,
        6 or 7 => Services[1].Id,
        8 => Services[2].Id,
        _ => Services[3].Id,
    };

    /// <summary>GTFS times run past midnight (25:10:00) for trips of the same service day.</summary>
    private static string Time(int minutes) => minutes < TimeTexts.Length ? TimeTexts[minutes] : FormatTime(minutes);

    private static string Sequence(int sequence) => sequence < SequenceTexts.Length ? SequenceTexts[sequence] : sequence.ToString(CultureInfo.InvariantCulture);

    private static string FormatTime(int minutes) =>
        $"{(minutes / 60).ToString("00", CultureInfo.InvariantCulture)}:{(minutes % 60).ToString("00", CultureInfo.InvariantCulture)}:00";

    private static string F(double value) => value.ToString("F7", CultureInfo.InvariantCulture);

    private readonly struct QuotedCsv(TextWriter writer)
    {
        public void Row(params string[] fields)
        {
            for (var i = 0; i < fields.Length; i++)
            {
                if (i > 0)
                {
                    writer.Write(',');
                }

                writer.Write('"');
                writer.Write(fields[i].Contains('"', StringComparison.Ordinal) ? fields[i].Replace("\"", "\"\"", StringComparison.Ordinal) : fields[i]);
                writer.Write('"');
            }

            writer.WriteLine();
        }

        /// <summary>The hot row, without the array and the quote checks: ids and times never contain quotes.</summary>
        public void StopTime(string tripId, string time, string stopId, string sequence)
        {
            writer.Write('"');
            writer.Write(tripId);
            writer.Write("\",\"");
            writer.Write(time);
            writer.Write("\",\"");
            writer.Write(time);
            writer.Write("\",\"");
            writer.Write(stopId);
            writer.Write("\",\"");
            writer.Write(sequence);
            writer.Write("\",\"0\",\"0\"");
            writer.WriteLine();
        }
    }
}

public sealed record GtfsCounts(int Stops, int Routes, int Trips, long StopTimes);
