using System.Globalization;

namespace StopSync.Jobs.Demo;

/// <summary>
/// PTv2 relations and some PTv1 ones, with the gaps of real data: unmapped lines, missing stops and tags. Then the
/// mistakes route matching finds, route_master relations and lines only OSM knows, drawn from the same random source
/// only after every relation is drawn, so adding them changed none of the relations' own draws.
/// </summary>
internal sealed class RouteRelationBuilder(Random random)
{
    // Low rates: a few per town, so the route problems stay the exception they are in the real data.
    private const double SwapShare = 0.03;
    private const double OtherPlatformShare = 0.03;
    private const double ExtraStopShare = 0.03;
    private const double RefDiffersShare = 0.02;
    private const double OperatorDiffersShare = 0.02;
    private const double RouteMasterShare = 0.8;
    private const double MasterRouteIdShare = 0.4;

    // Operators a mapper may have typed instead of the right one: made up, and no generated operator's name contains
    // one of them or is contained in one, so route matching sees a real difference.
    private static readonly string[] WrongOperators = ["Regionalverkehr Mittelland", "Autolinee Lombarde", "Transports du Lac"];

    private static readonly (string Kind, bool BothWays)[] OsmOnlyKinds =
    [
        ("Schulbus", false), ("Nostalgiebus", true), ("Ortsbus", true), ("Extrabus", false),
    ];

    private long _nextId = 1_500_000;

    public void Build(IEnumerable<TransitLine> lines, OsmMap map)
    {
        var served = lines.ToList();
        var built = new List<BuiltRoute>();
        foreach (var line in served.Where(l => l.Kind != StopKind.Aerialway))
        {
            for (var direction = 0; direction < 2; direction++)
            {
                if (random.NextDouble() < 0.06)
                {
                    continue;
                }

                if (BuildRelation(line, direction, map) is { } route)
                {
                    map.Relations.Add(route.Relation);
                    built.Add(route);
                }
            }
        }

        AddMemberMistakes(built, map, [.. served.SelectMany(l => l.Stops).DistinctBy(s => s.Index).OrderBy(s => s.Index)]);
        AddLineLevel(built, map);

        AddOsmOnlyRoutes(served, map);
    }

    private BuiltRoute? BuildRelation(TransitLine line, int direction, OsmMap map)
    {
        var ptv2 = random.NextDouble() < 0.85;
        var groups = new List<StopGroup>();
        foreach (var stop in line.StopsFor(direction))
        {
            var counterpart = map.Counterparts[line.PlatformAt(stop, direction).Index];
            if (counterpart.PlatformElement is null || random.NextDouble() < 0.04)
            {
                continue;
            }

            groups.Add(new StopGroup(stop, Members(counterpart, ptv2)));
        }

        if (groups.Sum(g => g.Members.Count) < 2)
        {
            return null;
        }

        var stops = line.StopsFor(direction).ToList();
        var from = stops[0].Name;
        var to = stops[^1].Name;
        var tags = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["type"] = "route",
            ["route"] = line.OsmRoute,
            ["name"] = $"{Label(line)}{line.ShortName}: {from} => {to}",
            ["ref"] = line.ShortName,
            ["operator"] = line.Operator.OsmOperator,
            ["network"] = stops[0].Place.Network,
            ["from"] = from,
            ["to"] = to,
            ["public_transport:version"] = ptv2 ? "2" : "1",
        };
        if (random.NextDouble() < 0.8)
        {
            tags["gtfs:route_id"] = line.RouteId;
        }

        if (random.NextDouble() < 0.75)
        {
            var count = Math.Min(line.TripsPerDirection, random.Next(1, 4));
            var first = random.Next(line.TripsPerDirection - count + 1);
            tags["ref_trips"] = string.Join(',', Enumerable.Range(first, count).Select(t => line.TripId(direction, t)));
        }

        var relation = NewRelation(tags, [.. groups.SelectMany(g => g.Members)]);
        return new BuiltRoute(line, direction, ptv2, relation, groups);
    }

    private static List<OsmRelationMember> Members(PlatformCounterpart counterpart, bool ptv2)
    {
        if (!ptv2)
        {
            return [new OsmRelationMember(counterpart.StopElement ?? counterpart.PlatformElement!, "")];
        }

        return counterpart.StopElement is null
            ? [new OsmRelationMember(counterpart.PlatformElement!, "platform")]
            : [new OsmRelationMember(counterpart.StopElement, "stop"), new OsmRelationMember(counterpart.PlatformElement!, "platform")];
    }

    private static string Label(TransitLine line) => line.Kind switch { StopKind.Bus => "Bus ", StopKind.Tram => "Tram ", _ => "" };

    /// <summary>
    /// The membership mistakes (two stops swapped, a stop at the station's other platform, a stop the line does not
    /// serve), each drawn per relation; a kind that no relation naming its route id and trips drew goes to one such
    /// relation that can take it, so even the demo shows every kind to route matching.
    /// </summary>
    private void AddMemberMistakes(List<BuiltRoute> routes, OsmMap map, List<ServicePoint> servedStops)
    {
        Func<BuiltRoute, bool>[] mistakes = [SwapTwoStops, r => UseOtherPlatform(r, map), r => AddExtraStop(r, map, servedStops)];
        double[] shares = [SwapShare, OtherPlatformShare, ExtraStopShare];
        var changed = new HashSet<BuiltRoute>(ReferenceEqualityComparer.Instance);
        for (var kind = 0; kind < mistakes.Length; kind++)
        {
            var made = 0;
            foreach (var route in routes)
            {
                if (random.NextDouble() < shares[kind] && mistakes[kind](route))
                {
                    made += Traceable(route.Relation) ? 1 : 0;
                    changed.Add(route);
                }
            }

            // Route matching compares only relations that say their route id and direction: one of those must show it.
            var untouched = routes.Where(r => !changed.Contains(r) && Traceable(r.Relation)).ToList();
            while (made == 0 && untouched.Count > 0)
            {
                var route = untouched[random.Next(untouched.Count)];
                untouched.Remove(route);
                if (mistakes[kind](route))
                {
                    made++;
                    changed.Add(route);
                }
            }
        }

        foreach (var route in changed)
        {
            route.Relation.Members.Clear();
            route.Relation.Members.AddRange(route.Groups.SelectMany(g => g.Members));
        }
    }

    private static bool Traceable(OsmRelationSpec relation) => relation.Tags.ContainsKey("gtfs:route_id") && relation.Tags.ContainsKey("ref_trips");

    private bool SwapTwoStops(BuiltRoute route)
    {
        var groups = route.Groups;
        if (groups.Count < 4)
        {
            return false;
        }

        var i = random.Next(1, groups.Count - 2);
        (groups[i], groups[i + 1]) = (groups[i + 1], groups[i]);
        return true;
    }

    private bool UseOtherPlatform(BuiltRoute route, OsmMap map)
    {
        var candidates = route.Groups.Select((g, i) => (Group: g, Index: i, Other: OtherPlatform(route, g.Stop, map)))
            .Where(x => x.Other is not null)
            .ToList();
        if (candidates.Count == 0)
        {
            return false;
        }

        var (group, index, other) = candidates[random.Next(candidates.Count)];
        route.Groups[index] = group with { Members = Members(other!, route.Ptv2) };
        return true;
    }

    /// <summary>A detour through one of the three served stops of the same kind nearest to the stop before it.</summary>
    private bool AddExtraStop(BuiltRoute route, OsmMap map, List<ServicePoint> servedStops)
    {
        var groups = route.Groups;
        if (groups.Count < 2)
        {
            return false;
        }

        var at = random.Next(1, groups.Count);
        var before = groups[at - 1].Stop;
        var onLine = route.Line.Stops.Select(s => s.Index).ToHashSet();
        var nearest = servedStops
            .Where(s => s.Kind == route.Line.Kind && !onLine.Contains(s.Index) && map.Counterparts[s.Platforms[0].Index].PlatformElement is not null)
            .OrderBy(s => s.Position.DistanceMeters(before.Position))
            .ThenBy(s => s.Index)
            .Take(3)
            .ToList();
        if (nearest.Count == 0)
        {
            return false;
        }

        var stop = nearest[random.Next(nearest.Count)];
        groups.Insert(at, new StopGroup(stop, Members(map.Counterparts[stop.Platforms[0].Index], route.Ptv2)));
        return true;
    }

    /// <summary>The mapped platform of the same stop that the line's own direction does not use.</summary>
    private static PlatformCounterpart? OtherPlatform(BuiltRoute route, ServicePoint stop, OsmMap map)
    {
        var own = route.Line.PlatformAt(stop, route.Direction);
        return stop.Platforms.Where(p => p.Index != own.Index)
            .Select(p => map.Counterparts[p.Index])
            .FirstOrDefault(c => c.PlatformElement is not null);
    }

    /// <summary>
    /// The ref or operator a mapper got wrong for a whole line (at least one line each, with a gtfs:route_id so route
    /// matching pairs it with its timetable line), then route_masters over most lines' relations.
    /// </summary>
    private void AddLineLevel(List<BuiltRoute> routes, OsmMap map)
    {
        var lines = routes.GroupBy(r => r.Line.Index).Select(g => (g.First().Line, Relations: g.Select(r => r.Relation).ToList())).ToList();
        if (lines.Count == 0)
        {
            return;
        }

        var wrongRef = lines.Select(_ => random.NextDouble() < RefDiffersShare).ToArray();
        var wrongOperator = lines.Select(_ => random.NextDouble() < OperatorDiffersShare).ToArray();
        var traceable = Enumerable.Range(0, lines.Count).Where(i => lines[i].Relations.Any(Traceable)).ToList();
        if (!traceable.Any(i => wrongRef[i]) && traceable.Count > 0)
        {
            wrongRef[traceable[random.Next(traceable.Count)]] = true;
        }

        if (!traceable.Any(i => wrongOperator[i]) && traceable.Count > 0)
        {
            wrongOperator[traceable[random.Next(traceable.Count)]] = true;
        }

        for (var i = 0; i < lines.Count; i++)
        {
            var (line, relations) = lines[i];
            var operatorTag = line.Operator.OsmOperator;
            if (wrongOperator[i])
            {
                var choices = WrongOperators.Where(o => !Overlaps(o, line.Operator)).ToList();
                operatorTag = choices[random.Next(choices.Count)];
            }

            // "E" as in Eilkurs: a plausible ref that still is not the timetable's.
            var refTag = wrongRef[i] ? line.ShortName + "E" : line.ShortName;
            foreach (var relation in relations)
            {
                relation.Tags["ref"] = refTag;
                relation.Tags["operator"] = operatorTag;
            }

            if (random.NextDouble() >= RouteMasterShare)
            {
                continue;
            }

            var tags = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["type"] = "route_master",
                ["route_master"] = line.OsmRoute,
                ["name"] = $"{Label(line)}{line.ShortName}".Trim(),
                ["ref"] = refTag,
                ["operator"] = operatorTag,
                ["network"] = line.Stops[0].Place.Network,
            };
            if (random.NextDouble() < MasterRouteIdShare)
            {
                tags["gtfs:route_id"] = line.RouteId;
            }

            map.RouteMasters.Add(new OsmRouteMasterSpec(NewRelation(tags, []), relations));
        }
    }

    private static bool Overlaps(string candidate, TransportOperator op) =>
        op.Abbreviations.Concat(op.Descriptions).Any(name =>
            name.Contains(candidate, StringComparison.OrdinalIgnoreCase) || candidate.Contains(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// School, heritage and local buses that the timetable does not list: no gtfs:route_id, no ref_trips, a ref that no
    /// timetable line has (or none), through stops of one town.
    /// </summary>
    private void AddOsmOnlyRoutes(List<TransitLine> lines, OsmMap map)
    {
        var towns = lines.Where(l => l.Kind == StopKind.Bus)
            .SelectMany(l => l.Stops)
            .Where(s => s.Kind == StopKind.Bus && map.Counterparts[s.Platforms[0].Index].PlatformElement is not null)
            .DistinctBy(s => s.Index)
            .GroupBy(s => s.Place.Index)
            .Where(g => g.Count() >= 4)
            .OrderBy(g => g.Key)
            .Select(g => g.OrderBy(s => s.Index).ToList())
            .ToList();
        if (towns.Count == 0)
        {
            return;
        }

        var count = Math.Max(3, towns.Count / 6);
        for (var k = 0; k < count; k++)
        {
            var town = towns[random.Next(towns.Count)];
            var (kind, bothWays) = OsmOnlyKinds[k % OsmOnlyKinds.Length];
            var length = Math.Min(town.Count, random.Next(4, 9));
            var stops = town.OrderBy(_ => random.Next()).Take(length).ToList();
            var withRef = random.NextDouble() < 0.7;
            var place = stops[0].Place;
            for (var direction = 0; direction < (bothWays ? 2 : 1); direction++)
            {
                var ordered = direction == 0 ? stops : [.. Enumerable.Reverse(stops)];
                var tags = new SortedDictionary<string, string>(StringComparer.Ordinal)
                {
                    ["type"] = "route",
                    ["route"] = "bus",
                    ["name"] = $"{kind} {place.Name}: {ordered[0].Name} => {ordered[^1].Name}",
                    ["operator"] = place.BusOperator.OsmOperator,
                    ["network"] = place.Network,
                    ["from"] = ordered[0].Name,
                    ["to"] = ordered[^1].Name,
                    ["public_transport:version"] = "2",
                };
                if (withRef)
                {
                    tags["ref"] = kind;
                }

                map.Relations.Add(NewRelation(tags, [.. ordered.SelectMany(s => Members(map.Counterparts[s.Platforms[0].Index], ptv2: true))]));
            }
        }
    }

    private OsmRelationSpec NewRelation(SortedDictionary<string, string> tags, List<OsmRelationMember> members)
    {
        _nextId += 1 + random.Next(4_000);
        var timestamp = new DateTime(2019, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(random.NextInt64(0, 7L * 365 * 24 * 3600));
        return new OsmRelationSpec(_nextId, random.Next(1, 60), timestamp.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            60_000_000 + random.NextInt64(0, 120_000_000), tags, members);
    }

    private sealed record StopGroup(ServicePoint Stop, List<OsmRelationMember> Members);

    private sealed record BuiltRoute(TransitLine Line, int Direction, bool Ptv2, OsmRelationSpec Relation, List<StopGroup> Groups);
}
