namespace StopSync.Jobs.Demo;

/// <summary>Maps the layout the way OSM volunteers would have, spoiled as the <see cref="ImperfectionPlan"/> draws.</summary>
internal sealed class OsmMapBuilder(GeneratorProfile profile, Random random, ImperfectionPlan plan)
{
    private const double TrioMaxSideMeters = 14;

    private static readonly Dictionary<LanguageRegion, string[]> OsmOnlyNames = new()
    {
        [LanguageRegion.German] = ["Schulbus", "Werkhof", "Camping", "Kehrplatz", "Parkplatz", "Ferienheim", "Sportzentrum", "Fabrik"],
        [LanguageRegion.French] = ["Camping", "Parking", "Déchetterie", "Piscine", "Patinoire", "Zone industrielle"],
        [LanguageRegion.Italian] = ["Campeggio", "Parcheggio", "Piscina", "Zona industriale", "Deposito"],
    };

    private readonly HashSet<string> _allocatedUics = new(StringComparer.Ordinal);
    private OsmMap _map = new();
    private long _nextNodeId = 25_000_000;
    private long _nextWayId = 20_000_000;
    private long _nextNodeRef = 11_000_000_000;

    public OsmMap Build(StopLayout layout)
    {
        _allocatedUics.UnionWith(layout.AllocatedUics);
        _map = new OsmMap { Counterparts = new PlatformCounterpart[layout.Platforms.Count] };
        foreach (var place in layout.ServicePoints.GroupBy(s => s.Place))
        {
            foreach (var stop in place)
            {
                MapServicePoint(stop);
            }

            AddOsmOnlyStops(place.Key);
        }

        return _map;
    }

    private void MapServicePoint(ServicePoint stop)
    {
        switch (stop.Kind)
        {
            case StopKind.Aerialway:
                MapAerialwayStation(stop);
                return;
            case StopKind.Rail when profile.Size != DatasetSize.Demo && stop.Place.Tier == PlaceTier.Village
                && stop.Platforms.Count <= 2 && random.NextDouble() < 0.15:
                MapStationWithPlatformWays(stop);
                return;
            case StopKind.Rail when random.NextDouble() < 0.96:
                var station = AddNode(stop.Position.Offset(random.NextDouble() * 20, random.NextDouble() * 360), Tags(
                    ("railway", "station"), ("public_transport", "station"), ("train", "yes"), ("name", stop.Name), ("uic_name", stop.Name),
                    ("uic_ref", stop.Uic), ("operator", OsmOperator(stop)), ("network", stop.Place.Network)));
                Truth("", station, TruthCases.OsmStation);
                break;
        }

        if (stop.Kind == StopKind.Bus && stop.Platforms.Count == 2 && random.NextDouble() < 0.07 && TryMapTrio(stop))
        {
            return;
        }

        foreach (var platform in stop.Platforms)
        {
            MapPlatform(platform, plan.DrawCase());
        }
    }

    private void MapPlatform(Platform platform, string kind)
    {
        var stop = platform.ServicePoint;
        if (kind == TruthCases.AtlasOnly)
        {
            _map.Counterparts[platform.Index] = new PlatformCounterpart(null, null);
            Truth(platform.Sloid, null, TruthCases.AtlasOnly);
            return;
        }

        var tags = PlatformTags(platform, kind);
        var element = AddNode(platform.Position.Offset(plan.DistanceMeters(kind), random.NextDouble() * 360), tags);
        Truth(platform.Sloid, element, kind);
        if (kind == TruthCases.OsmDuplicate)
        {
            var copy = AddNode(platform.Position.Offset(plan.DistanceMeters(kind), random.NextDouble() * 360), new SortedDictionary<string, string>(tags, StringComparer.Ordinal));
            Truth(platform.Sloid, copy, kind);
        }

        OsmElementSpec? stopPosition = null;
        var pairChance = stop.Kind switch { StopKind.Tram => 0.55, StopKind.Rail => 0.35, _ => 0.35 };
        if (random.NextDouble() < pairChance)
        {
            // On the road (or track) beside the platform, within the 12 m the pairing rules look at.
            var towardsRoad = stop.Kind == StopKind.Rail ? random.NextDouble() * 360 : element.Position.BearingTo(stop.Position);
            stopPosition = AddNode(element.Position.Offset(3 + (random.NextDouble() * 4), towardsRoad), StopPositionTags(stop, tags));
            Truth(platform.Sloid, stopPosition, TruthCases.PairStopPosition);
        }

        _map.Counterparts[platform.Index] = new PlatformCounterpart(element, stopPosition);
    }

    /// <summary>Two platforms across the road and one stop position in the middle, all with the UIC number.</summary>
    private bool TryMapTrio(ServicePoint stop)
    {
        var sides = stop.Platforms.Select(p => p.Position.Offset(plan.DistanceMeters(TruthCases.TrioSide), random.NextDouble() * 360)).ToArray();
        var middle = stop.Position.Offset(random.NextDouble() * 2, random.NextDouble() * 360);
        if (sides.Any(s => s.DistanceMeters(middle) > TrioMaxSideMeters))
        {
            return false;
        }

        var elements = new OsmElementSpec[2];
        for (var i = 0; i < 2; i++)
        {
            var platform = stop.Platforms[i];
            elements[i] = AddNode(sides[i], PlatformTags(platform, TruthCases.Exact));
            Truth(platform.Sloid, elements[i], TruthCases.TrioSide);
        }

        var middleTags = StopPositionTags(stop, elements[0].Tags);
        middleTags.Remove("local_ref");
        var middleElement = AddNode(middle, middleTags);
        Truth("", middleElement, TruthCases.TrioMiddle);
        for (var i = 0; i < 2; i++)
        {
            _map.Counterparts[stop.Platforms[i].Index] = new PlatformCounterpart(elements[i], middleElement);
        }

        return true;
    }

    /// <summary>Platform ways carry the UIC and no node does, so the pipeline takes the ways as stops.</summary>
    private void MapStationWithPlatformWays(ServicePoint stop)
    {
        if (random.NextDouble() < 0.5)
        {
            var station = AddNode(stop.Position, Tags(("railway", "station"), ("public_transport", "station"), ("train", "yes"), ("name", stop.Name)));
            Truth("", station, TruthCases.OsmStation);
        }

        foreach (var platform in stop.Platforms)
        {
            var draw = random.NextDouble();
            var kind = draw < 0.8 ? TruthCases.Exact : draw < 0.9 ? TruthCases.MissingLocalRef : TruthCases.Offset;
            var tags = PlatformTags(platform, kind);
            var way = AddWay(platform.Position.Offset(plan.DistanceMeters(kind), random.NextDouble() * 360), tags);
            Truth(platform.Sloid, way, kind);
            _map.Counterparts[platform.Index] = new PlatformCounterpart(way, null);
        }
    }

    /// <summary>Cable-car stations are mapped as building ways (aerialway=station + public_transport=station).</summary>
    private void MapAerialwayStation(ServicePoint stop)
    {
        var platform = stop.Platforms[0];
        var withUic = random.NextDouble() < 0.7;
        var tags = Tags(("aerialway", "station"), ("public_transport", "station"), ("name", stop.Name), ("operator", OsmOperator(stop)));
        if (withUic)
        {
            tags["uic_ref"] = stop.Uic;
            tags["uic_name"] = stop.Name;
        }

        var kind = withUic ? TruthCases.Exact : TruthCases.MissingUicRef;
        var way = AddWay(platform.Position.Offset(plan.DistanceMeters(kind), random.NextDouble() * 360), tags);
        Truth(platform.Sloid, way, kind);
        _map.Counterparts[platform.Index] = new PlatformCounterpart(way, null);
    }

    private void AddOsmOnlyStops(Place place)
    {
        var count = place.Tier switch
        {
            PlaceTier.City => random.Next(6, 13),
            PlaceTier.Town => random.Next(1, 5),
            _ => random.NextDouble() < 0.45 ? 1 : 0,
        };
        if (profile.Size == DatasetSize.Demo)
        {
            count = 2;
        }

        for (var i = 0; i < count; i++)
        {
            var position = place.Centre.Offset(350 + (random.NextDouble() * Math.Max(250, place.RadiusMeters - 350)), random.NextDouble() * 360);
            if (!SwissGeography.Contains(position))
            {
                continue;
            }

            var names = OsmOnlyNames[place.Language];
            var name = $"{place.Name}, {names[random.Next(names.Length)]}";
            var draw = random.NextDouble();
            if (draw < 0.10 && place.Tier != PlaceTier.Village)
            {
                var busStation = AddNode(position, Tags(("amenity", "bus_station"), ("public_transport", "station"), ("name", place.Name + ", Busbahnhof")));
                Truth("", busStation, TruthCases.OsmStation);
                continue;
            }

            var tags = draw < 0.70
                ? Tags(("highway", "bus_stop"), ("public_transport", "platform"), ("bus", "yes"))
                : draw < 0.95
                    ? Tags(("public_transport", "stop_position"), ("bus", "yes"))
                    : Tags(("railway", "halt"), ("train", "yes"));
            if (random.NextDouble() < 0.8)
            {
                tags["name"] = name;
            }

            Truth("", AddNode(position, tags), TruthCases.OsmOnly);
        }
    }

    private SortedDictionary<string, string> PlatformTags(Platform platform, string kind)
    {
        var stop = platform.ServicePoint;
        var tags = stop.Kind switch
        {
            StopKind.Rail => Tags(("public_transport", "platform"), ("railway", "platform"), ("train", "yes")),
            StopKind.Tram => Tags(("public_transport", "platform"), ("railway", "platform"), ("tram", "yes")),
            _ => Tags(("highway", "bus_stop"), ("public_transport", "platform"), ("bus", "yes")),
        };
        var hasUic = kind is not (TruthCases.MissingUicRef or TruthCases.NameVariant);
        if (kind == TruthCases.NameVariant)
        {
            tags["name"] = plan.NameVariant(stop.Name);
        }
        else
        {
            // Mappers often write only the stop part ("Werkhofstrasse") and keep the full name in uic_name.
            tags["name"] = stop.Kind != StopKind.Rail && random.NextDouble() < 0.4 ? stop.ShortName : stop.Name;
            if (hasUic ? random.NextDouble() < 0.85 : random.NextDouble() < 0.25)
            {
                tags["uic_name"] = stop.Name;
            }
        }

        if (hasUic)
        {
            tags["uic_ref"] = kind == TruthCases.WrongUicRef ? plan.WrongUic(stop.Uic, _allocatedUics) : stop.Uic;
        }

        if (platform.Designation.Length > 0 && kind != TruthCases.MissingLocalRef)
        {
            tags["local_ref"] = platform.Designation;
        }

        if (random.NextDouble() < 0.85)
        {
            tags["operator"] = OsmOperator(stop);
        }

        if (random.NextDouble() < 0.7)
        {
            tags["network"] = stop.Place.Network;
        }

        if (stop.Kind == StopKind.Bus)
        {
            if (random.NextDouble() < 0.5)
            {
                tags["shelter"] = random.NextDouble() < 0.5 ? "yes" : "no";
            }

            if (random.NextDouble() < 0.3)
            {
                tags["bench"] = "yes";
            }
        }

        if (kind == TruthCases.Exact && random.NextDouble() < 0.05)
        {
            tags["ref:sloid"] = platform.Sloid;
        }

        return tags;
    }

    /// <summary>A stop position copies the references of its platform (so a missing uic_ref is missing on both).</summary>
    private SortedDictionary<string, string> StopPositionTags(ServicePoint stop, SortedDictionary<string, string> platformTags)
    {
        var tags = stop.Kind switch
        {
            StopKind.Rail => Tags(("public_transport", "stop_position"), ("railway", "stop"), ("train", "yes")),
            StopKind.Tram => Tags(("public_transport", "stop_position"), ("railway", "tram_stop"), ("tram", "yes")),
            _ => Tags(("public_transport", "stop_position"), ("bus", "yes")),
        };
        foreach (var key in (string[])["name", "uic_name", "uic_ref", "operator", "network"])
        {
            if (platformTags.TryGetValue(key, out var value))
            {
                tags[key] = value;
            }
        }

        if (platformTags.TryGetValue("local_ref", out var localRef) && (stop.Kind == StopKind.Rail || random.NextDouble() < 0.3))
        {
            tags["local_ref"] = localRef;
        }

        return tags;
    }

    /// <summary>What mappers type into <c>operator</c>; French-speaking mappers often write CFF for SBB.</summary>
    private string OsmOperator(ServicePoint stop) =>
        stop.Operator == TransportOperators.Sbb && stop.Place.Language == LanguageRegion.French && random.NextDouble() < 0.3
            ? "CFF"
            : stop.Operator.OsmOperator;

    private OsmElementSpec AddNode(GeoPoint position, SortedDictionary<string, string> tags)
    {
        // Real ids are sparse and grow with mapping time; creation order keeps them ascending, as Overpass sorts them.
        _nextNodeId += 1 + random.Next(60_000);
        var node = new OsmElementSpec(_nextNodeId, false, position, tags);
        _map.Nodes.Add(node);
        return node;
    }

    private OsmElementSpec AddWay(GeoPoint centre, SortedDictionary<string, string> tags)
    {
        _nextWayId += 1 + random.Next(20_000);
        // A closed ring of 4–6 nodes; Overpass lists the refs but not the nodes themselves (they carry no stop tags).
        var corners = random.Next(4, 7);
        var refs = new long[corners + 1];
        for (var i = 0; i < corners; i++)
        {
            refs[i] = _nextNodeRef++;
        }

        refs[corners] = refs[0];
        var way = new OsmElementSpec(_nextWayId, true, centre, tags) { NodeRefs = refs };
        _map.Ways.Add(way);
        return way;
    }

    private void Truth(string sloid, OsmElementSpec? element, string kind) => _map.Truth.Add(new TruthRow(sloid, element?.Key ?? "", kind));

    private static SortedDictionary<string, string> Tags(params (string Key, string Value)[] pairs)
    {
        var tags = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in pairs)
        {
            tags[key] = value;
        }

        return tags;
    }
}
