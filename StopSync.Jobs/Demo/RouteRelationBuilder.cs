using System.Globalization;

namespace StopSync.Jobs.Demo;

/// <summary>PTv2 relations and some PTv1 ones, with the gaps of real data: unmapped lines, missing stops and tags.</summary>
internal sealed class RouteRelationBuilder(Random random)
{
    private long _nextId = 1_500_000;

    public void Build(IEnumerable<TransitLine> lines, OsmMap map)
    {
        foreach (var line in lines.Where(l => l.Kind != StopKind.Aerialway))
        {
            for (var direction = 0; direction < 2; direction++)
            {
                if (random.NextDouble() < 0.06)
                {
                    continue;
                }

                var relation = BuildRelation(line, direction, map);
                if (relation is not null)
                {
                    map.Relations.Add(relation);
                }
            }
        }
    }

    private OsmRelationSpec? BuildRelation(TransitLine line, int direction, OsmMap map)
    {
        var ptv2 = random.NextDouble() < 0.85;
        var members = new List<OsmRelationMember>();
        foreach (var stop in line.StopsFor(direction))
        {
            var counterpart = map.Counterparts[line.PlatformAt(stop, direction).Index];
            if (counterpart.PlatformElement is null || random.NextDouble() < 0.04)
            {
                continue;
            }

            if (!ptv2)
            {
                members.Add(new OsmRelationMember(counterpart.StopElement ?? counterpart.PlatformElement, ""));
                continue;
            }

            if (counterpart.StopElement is not null)
            {
                members.Add(new OsmRelationMember(counterpart.StopElement, "stop"));
            }

            members.Add(new OsmRelationMember(counterpart.PlatformElement, "platform"));
        }

        if (members.Count < 2)
        {
            return null;
        }

        var stops = line.StopsFor(direction).ToList();
        var from = stops[0].Name;
        var to = stops[^1].Name;
        var label = line.Kind switch { StopKind.Bus => "Bus ", StopKind.Tram => "Tram ", _ => "" };
        var tags = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["type"] = "route",
            ["route"] = line.OsmRoute,
            ["name"] = $"{label}{line.ShortName}: {from} => {to}",
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

        _nextId += 1 + random.Next(4_000);
        var timestamp = new DateTime(2019, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(random.NextInt64(0, 7L * 365 * 24 * 3600));
        return new OsmRelationSpec(_nextId, random.Next(1, 60), timestamp.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            60_000_000 + random.NextInt64(0, 120_000_000), tags, members);
    }
}
