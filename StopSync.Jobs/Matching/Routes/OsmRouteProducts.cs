using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Sources.Osm;

namespace StopSync.Jobs.Matching.Routes;

/// <summary>OSM's line families and itineraries (docs/07-matching.md#lines-and-itineraries).</summary>
public static class OsmRouteProducts
{
    public const string OriginRouteMaster = "route_master";
    public const string OriginGtfsRouteId = "gtfs_route_id";
    public const string OriginSynthetic = "synthetic";
    public const string OriginRelation = "relation";

    // PTv2 boarding roles and the PTv1 empty role; anything else (forward, backward, route ways…) is not a call.
    private static readonly HashSet<string> CallRoles = new(StringComparer.Ordinal)
    {
        "", "stop", "stop_entry_only", "stop_exit_only", "platform", "platform_entry_only", "platform_exit_only",
    };

    /// <summary>Families ordered by family id; stop identities come from the stop matching's result.</summary>
    public static IReadOnlyList<LineFamily> Build(OsmReadResult osm, MatchingOutput stops)
    {
        ArgumentNullException.ThrowIfNull(osm);
        ArgumentNullException.ThrowIfNull(stops);

        var identities = new StopIdentities(osm.Elements, stops);
        var relationsById = new Dictionary<string, OsmRouteRelation>(StringComparer.Ordinal);
        foreach (var relation in osm.Relations)
        {
            relationsById.TryAdd(relation.Id, relation);
        }

        var families = new List<LineFamily>();
        var grouped = new HashSet<string>(StringComparer.Ordinal);
        // A relation listed by two masters belongs to the one whose id sorts first, so the grouping does not depend on file order.
        foreach (var master in osm.RouteMasters.DistinctBy(m => m.Id, StringComparer.Ordinal).OrderBy(m => m.Id, StringComparer.Ordinal))
        {
            var members = master.RouteIds.Where(relationsById.ContainsKey).Where(grouped.Add).Select(id => relationsById[id]).ToList();
            if (members.Count > 0)
            {
                families.AddIfAny(Family($"route_master:{master.Id}", OriginRouteMaster, master, members, identities));
            }
        }

        var rest = relationsById.Values.Where(r => !grouped.Contains(r.Id)).ToList();
        foreach (var byRouteId in rest.Where(r => r.RouteIdNormalized is not null).GroupBy(r => r.RouteIdNormalized!, StringComparer.Ordinal))
        {
            families.AddIfAny(Family($"gtfs:{byRouteId.Key}", OriginGtfsRouteId, null, [.. byRouteId], identities));
        }

        var withoutRouteId = rest.Where(r => r.RouteIdNormalized is null).ToList();
        foreach (var byRef in withoutRouteId.Where(r => !string.IsNullOrEmpty(r.Tag("ref"))).GroupBy(SyntheticKey, StringComparer.Ordinal))
        {
            families.AddIfAny(Family($"synthetic:{byRef.Key}", OriginSynthetic, null, [.. byRef], identities));
        }

        foreach (var relation in withoutRouteId.Where(r => string.IsNullOrEmpty(r.Tag("ref"))))
        {
            families.AddIfAny(Family($"relation:{relation.Id}", OriginRelation, null, [relation], identities));
        }

        families.Sort((a, b) => string.CompareOrdinal(a.FamilyId, b.FamilyId));
        return families;
    }

    private static string SyntheticKey(OsmRouteRelation relation) =>
        string.Join('|', relation.Tag("route") ?? "", relation.Tag("ref") ?? "", relation.Tag("operator") ?? "", relation.Tag("network") ?? "");

    private static void AddIfAny(this List<LineFamily> families, LineFamily? family)
    {
        if (family is not null)
        {
            families.Add(family);
        }
    }

    /// <summary>Null when none of the relations has a stop call: such a line cannot be compared with the timetable.</summary>
    private static LineFamily? Family(string familyId, string origin, OsmRouteMaster? master, List<OsmRouteRelation> relations, StopIdentities identities)
    {
        var itineraries = relations
            .Select(r => Itinerary(r, identities))
            .Where(i => i.Calls.Count > 0)
            .OrderBy(i => i.ItineraryId, StringComparer.Ordinal)
            .ToList();
        if (itineraries.Count == 0)
        {
            return null;
        }

        // The master says what the line is; where it is silent, the relations outvote each other.
        string? Attribute(string key, Func<OsmRouteRelation, string?> ofRelation) =>
            master?.Tag(key) is { Length: > 0 } own ? own : MostCommon(relations.Select(ofRelation));

        var gtfsRouteId = Attribute("gtfs:route_id", r => r.GtfsRouteId);
        var routeType = master?.Tag("route_master") is { Length: > 0 } masterRoute ? masterRoute : MostCommon(relations.Select(r => r.Tag("route")));
        var reference = Attribute("ref", r => r.Tag("ref"));
        return new LineFamily(
            RouteSides.Osm,
            familyId,
            origin,
            routeType,
            RouteModes.FromOsmRoute(routeType),
            gtfsRouteId is not null ? RouteIds.Display(gtfsRouteId) : reference ?? familyId,
            gtfsRouteId,
            gtfsRouteId is not null ? RouteIds.Normalize(gtfsRouteId) : null,
            Attribute("name", r => r.Tag("name")),
            reference,
            Attribute("operator", r => r.Tag("operator")),
            Attribute("network", r => r.Tag("network")),
            AgencyId: null,
            RouteMasterId: master?.Id,
            IsNonGtfs: false,
            itineraries);
    }

    /// <summary>The most frequent non-empty value; ties go to the ordinally smallest, so file order never decides.</summary>
    internal static string? MostCommon(IEnumerable<string?> values) =>
        values.Where(v => !string.IsNullOrEmpty(v))
            .GroupBy(v => v!, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Key)
            .FirstOrDefault();

    private static Itinerary Itinerary(OsmRouteRelation relation, StopIdentities identities)
    {
        var to = relation.Tag("to") is { Length: > 0 } t ? t : null;
        return new Itinerary(
            relation.Id,
            relation.DirectionId,
            to,
            relation.Tag("from") is { Length: > 0 } from ? from : null,
            to,
            relation.Tag("name") is { Length: > 0 } name ? name : null,
            TripCount: 0,
            RelationId: relation.Id,
            Calls(relation, identities));
    }

    /// <summary>
    /// PTv2 lists a stop position and its platform one after the other: members that are the same stop in a row make
    /// one call, shown through its platform and known by all its members' sloids (docs/07-matching.md#osm-side).
    /// </summary>
    private static List<StopCall> Calls(OsmRouteRelation relation, StopIdentities identities)
    {
        var groups = new List<List<(OsmRouteMember Member, StopIdentity Identity)>>();
        foreach (var member in relation.Members)
        {
            if (!CallRoles.Contains(member.Role) || identities.Of(member.ElementId) is not { } identity)
            {
                continue;
            }

            if (groups.Count > 0 && groups[^1].Any(g => SameStop(g, (member, identity))))
            {
                groups[^1].Add((member, identity));
            }
            else
            {
                groups.Add([(member, identity)]);
            }
        }

        var calls = new List<StopCall>(groups.Count);
        foreach (var group in groups)
        {
            var (member, identity) = group.FirstOrDefault(g => g.Member.Role.StartsWith("platform", StringComparison.Ordinal), group[0]);
            var element = identity.Element;
            var (sloids, number, keys) = group.Count == 1 ? (identity.Sloids, identity.Number, identity.Keys) : Merge(group.Select(g => g.Identity), identity);
            calls.Add(new StopCall(
                calls.Count + 1,
                element.Id,
                sloids.Count > 0 ? sloids[0] : null,
                sloids,
                element.Id,
                keys,
                Label(element),
                number,
                element.LocalRef is { Length: > 0 } localRef ? localRef : null,
                element.Lat,
                element.Lon,
                member.Role));
        }

        return calls;
    }

    // A stop position and a platform listed in a row within this distance are one stop even when the stop matching
    // paired neither (an unmatched platform without uic_ref would otherwise count as an extra call and lower the score).
    private const double StopPositionToPlatformMeters = 50;

    private static bool SameStop((OsmRouteMember Member, StopIdentity Identity) a, (OsmRouteMember Member, StopIdentity Identity) b) =>
        a.Identity.UnitId == b.Identity.UnitId
        || a.Identity.Keys.Any(k => b.Identity.Keys.Contains(k, StringComparer.Ordinal))
        || (IsPlatformRole(a.Member.Role) != IsPlatformRole(b.Member.Role) && a.Member.Role.Length > 0 && b.Member.Role.Length > 0
            && Haversine.DistanceMeters(a.Identity.Element.Lat, a.Identity.Element.Lon, b.Identity.Element.Lat, b.Identity.Element.Lon)
               <= StopPositionToPlatformMeters);

    private static bool IsPlatformRole(string role) => role.StartsWith("platform", StringComparison.Ordinal);

    /// <summary>The sloids of every member (sorted), the first UIC number known, and keys built from them as for one element.</summary>
    private static (IReadOnlyList<string> Sloids, string? Number, IReadOnlyList<string> Keys) Merge(IEnumerable<StopIdentity> members, StopIdentity shown)
    {
        var all = members.ToList();
        IReadOnlyList<string> sloids = [.. all.SelectMany(m => m.Sloids).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        var number = shown.Number ?? all.Select(m => m.Number).FirstOrDefault(n => n is not null);
        var keys = new List<string>(sloids.Count + 1);
        keys.AddRange(sloids.Select(s => $"sloid:{s}"));
        if (number is not null)
        {
            keys.Add($"uic:{number}");
        }

        if (keys.Count == 0)
        {
            keys.Add($"osm:{shown.Element.Id}");
        }

        return (sloids, number, keys);
    }

    private static string Label(OsmElement element) =>
        element.Tag("name") is { Length: > 0 } name ? name
        : element.Tag("uic_name") is { Length: > 0 } uicName ? uicName
        : element.Id;

    /// <param name="Number">The UIC number in the <c>uic:</c> key, if any.</param>
    private sealed record StopIdentity(OsmElement Element, string UnitId, IReadOnlyList<string> Sloids, string? Number, IReadOnlyList<string> Keys);

    /// <summary>What the stop matching says each stop element is, computed once per element.</summary>
    private sealed class StopIdentities
    {
        private readonly Dictionary<string, OsmElement> _elements = new(StringComparer.Ordinal);
        private readonly Dictionary<string, SortedSet<string>> _matchedSloids = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _matchedNumbers = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string?> _onlyPlatformOfNumber = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _units = new(StringComparer.Ordinal);
        private readonly Dictionary<string, StopIdentity> _cache = new(StringComparer.Ordinal);

        public StopIdentities(IReadOnlyList<OsmElement> elements, MatchingOutput stops)
        {
            foreach (var element in elements)
            {
                _elements.TryAdd(element.Id, element);
            }

            var numbersByOsm = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            foreach (var match in stops.Matches)
            {
                if (!_matchedSloids.TryGetValue(match.OsmId, out var sloids))
                {
                    _matchedSloids[match.OsmId] = sloids = new SortedSet<string>(StringComparer.Ordinal);
                    numbersByOsm[match.OsmId] = [];
                }

                sloids.Add(match.Sloid);
                numbersByOsm[match.OsmId].Add(match.Atlas.Number.Trim());
            }

            // An element without uic_ref still knows its station when everything it is matched to lies in one.
            foreach (var (osmId, numbers) in numbersByOsm)
            {
                if (numbers.Count == 1 && numbers.First() is { Length: > 0 } number)
                {
                    _matchedNumbers[osmId] = number;
                }
            }

            // A station with a single ATLAS platform: any OSM stop carrying its number can only be that platform.
            var platforms = stops.Matches.Select(m => m.Atlas).Concat(stops.UnmatchedAtlas.Select(u => u.Platform)).DistinctBy(p => p.Sloid, StringComparer.Ordinal);
            foreach (var byNumber in platforms.Where(p => p.Number.Trim().Length > 0).GroupBy(p => p.Number.Trim(), StringComparer.Ordinal))
            {
                _onlyPlatformOfNumber[byNumber.Key] = byNumber.Count() == 1 ? byNumber.First().Sloid : null;
            }

            foreach (var unit in stops.StopUnits)
            {
                foreach (var member in unit.Members)
                {
                    _units.TryAdd(member.OsmId, unit.UnitId);
                }
            }
        }

        /// <summary>Null for members that are not stop elements of the answer (route ways, nodes the query did not select).</summary>
        public StopIdentity? Of(string elementId)
        {
            if (_cache.TryGetValue(elementId, out var known))
            {
                return known;
            }

            if (!_elements.TryGetValue(elementId, out var element))
            {
                return null;
            }

            var uicRef = element.UicRef.Length > 0 ? element.UicRef : null;
            IReadOnlyList<string> sloids = _matchedSloids.TryGetValue(elementId, out var matched) ? [.. matched]
                : uicRef is not null && _onlyPlatformOfNumber.GetValueOrDefault(uicRef) is { } only ? [only]
                : [];
            var number = uicRef ?? (sloids.Count > 0 ? _matchedNumbers.GetValueOrDefault(elementId) : null);
            var keys = new List<string>(sloids.Count + 1);
            keys.AddRange(sloids.Select(s => $"sloid:{s}"));
            if (number is not null)
            {
                keys.Add($"uic:{number}");
            }

            if (keys.Count == 0)
            {
                keys.Add($"osm:{elementId}");
            }

            var identity = new StopIdentity(element, _units.GetValueOrDefault(elementId, elementId), sloids, number, keys);
            _cache[elementId] = identity;
            return identity;
        }
    }
}
