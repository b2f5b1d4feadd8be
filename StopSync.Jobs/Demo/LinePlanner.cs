using System.Globalization;

namespace StopSync.Jobs.Demo;

/// <summary>
/// The same stops both ways: direction 0 forwards ("H"), direction 1 backwards ("R"), at a fixed headway. Most trips run
/// the full pattern; <see cref="Variants"/> lets some turn short, skip stops or show another headsign.
/// </summary>
internal sealed record TransitLine(
    int Index,
    string RouteId,
    TransportOperator Operator,
    StopKind Kind,
    string ShortName,
    string RouteDescription,
    int RouteType,
    IReadOnlyList<ServicePoint> Stops,
    int TripsPerDirection,
    int FirstDepartureMinute,
    int HeadwayMinutes,
    int[] SegmentMinutes)
{
    public string OsmRoute => Kind switch { StopKind.Rail => "train", StopKind.Tram => "tram", _ => "bus" };

    /// <summary>Per direction (0, 1): the stop patterns its trips run; empty means every trip runs the full pattern.</summary>
    public IReadOnlyList<TripVariant>[] Variants { get; init; } = [[], []];

    /// <summary>The full pattern: every stop of the line, in the order of the direction (the OSM relations follow it).</summary>
    public IEnumerable<ServicePoint> StopsFor(int direction) => direction == 0 ? Stops : Stops.Reverse();

    /// <summary>The variant a trip runs, or null for the full pattern with the terminus as headsign.</summary>
    public TripVariant? VariantOf(int direction, int trip) =>
        Variants[direction].FirstOrDefault(v => v.Trips.Contains(trip));

    /// <summary>Which platform a trip of this line uses at a stop: one side of the road per direction, tracks spread over lines.</summary>
    public Platform PlatformAt(ServicePoint stop, int direction)
    {
        var platforms = stop.Platforms;
        return platforms.Count switch
        {
            1 => platforms[0],
            2 when Kind != StopKind.Rail => platforms[direction],
            _ => platforms[((Index * 2) + direction) % platforms.Count],
        };
    }

    /// <summary>Swiss GTFS trip ids: <c>&lt;n&gt;.TA.&lt;route_id&gt;.&lt;pattern&gt;.H|R</c>; direction 1 numbers after direction 0.</summary>
    public string TripId(int direction, int trip) =>
        $"{((direction * TripsPerDirection) + trip + 1).ToString(CultureInfo.InvariantCulture)}.TA.{RouteId}.{(direction + 1).ToString(CultureInfo.InvariantCulture)}.{(direction == 0 ? "H" : "R")}";
}

/// <param name="StopIndexes">Positions in <see cref="TransitLine.StopsFor"/> of its direction, ascending.</param>
/// <param name="Headsign">Null: the name of the last stop the trip calls at.</param>
/// <param name="Trips">Trip numbers (0 … TripsPerDirection − 1) of the direction that run this variant.</param>
internal sealed record TripVariant(string Kind, int[] StopIndexes, string? Headsign, IReadOnlySet<int> Trips);

/// <summary>Leaves some stops unserved, as the real timetable does for about a third of the platforms.</summary>
internal sealed class LinePlanner(GeneratorProfile profile, Random random)
{
    public const string ShortTurnStart = "short_turn_start";
    public const string ShortTurnEnd = "short_turn_end";
    public const string Express = "express";
    public const string OtherHeadsign = "other_headsign";

    private readonly List<TransitLine> _lines = [];
    private readonly HashSet<string> _routeIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _nextNumber = new(StringComparer.Ordinal);

    public List<TransitLine> Plan(StopLayout layout)
    {
        var byPlace = layout.ServicePoints.GroupBy(s => s.Place).ToList();
        foreach (var place in byPlace)
        {
            AddTownLines(place.Where(s => s.Kind == StopKind.Bus).ToList(), StopKind.Bus);
            AddTownLines(place.Where(s => s.Kind == StopKind.Tram).ToList(), StopKind.Tram);
            var aerialway = place.Where(s => s.Kind == StopKind.Aerialway).ToList();
            if (aerialway.Count == 2)
            {
                AddLine(aerialway[0].Operator, StopKind.Aerialway, aerialway, random.Next(10, 30));
            }
        }

        if (profile.Size != DatasetSize.Demo)
        {
            var busStops = new List<ServicePoint>[layout.Places.Count];
            foreach (var place in byPlace)
            {
                busStops[place.Key.Index] = place.Where(s => s.Kind == StopKind.Bus).ToList();
            }

            AddRegionalBusLines(layout, busStops);
        }

        AddTrainLines(layout.ServicePoints.Where(s => s.Kind == StopKind.Rail).ToList());

        // Drawn once the lines stand, from a source of its own, so the variants leave the lines themselves unchanged.
        var variants = new Random(random.Next());
        for (var i = 0; i < _lines.Count; i++)
        {
            _lines[i] = _lines[i] with { Variants = [PlanVariants(_lines[i], 0, variants), PlanVariants(_lines[i], 1, variants)] };
        }

        return _lines;
    }

    /// <summary>
    /// What a timetable shows beyond the full pattern: trips that start or end a few stops short (depot runs, peak
    /// reinforcements), express trips that skip intermediate stops, and a headsign "via" a stop. Together they stay
    /// under half the trips, so the full pattern keeps the majority that direction labels and the OSM relations follow.
    /// </summary>
    private static List<TripVariant> PlanVariants(TransitLine line, int direction, Random random)
    {
        var (stops, trips) = (line.Stops.Count, line.TripsPerDirection);
        var variants = new List<TripVariant>();
        if (stops < 4 || trips < 4 || line.Kind == StopKind.Aerialway)
        {
            return variants;
        }

        var free = Enumerable.Range(0, trips).OrderBy(_ => random.Next()).ToList();
        var budget = (trips - 1) / 2;
        void Add(string kind, int[] indexes, string? headsign, double share)
        {
            var count = Math.Min(budget, Math.Max(1, (int)Math.Round(trips * share)));
            if (count == 0)
            {
                return;
            }

            variants.Add(new TripVariant(kind, indexes, headsign, free.Take(count).ToHashSet()));
            free.RemoveRange(0, count);
            budget -= count;
        }

        var skip = stops >= 12 ? random.Next(1, 4) : 1;
        if (random.NextDouble() < 0.6)
        {
            Add(ShortTurnStart, Enumerable.Range(skip, stops - skip).ToArray(), null, 0.05 + (random.NextDouble() * 0.12));
        }

        skip = stops >= 12 ? random.Next(1, 4) : 1;
        if (random.NextDouble() < 0.6)
        {
            Add(ShortTurnEnd, Enumerable.Range(0, stops - skip).ToArray(), null, 0.05 + (random.NextDouble() * 0.12));
        }

        if (stops >= 7 && random.NextDouble() < 0.35)
        {
            // Keeps both termini and about half the intermediate stops, at least one of them skipped.
            var keep = Enumerable.Range(0, stops).Where(i => i == 0 || i == stops - 1 || random.NextDouble() < 0.55).ToArray();
            if (keep.Length < stops && keep.Length >= 3)
            {
                Add(Express, keep, null, 0.05 + (random.NextDouble() * 0.1));
            }
        }

        if (random.NextDouble() < 0.12)
        {
            var ordered = line.StopsFor(direction).ToList();
            Add(OtherHeadsign, Enumerable.Range(0, stops).ToArray(), $"{ordered[^1].Name} via {ordered[stops / 2].ShortName}", 0.1);
        }

        return variants;
    }

    private void AddTownLines(List<ServicePoint> stops, StopKind kind)
    {
        if (stops.Count < (kind == StopKind.Tram ? 3 : 5))
        {
            return;
        }

        // Beyond the demo's few streets, town buses run fewer and longer lines: about 4,000 routes at Swiss size, as the
        // real timetable has, rather than one line per eight stops.
        var demo = profile.Size == DatasetSize.Demo;
        var count = Math.Max(1, stops.Count / (kind == StopKind.Tram ? 10 : demo ? 8 : 16));
        for (var i = 0; i < count; i++)
        {
            var length = Math.Min(stops.Count, kind == StopKind.Tram ? random.Next(8, 19) : demo ? random.Next(8, 23) : random.Next(12, 31));
            var route = NearestChain(stops[random.Next(stops.Count)], stops, length);
            var trips = kind == StopKind.Tram ? random.Next(60, 111) : random.Next(20, 61);
            AddLine(stops[0].Operator, kind, route, trips);
        }
    }

    private void AddRegionalBusLines(StopLayout layout, List<ServicePoint>[] busStops)
    {
        var grid = new Dictionary<(int, int), List<Place>>();
        foreach (var place in layout.Places)
        {
            var key = GridKey(place.Centre);
            if (!grid.TryGetValue(key, out var cell))
            {
                grid[key] = cell = [];
            }

            cell.Add(place);
        }

        foreach (var start in layout.Places.Where(p => p.Tier != PlaceTier.City))
        {
            // About a third of the villages start a line of their own: the rest are on the lines passing through.
            if (random.NextDouble() > 0.35 || busStops[start.Index].Count == 0)
            {
                continue;
            }

            var visited = new HashSet<int> { start.Index };
            var chain = new List<Place> { start };
            var hops = random.Next(2, 6);
            for (var hop = 0; hop < hops; hop++)
            {
                var next = NearbyPlaces(grid, chain[^1].Centre)
                    .Where(p => !visited.Contains(p.Index) && busStops[p.Index].Count > 0 && p.Centre.DistanceMeters(chain[^1].Centre) < 12_000)
                    .OrderBy(p => p.Centre.DistanceMeters(chain[^1].Centre))
                    .ThenBy(p => p.Index)
                    .Skip(random.Next(2))
                    .FirstOrDefault();
                if (next is null)
                {
                    break;
                }

                visited.Add(next.Index);
                chain.Add(next);
            }

            if (chain.Count < 2)
            {
                continue;
            }

            var route = new List<ServicePoint>();
            foreach (var place in chain)
            {
                var candidates = busStops[place.Index];
                var first = route.Count == 0 ? candidates[random.Next(candidates.Count)] : candidates.MinBy(s => s.Position.DistanceMeters(route[^1].Position))!;
                route.AddRange(NearestChain(first, candidates, Math.Min(candidates.Count, random.Next(1, 5))));
            }

            AddLine(start.BusOperator, StopKind.Bus, route, random.Next(10, 33));
        }
    }

    /// <summary>A train keeps roughly the heading of its first hop, stopping at the nearest station ahead each time.</summary>
    private void AddTrainLines(List<ServicePoint> stations)
    {
        if (stations.Count < 2)
        {
            return;
        }

        var maxHop = profile.Size == DatasetSize.Demo ? 150_000 : 25_000;
        var unserved = new List<ServicePoint>(stations);
        var count = Math.Max(5, stations.Count / 5);
        for (var attempt = 0; attempt < count * 3 && (attempt < count || unserved.Count > 0); attempt++)
        {
            var pool = unserved.Count > 0 ? unserved : stations;
            var route = new List<ServicePoint> { pool[random.Next(pool.Count)] };
            var length = profile.Size == DatasetSize.Demo ? random.Next(3, 6) : random.Next(4, 17);
            double? heading = null;
            while (route.Count < length && NextStation(stations, route, heading, maxHop) is { } next)
            {
                heading = route[^1].Position.BearingTo(next.Position);
                route.Add(next);
            }

            if (route.Count >= 2)
            {
                unserved.RemoveAll(route.Contains);
                AddLine(route[0].Operator, StopKind.Rail, route, random.Next(16, 41));
            }
        }
    }

    private static ServicePoint? NextStation(List<ServicePoint> stations, List<ServicePoint> route, double? heading, double maxHop)
    {
        var from = route[^1].Position;
        var maxHopDegrees = maxHop / 111_000.0;
        // A cheap box test first: the haversine over every station for every hop is the slow part at Swiss size.
        return stations
            .Where(s => Math.Abs(s.Position.Lat - from.Lat) < maxHopDegrees && Math.Abs(s.Position.Lon - from.Lon) < maxHopDegrees * 1.5)
            .Where(s => !route.Contains(s))
            .Select(s => (Stop: s, Distance: s.Position.DistanceMeters(from)))
            .Where(c => c.Distance is > 1_000 && c.Distance < maxHop && (heading is not { } h || AngleBetween(from.BearingTo(c.Stop.Position), h) < 70))
            .OrderBy(c => c.Distance)
            .Select(c => c.Stop)
            .FirstOrDefault();
    }

    private void AddLine(TransportOperator op, StopKind kind, List<ServicePoint> stops, int trips)
    {
        var (shortName, description, routeType) = kind switch
        {
            StopKind.Rail => TrainCategory(op),
            StopKind.Tram => (NextNumber(op.RoutePrefix + "T", 1), "Tram", 900),
            StopKind.Aerialway => (NextNumber(op.RoutePrefix + "L", 1), "Luftseilbahn", 1300),
            // City buses count from 1; PostAuto and the regional companies use three-digit line numbers.
            _ => (NextNumber(op.RoutePrefix + "B", RealTowns.All.Any(t => t.CityOperator == op) ? 1 : 100), "Bus", 700),
        };

        var routeId = "";
        foreach (var variant in "AYBCDEFGHIJKLMNOPQRSTUVWXZ")
        {
            routeId = $"{op.RoutePrefix}-{shortName}-{variant}-j26-1";
            if (_routeIds.Add(routeId))
            {
                break;
            }
        }

        var segments = new int[stops.Count - 1];
        for (var i = 0; i < segments.Length; i++)
        {
            var meters = stops[i].Position.DistanceMeters(stops[i + 1].Position);
            segments[i] = kind switch
            {
                StopKind.Rail => 2 + (int)(meters / 1_300),
                StopKind.Aerialway => 6 + (int)(meters / 400),
                StopKind.Tram => 1 + (int)(meters / 350),
                _ => 1 + (int)(meters / 450),
            };
        }

        var scaledTrips = Math.Max(2, (int)Math.Round(trips * profile.TripsScale));
        var headway = Math.Max(5, (18 * 60) / scaledTrips);
        _lines.Add(new TransitLine(_lines.Count, routeId, op, kind, shortName, description, routeType, stops, scaledTrips,
            (5 * 60) + random.Next(0, 90), headway, segments));
    }

    private (string ShortName, string Description, int RouteType) TrainCategory(TransportOperator op)
    {
        var draw = random.NextDouble();
        return draw switch
        {
            < 0.45 => (NextNumber(op.RoutePrefix + "S", 1, "S"), "S-Bahn", 109),
            < 0.75 => (NextNumber(op.RoutePrefix + "R", 1, "R"), "Regio", 106),
            < 0.88 => (NextNumber(op.RoutePrefix + "RE", 1, "RE"), "RegioExpress", 106),
            < 0.96 => (NextNumber(op.RoutePrefix + "IR", 10, "IR"), "InterRegio", 103),
            _ => (NextNumber(op.RoutePrefix + "IC", 1, "IC"), "Intercity", 102),
        };
    }

    private string NextNumber(string counter, int start, string prefix = "")
    {
        var next = _nextNumber.TryGetValue(counter, out var value) ? value : start;
        _nextNumber[counter] = next + 1;
        return prefix + next.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Greedy nearest-neighbour walk: a line that wanders through the town instead of jumping across it.</summary>
    private static List<ServicePoint> NearestChain(ServicePoint start, List<ServicePoint> candidates, int length)
    {
        var chain = new List<ServicePoint> { start };
        var left = new List<ServicePoint>(candidates);
        left.Remove(start);
        while (chain.Count < length && left.Count > 0)
        {
            var last = chain[^1];
            var next = left.MinBy(s => s.Position.DistanceMeters(last.Position))!;
            left.Remove(next);
            chain.Add(next);
        }

        return chain;
    }

    private static IEnumerable<Place> NearbyPlaces(Dictionary<(int, int), List<Place>> grid, GeoPoint centre)
    {
        var (x, y) = GridKey(centre);
        for (var dx = -1; dx <= 1; dx++)
        {
            for (var dy = -1; dy <= 1; dy++)
            {
                if (grid.TryGetValue((x + dx, y + dy), out var cell))
                {
                    foreach (var place in cell)
                    {
                        yield return place;
                    }
                }
            }
        }
    }

    private static (int, int) GridKey(GeoPoint point) => ((int)Math.Floor(point.Lat / 0.12), (int)Math.Floor(point.Lon / 0.16));

    private static double AngleBetween(double a, double b)
    {
        var d = Math.Abs(a - b) % 360;
        return d > 180 ? 360 - d : d;
    }
}
