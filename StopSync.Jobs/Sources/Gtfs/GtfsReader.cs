using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using StopSync.Jobs.Sources.Atlas;
using nietras.SeparatedValues;

namespace StopSync.Jobs.Sources.Gtfs;

/// <summary>
/// Streams stop_times.txt once; what it keeps per row is three ints of a Swiss call, so memory grows with trips, stops
/// and calls, never with row objects (docs/06-sources.md#gtfs-timetable).
/// </summary>
public sealed class GtfsReader(ILogger<GtfsReader> logger)
{
    private const string UnknownStopName = "Unknown";
    // A route direction is one int: route index × 3 + direction code (0, 1, or 2 for none).
    private const int NoDirection = 2;
    private const int DirectionCodes = 3;

    private static readonly string[] StopColumns = ["stop_id", "stop_name", "stop_lat", "stop_lon"];
    private static readonly string[] RouteColumns = ["route_id"];
    private static readonly string[] TripColumns = ["trip_id", "route_id"];
    private static readonly string[] StopTimeColumns = ["trip_id", "stop_id", "stop_sequence"];

    public GtfsReadResult Read(
        string zipPath, IReadOnlyList<AtlasPlatform> atlas, Func<double, double, bool>? isInsideSwitzerland, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(atlas);
        ct.ThrowIfCancellationRequested();
        var stopwatch = Stopwatch.StartNew();

        using var archive = GtfsArchive.Open(zipPath);
        var pool = new StringPool();
        var stops = ReadStops(archive, pool, isInsideSwitzerland, ct);
        var routes = ReadRoutes(archive, pool, ct);
        var agencies = ReadAgencies(archive, pool, ct);
        var trips = ReadTrips(archive, pool, routes, ct);
        var calls = ReadStopTimes(archive, stops, trips, ct);

        var outcome = GtfsStopResolver.Resolve(stops.Swiss, atlas);
        var directions = LabelDirections(stops, trips, calls);
        var evidence = BuildEvidence(outcome.Resolutions, routes, trips, calls, directions);
        var servedRoutes = directions.Keys.Select(RouteIndexOf).Distinct().Select(index => trips.RouteIds[index])
            .Order(StringComparer.Ordinal).Select(id => routes.Describe(id)).ToList();
        var directionList = directions
            .Select(d => new GtfsRouteDirection(trips.RouteIds[RouteIndexOf(d.Key)], DirectionIdOf(d.Key), d.Value.Name, d.Value.TripCount))
            .OrderBy(d => d.RouteId, StringComparer.Ordinal).ThenBy(d => d.DirectionId, StringComparer.Ordinal).ToList();
        var itineraries = BuildItineraries(stops, trips, calls);

        var byMethod = Enum.GetValues<GtfsResolutionMethod>().ToDictionary(m => m, m => outcome.Resolutions.Count(r => r.Method == m));
        var counts = new GtfsReadCounts(
            stops.Counts, routes.Counts, trips.Counts, calls.Counts,
            stops.NotSwissPrefix, stops.OutsideBorder, stops.Swiss.Count, byMethod, outcome.CoordinateProximityConflicts,
            trips.WithUnknownRoute, calls.WithUnknownTrip, calls.WithUnknownStop, calls.ThroughSwiss.Count(through => through));

        logger.LogInformation(
            "Read GTFS {ZipPath} in {ElapsedMs} ms: {SwissStops} Swiss stops of {StopRows}, {Trips} trips, {StopTimes} stop_times; "
            + "resolved {OriginalStopId} by original_stop_id, {UicPlatform} by uic_platform, {Proximity} by coordinate_proximity, "
            + "{UniqueNumber} by unique_number, {Unmatched} unmatched; route evidence for {Sloids} sloids, {Itineraries} itineraries",
            zipPath, stopwatch.ElapsedMilliseconds, stops.Swiss.Count, stops.Counts.Rows, trips.Counts.Rows, calls.Counts.Rows,
            byMethod[GtfsResolutionMethod.OriginalStopId], byMethod[GtfsResolutionMethod.UicPlatform],
            byMethod[GtfsResolutionMethod.CoordinateProximity], byMethod[GtfsResolutionMethod.UniqueNumber],
            byMethod[GtfsResolutionMethod.Unmatched], evidence.Count, itineraries.Count);

        return new GtfsReadResult(stops.Swiss, outcome.Resolutions, evidence, servedRoutes, directionList, counts)
        {
            Itineraries = itineraries,
            Agencies = agencies,
        };
    }

    private StopTable ReadStops(GtfsArchive archive, StringPool pool, Func<double, double, bool>? isInsideSwitzerland, CancellationToken ct)
    {
        using var table = archive.OpenTable(GtfsArchive.Stops, StopColumns, logger);
        var stops = new StopTable();
        var (idCol, nameCol, latCol, lonCol) = (table.Column("stop_id"), table.Column("stop_name"), table.Column("stop_lat"), table.Column("stop_lon"));
        var (codeCol, platformCol, originalCol) = (table.Column("stop_code"), table.Column("platform_code"), table.Column("original_stop_id"));
        var (typeCol, parentCol, didokCol) = (table.Column("location_type"), table.Column("parent_station"), table.Column("didok"));
        try
        {
            foreach (var row in table.Reader)
            {
                if (!table.Accept(row, ct))
                {
                    continue;
                }

                var line = row.LineNumberFrom;

                var stopId = row[idCol].Span.Trim().ToString();
                if (stopId.Length == 0)
                {
                    table.Skip(line, "empty stop_id");
                    continue;
                }

                if (!TryCoordinate(row[latCol].Span, 90, out var lat) || !TryCoordinate(row[lonCol].Span, 180, out var lon))
                {
                    table.Skip(line, "stop_lat/stop_lon is not a finite coordinate");
                    continue;
                }

                if (stops.Index.ContainsKey(stopId))
                {
                    table.Skip(line, $"duplicate stop_id {stopId}");
                    continue;
                }

                var name = pool.Get(row[nameCol].Span.Trim());
                stops.Index.Add(stopId, stops.Names.Count);
                stops.Names.Add(name);
                stops.SwissPosition.Add(-1);

                var original = Optional(row, originalCol, pool);
                var didok = Optional(row, didokCol, pool);
                if (!GtfsStopIdentity.HasSwissPrefix(stopId, original, didok))
                {
                    stops.NotSwissPrefix++;
                    continue;
                }

                if (isInsideSwitzerland is not null && !isInsideSwitzerland(lat, lon))
                {
                    stops.OutsideBorder++;
                    continue;
                }

                var stopCode = Optional(row, codeCol, pool);
                var platformCode = Optional(row, platformCol, pool);
                var locationType = Optional(row, typeCol, pool);
                var parent = Optional(row, parentCol, pool);
                var (uic, localRef) = GtfsStopIdentity.Parse(stopId, original, didok, stopCode);
                var normalizedLocalRef = GtfsStopIdentity.NormalizePlatform(localRef) ?? GtfsStopIdentity.NormalizePlatform(platformCode);
                var level = GtfsStopIdentity.LevelOf(locationType, platformCode, normalizedLocalRef, parent);

                stops.SwissPosition[^1] = stops.Swiss.Count;
                stops.Swiss.Add(new GtfsStop(
                    stopId, name, lat, lon, stopCode, uic, localRef, normalizedLocalRef, platformCode, original, locationType, parent, didok, level));
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            throw table.Corrupt(ex);
        }

        table.LogMalformedTotal();
        if (stops.Names.Count == 0)
        {
            throw table.Invalid("has no usable stop rows");
        }

        if (stops.Swiss.Count == 0)
        {
            throw table.Invalid(
                $"has no Swiss stops: none of its {stops.Names.Count} stops has a didok, original_stop_id or stop_id starting with 85 "
                + "inside the border");
        }

        stops.Counts = table.Counts;
        return stops;
    }

    private RouteTable ReadRoutes(GtfsArchive archive, StringPool pool, CancellationToken ct)
    {
        using var table = archive.OpenTable(GtfsArchive.Routes, RouteColumns, logger);
        var routes = new RouteTable();
        var idCol = table.Column("route_id");
        var (agencyCol, shortCol, longCol) = (table.Column("agency_id"), table.Column("route_short_name"), table.Column("route_long_name"));
        var (descCol, typeCol) = (table.Column("route_desc"), table.Column("route_type"));
        try
        {
            foreach (var row in table.Reader)
            {
                if (!table.Accept(row, ct))
                {
                    continue;
                }


                var routeId = pool.Get(row[idCol].Span.Trim());
                if (routeId.Length == 0 || routes.ById.ContainsKey(routeId))
                {
                    table.Skip(row.LineNumberFrom, routeId.Length == 0 ? "empty route_id" : $"duplicate route_id {routeId}");
                    continue;
                }

                routes.ById.Add(routeId, new GtfsRoute(
                    routeId,
                    GtfsStopIdentity.NormalizeRouteId(routeId),
                    Optional(row, agencyCol, pool),
                    Optional(row, shortCol, pool),
                    Optional(row, longCol, pool),
                    Optional(row, descCol, pool),
                    Optional(row, typeCol, pool)));
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            throw table.Corrupt(ex);
        }

        table.LogMalformedTotal();
        routes.Counts = table.Counts;
        return routes;
    }

    /// <summary>agency.txt is optional: without it, or without an agency_name column, families fall back to the agency_id.</summary>
    private List<GtfsAgency> ReadAgencies(GtfsArchive archive, StringPool pool, CancellationToken ct)
    {
        var agencies = new List<GtfsAgency>();
        if (!archive.Has(GtfsArchive.Agency))
        {
            return agencies;
        }

        using var table = archive.OpenTable(GtfsArchive.Agency, [], logger);
        var (idCol, nameCol) = (table.Column("agency_id"), table.Column("agency_name"));
        if (nameCol < 0)
        {
            logger.LogWarning("GTFS {Entry} has no agency_name column; operators fall back to agency ids", GtfsArchive.Agency);
            return agencies;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var row in table.Reader)
            {
                if (!table.Accept(row, ct))
                {
                    continue;
                }

                var id = Optional(row, idCol, pool);
                var name = pool.Get(row[nameCol].Span.Trim());
                if (name.Length == 0 || !seen.Add(id ?? string.Empty))
                {
                    table.Skip(row.LineNumberFrom, name.Length == 0 ? "empty agency_name" : $"duplicate agency_id {id}");
                    continue;
                }

                agencies.Add(new GtfsAgency(id, name));
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            throw table.Corrupt(ex);
        }

        table.LogMalformedTotal();
        return agencies;
    }

    private TripTable ReadTrips(GtfsArchive archive, StringPool pool, RouteTable routes, CancellationToken ct)
    {
        using var table = archive.OpenTable(GtfsArchive.Trips, TripColumns, logger);
        var trips = new TripTable();
        var (idCol, routeCol, directionCol) = (table.Column("trip_id"), table.Column("route_id"), table.Column("direction_id"));
        var (headsignCol, shortNameCol) = (table.Column("trip_headsign"), table.Column("trip_short_name"));
        try
        {
            foreach (var row in table.Reader)
            {
                if (!table.Accept(row, ct))
                {
                    continue;
                }

                var line = row.LineNumberFrom;

                var tripId = row[idCol].Span.Trim();
                var routeId = row[routeCol].Span.Trim();
                if (tripId.IsEmpty || routeId.IsEmpty)
                {
                    table.Skip(line, "empty trip_id or route_id");
                    continue;
                }

                var tripKey = tripId.ToString();
                if (!trips.Index.TryAdd(tripKey, trips.RouteDirections.Count))
                {
                    table.Skip(line, $"duplicate trip_id {tripKey}");
                    continue;
                }

                var route = pool.Get(routeId);
                if (!trips.RouteIndex.TryGetValue(route, out var routeIndex))
                {
                    routeIndex = trips.RouteIds.Count;
                    trips.RouteIndex.Add(route, routeIndex);
                    trips.RouteIds.Add(route);
                    if (!routes.ById.ContainsKey(route))
                    {
                        trips.RoutesNotListed.Add(route);
                    }
                }

                if (trips.RoutesNotListed.Contains(route))
                {
                    trips.WithUnknownRoute++;
                }

                var direction = directionCol < 0 ? default : row[directionCol].Span.Trim();
                var directionCode = direction is "0" ? 0 : direction is "1" ? 1 : NoDirection;
                trips.RouteDirections.Add((routeIndex * DirectionCodes) + directionCode);
                var headsign = Optional(row, headsignCol, pool);
                trips.Headsigns.Add(headsign);

                // The short name only stands in for a missing headsign; train numbers are nearly unique per trip, so
                // pooling them for every trip would cost a string each.
                trips.ShortNames.Add(headsign is null ? Optional(row, shortNameCol, pool) : null);
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            throw table.Corrupt(ex);
        }

        table.LogMalformedTotal();
        trips.Counts = table.Counts;
        return trips;
    }

    /// <summary>Rows are never materialised: ids are looked up as spans.</summary>
    private StopTimeSummary ReadStopTimes(GtfsArchive archive, StopTable stops, TripTable trips, CancellationToken ct)
    {
        using var table = archive.OpenTable(GtfsArchive.StopTimes, StopTimeColumns, logger);
        var tripCount = trips.RouteDirections.Count;
        var summary = new StopTimeSummary(tripCount);
        var firstSequence = new int[tripCount];
        var lastSequence = new int[tripCount];
        Array.Fill(firstSequence, int.MaxValue);
        Array.Fill(lastSequence, int.MinValue);

        var tripLookup = trips.Index.GetAlternateLookup<ReadOnlySpan<char>>();
        var stopLookup = stops.Index.GetAlternateLookup<ReadOnlySpan<char>>();
        var swissPosition = stops.SwissPosition.ToArray();
        var routeDirections = trips.RouteDirections.ToArray();
        var (tripCol, stopCol, sequenceCol, columnCount) = (table.Column("trip_id"), table.Column("stop_id"), table.Column("stop_sequence"), table.ColumnCount);

        // Feeds list a trip's stop_times together, so the previous row's trip usually saves the dictionary lookup.
        var previousTrip = new char[64];
        var previousTripLength = -1;
        var previousTripIndex = -1;
        var rows = 0;

        // Every Swiss call as three ints in file order; ordered per trip once the file is read (TripCalls.Pack).
        var (callTrips, callSequences, callStops) = (new List<int>(), new List<int>(), new List<int>());
        try
        {
            foreach (var row in table.Reader)
            {
                if (row.ColCount != columnCount)
                {
                    if (GtfsTable.IsBlank(row))
                    {
                        continue;
                    }

                    rows++;
                    table.Skip(row.LineNumberFrom, $"{row.ColCount} fields instead of {columnCount}");
                    continue;
                }

                // The same checks as GtfsTable.Accept, reordered for the hottest loop: the field count first.
                if ((++rows & GtfsTable.CancellationCheckMask) == 0)
                {
                    ct.ThrowIfCancellationRequested();
                }

                if (!int.TryParse(row[sequenceCol].Span.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var sequence))
                {
                    table.Skip(row.LineNumberFrom, "stop_sequence is not an integer");
                    continue;
                }

                var tripId = row[tripCol].Span.Trim();
                int trip;
                if (previousTripLength >= 0 && tripId.SequenceEqual(previousTrip.AsSpan(0, previousTripLength)))
                {
                    trip = previousTripIndex;
                }
                else
                {
                    if (!tripLookup.TryGetValue(tripId, out trip))
                    {
                        trip = -1;
                    }

                    if (tripId.Length > previousTrip.Length)
                    {
                        previousTrip = new char[tripId.Length * 2];
                    }

                    tripId.CopyTo(previousTrip);
                    previousTripLength = tripId.Length;
                    previousTripIndex = trip;
                }

                if (trip < 0)
                {
                    summary.WithUnknownTrip++;
                    continue;
                }

                if (!stopLookup.TryGetValue(row[stopCol].Span.Trim(), out var stop))
                {
                    stop = -1;
                    summary.WithUnknownStop++;
                }

                if (sequence < firstSequence[trip])
                {
                    firstSequence[trip] = sequence;
                    summary.FirstStop[trip] = stop;
                }

                if (sequence > lastSequence[trip])
                {
                    lastSequence[trip] = sequence;
                    summary.LastStop[trip] = stop;
                }

                if (stop >= 0 && swissPosition[stop] is var position and >= 0)
                {
                    summary.ThroughSwiss[trip] = true;
                    summary.SwissCalls.Add(((long)routeDirections[trip] << 32) | (uint)position);
                    callTrips.Add(trip);
                    callSequences.Add(sequence);
                    callStops.Add(position);
                }
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            throw table.Corrupt(ex);
        }

        table.Rows = rows;
        table.LogMalformedTotal();
        summary.Counts = table.Counts;
        summary.Calls = TripCalls.Pack(tripCount, callTrips, callSequences, callStops);
        return summary;
    }

    /// <summary>Termini are tallied by name, so platforms of one station count together.</summary>
    private static Dictionary<int, (string Name, int TripCount)> LabelDirections(StopTable stops, TripTable trips, StopTimeSummary calls)
    {
        var tallies = new Dictionary<int, Dictionary<(string First, string Last), (int Count, int FirstTrip)>>();
        for (var trip = 0; trip < trips.RouteDirections.Count; trip++)
        {
            if (!calls.ThroughSwiss[trip])
            {
                continue;
            }

            var routeDirection = trips.RouteDirections[trip];
            if (!tallies.TryGetValue(routeDirection, out var pairs))
            {
                tallies[routeDirection] = pairs = [];
            }

            var pair = (NameOf(stops, calls.FirstStop[trip]), NameOf(stops, calls.LastStop[trip]));
            pairs[pair] = pairs.TryGetValue(pair, out var tally) ? (tally.Count + 1, tally.FirstTrip) : (1, trip);
        }

        return tallies.ToDictionary(
            t => t.Key,
            t =>
            {
                var best = t.Value.OrderByDescending(p => p.Value.Count).ThenBy(p => p.Value.FirstTrip).First().Key;
                return ($"{best.First} → {best.Last}", t.Value.Values.Sum(v => v.Count));
            });
    }

    private static Dictionary<string, IReadOnlyList<RouteEvidence>> BuildEvidence(
        IReadOnlyList<GtfsStopResolution> resolutions,
        RouteTable routes,
        TripTable trips,
        StopTimeSummary calls,
        Dictionary<int, (string Name, int TripCount)> directions)
    {
        // One entry per distinct (sloid, route, direction), however many stop_ids resolve to the sloid.
        var perSloid = new Dictionary<string, HashSet<int>>(StringComparer.Ordinal);
        foreach (var call in calls.SwissCalls)
        {
            var routeDirection = (int)(call >> 32);
            foreach (var sloid in resolutions[(int)(call & uint.MaxValue)].Sloids)
            {
                if (!perSloid.TryGetValue(sloid, out var set))
                {
                    perSloid[sloid] = set = [];
                }

                set.Add(routeDirection);
            }
        }

        return perSloid.ToDictionary(
            p => p.Key,
            p => (IReadOnlyList<RouteEvidence>)p.Value
                .Select(routeDirection =>
                {
                    var route = routes.Describe(trips.RouteIds[RouteIndexOf(routeDirection)]);
                    return new RouteEvidence(
                        route.RouteId, route.RouteIdNormalized, route.ShortName, route.LongName,
                        DirectionIdOf(routeDirection), directions[routeDirection].Name);
                })
                .OrderBy(e => e.RouteId, StringComparer.Ordinal).ThenBy(e => e.DirectionId, StringComparer.Ordinal)
                .ToList(),
            StringComparer.Ordinal);
    }

    /// <summary>Trips with the same route direction and the same ordered Swiss stops form one itinerary.</summary>
    private static List<GtfsItinerary> BuildItineraries(StopTable stops, TripTable trips, StopTimeSummary summary)
    {
        var calls = summary.Calls;
        var patterns = new Dictionary<PatternKey, int>(new PatternComparer(calls.Stops));
        var patternKeys = new List<PatternKey>();
        var patternTrips = new List<int>();
        var tripPattern = new int[trips.RouteDirections.Count];
        for (var trip = 0; trip < tripPattern.Length; trip++)
        {
            var (start, length) = (calls.Offsets[trip], calls.Offsets[trip + 1] - calls.Offsets[trip]);
            if (length == 0)
            {
                tripPattern[trip] = -1;
                continue;
            }

            var key = new PatternKey(trips.RouteDirections[trip], start, length, PatternComparer.HashOf(calls.Stops.AsSpan(start, length)));
            if (!patterns.TryGetValue(key, out var pattern))
            {
                pattern = patternKeys.Count;
                patterns.Add(key, pattern);
                patternKeys.Add(key);
                patternTrips.Add(0);
            }

            patternTrips[pattern]++;
            tripPattern[trip] = pattern;
        }

        var headsigns = MostCommonPerPattern(tripPattern, trips.Headsigns, patternKeys.Count);
        var shortNames = MostCommonPerPattern(tripPattern, trips.ShortNames, patternKeys.Count);
        var itineraries = new List<GtfsItinerary>(patternKeys.Count);
        for (var pattern = 0; pattern < patternKeys.Count; pattern++)
        {
            var key = patternKeys[pattern];
            var positions = calls.Stops.AsSpan(key.Start, key.Length).ToArray();
            itineraries.Add(new GtfsItinerary(
                trips.RouteIds[RouteIndexOf(key.RouteDirection)],
                DirectionIdOf(key.RouteDirection),
                PatternHash(stops.Swiss, positions),
                headsigns[pattern] ?? shortNames[pattern],
                patternTrips[pattern],
                positions));
        }

        return itineraries.OrderBy(i => i.ItineraryId, StringComparer.Ordinal).ToList();
    }

    /// <summary>Per pattern the most frequent non-empty value over its trips; ties go to the value met first in trips.txt.</summary>
    private static string?[] MostCommonPerPattern(int[] tripPattern, List<string?> values, int patternCount)
    {
        var tallies = new Dictionary<(int Pattern, string Value), (int Count, int FirstTrip)>();
        for (var trip = 0; trip < tripPattern.Length; trip++)
        {
            if (tripPattern[trip] >= 0 && values[trip] is { } value)
            {
                var key = (tripPattern[trip], value);
                tallies[key] = tallies.TryGetValue(key, out var tally) ? (tally.Count + 1, tally.FirstTrip) : (1, trip);
            }
        }

        var best = new string?[patternCount];
        var bestTally = new (int Count, int FirstTrip)[patternCount];
        foreach (var ((pattern, value), tally) in tallies)
        {
            var current = bestTally[pattern];
            if (best[pattern] is null || tally.Count > current.Count || (tally.Count == current.Count && tally.FirstTrip < current.FirstTrip))
            {
                best[pattern] = value;
                bestTally[pattern] = tally;
            }
        }

        return best;
    }

    /// <summary>The first 12 hex digits of SHA-256 over the stop_ids joined by "\n": 48 bits, unique within a route direction.</summary>
    private static string PatternHash(List<GtfsStop> swiss, int[] positions)
    {
        var text = string.Join('\n', positions.Select(p => swiss[p].StopId));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        return Convert.ToHexStringLower(hash.AsSpan(0, 6));
    }

    private static string NameOf(StopTable stops, int stop) => stop >= 0 ? stops.Names[stop] : UnknownStopName;

    private static int RouteIndexOf(int routeDirection) => routeDirection / DirectionCodes;

    private static string? DirectionIdOf(int routeDirection) => (routeDirection % DirectionCodes) switch
    {
        0 => "0",
        1 => "1",
        _ => null,
    };

    private static string? Optional(SepReader.Row row, int column, StringPool pool) =>
        column < 0 ? null : pool.GetOrNull(row[column].Span.Trim());

    private static bool TryCoordinate(ReadOnlySpan<char> text, double limit, out double value) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value)
        && double.IsFinite(value) && Math.Abs(value) <= limit;

    private sealed class StopTable
    {
        public Dictionary<string, int> Index { get; } = new(StringComparer.Ordinal);

        public List<string> Names { get; } = [];

        /// <summary>For every stop index, its position in <see cref="Swiss"/>, or -1.</summary>
        public List<int> SwissPosition { get; } = [];

        public List<GtfsStop> Swiss { get; } = [];

        public int NotSwissPrefix { get; set; }

        public int OutsideBorder { get; set; }

        public GtfsFileCounts Counts { get; set; } = new(0, 0);
    }

    private sealed class RouteTable
    {
        public Dictionary<string, GtfsRoute> ById { get; } = new(StringComparer.Ordinal);

        public GtfsFileCounts Counts { get; set; } = new(0, 0);

        /// <summary>The routes.txt row, or a bare family for a route_id that trips use but routes.txt lacks.</summary>
        public GtfsRoute Describe(string routeId) =>
            ById.GetValueOrDefault(routeId) ?? new GtfsRoute(routeId, GtfsStopIdentity.NormalizeRouteId(routeId), null, null, null, null, null);
    }

    private sealed class TripTable
    {
        public Dictionary<string, int> Index { get; } = new(StringComparer.Ordinal);

        /// <summary>Per trip: its route direction (route index × 3 + direction code).</summary>
        public List<int> RouteDirections { get; } = [];

        public List<string> RouteIds { get; } = [];

        /// <summary>Per trip: trip_headsign, pooled, null when empty or the column is missing.</summary>
        public List<string?> Headsigns { get; } = [];

        /// <summary>Per trip: trip_short_name when the trip has no headsign, else null.</summary>
        public List<string?> ShortNames { get; } = [];

        public Dictionary<string, int> RouteIndex { get; } = new(StringComparer.Ordinal);

        public HashSet<string> RoutesNotListed { get; } = new(StringComparer.Ordinal);

        public int WithUnknownRoute { get; set; }

        public GtfsFileCounts Counts { get; set; } = new(0, 0);
    }

    private sealed class StopTimeSummary(int tripCount)
    {
        public int[] FirstStop { get; } = new int[tripCount];

        public int[] LastStop { get; } = new int[tripCount];

        public bool[] ThroughSwiss { get; } = new bool[tripCount];

        /// <summary>(route-direction &lt;&lt; 32) | Swiss stop position, for every distinct Swiss call.</summary>
        public HashSet<long> SwissCalls { get; } = [];

        public TripCalls Calls { get; set; } = TripCalls.Empty;

        public int WithUnknownTrip { get; set; }

        public int WithUnknownStop { get; set; }

        public GtfsFileCounts Counts { get; set; } = new(0, 0);
    }

    /// <summary>Per trip its Swiss calls in stop_sequence order: trip t owns <c>Stops[Offsets[t]..Offsets[t + 1]]</c>.</summary>
    private sealed class TripCalls(int[] offsets, int[] stops)
    {
        public static TripCalls Empty { get; } = new([0], []);

        public int[] Offsets => offsets;

        /// <summary>Positions in the Swiss stop list.</summary>
        public int[] Stops => stops;

        /// <summary>
        /// A counting sort by trip keeps file order inside each trip, so only a trip whose rows are out of stop_sequence
        /// order pays for a sort; feeds usually list a trip's rows together and in order, but GTFS does not require it.
        /// </summary>
        public static TripCalls Pack(int tripCount, List<int> callTrips, List<int> callSequences, List<int> callStops)
        {
            var offsets = new int[tripCount + 1];
            foreach (var trip in callTrips)
            {
                offsets[trip + 1]++;
            }

            for (var trip = 0; trip < tripCount; trip++)
            {
                offsets[trip + 1] += offsets[trip];
            }

            var next = offsets[..^1];
            var stops = new int[callTrips.Count];
            var sequences = new int[callTrips.Count];
            for (var i = 0; i < callTrips.Count; i++)
            {
                var slot = next[callTrips[i]]++;
                stops[slot] = callStops[i];
                sequences[slot] = callSequences[i];
            }

            for (var trip = 0; trip < tripCount; trip++)
            {
                var (start, length) = (offsets[trip], offsets[trip + 1] - offsets[trip]);
                if (!IsAscending(sequences.AsSpan(start, length)))
                {
                    Array.Sort(sequences, stops, start, length);
                }
            }

            return new TripCalls(offsets, stops);
        }

        private static bool IsAscending(ReadOnlySpan<int> values)
        {
            for (var i = 1; i < values.Length; i++)
            {
                if (values[i] < values[i - 1])
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>A trip's stop pattern as a slice of <see cref="TripCalls.Stops"/>, with its hash computed once.</summary>
    private readonly record struct PatternKey(int RouteDirection, int Start, int Length, int Hash);

    private sealed class PatternComparer(int[] stops) : IEqualityComparer<PatternKey>
    {
        public static int HashOf(ReadOnlySpan<int> pattern)
        {
            var hash = default(HashCode);
            foreach (var stop in pattern)
            {
                hash.Add(stop);
            }

            return hash.ToHashCode();
        }

        public bool Equals(PatternKey x, PatternKey y) =>
            x.RouteDirection == y.RouteDirection && x.Length == y.Length && x.Hash == y.Hash
            && stops.AsSpan(x.Start, x.Length).SequenceEqual(stops.AsSpan(y.Start, y.Length));

        public int GetHashCode(PatternKey obj) => HashCode.Combine(obj.RouteDirection, obj.Hash);
    }
}
