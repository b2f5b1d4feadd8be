namespace StopSync.Jobs.Sources.Osm;

public sealed record OsmRouteEntry(string RelationId, string? GtfsRouteId, string? RouteIdNormalized, string DirectionId, string? RouteName);

/// <summary>The OSM routes and direction strings of docs/06-sources.md#openstreetmap-overpass-xml, per stop element.</summary>
public sealed class OsmRouteIndex
{
    private static readonly IReadOnlyList<OsmRouteEntry> NoRoutes = [];
    private static readonly IReadOnlySet<string> NoStrings = new HashSet<string>();

    private readonly Dictionary<string, List<OsmRouteEntry>> _routes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _nameDirections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _uicDirections = new(StringComparer.Ordinal);

    public OsmRouteIndex(IReadOnlyList<OsmElement> elements, IReadOnlyList<OsmRouteRelation> relations)
    {
        var byId = elements.ToDictionary(e => e.Id, StringComparer.Ordinal);
        foreach (var relation in relations)
        {
            var members = relation.Members.Select(m => m.ElementId).Where(byId.ContainsKey).Distinct(StringComparer.Ordinal).ToList();
            if (members.Count == 0)
            {
                continue;
            }

            // A relation that does not say its direction may serve either, so it counts for both.
            var (gtfsRouteId, normalized, name) = (relation.GtfsRouteId, relation.RouteIdNormalized, relation.Tag("name"));
            OsmRouteEntry[] entries = relation.DirectionId is { } d
                ? [new(relation.Id, gtfsRouteId, normalized, d, name)]
                : [new(relation.Id, gtfsRouteId, normalized, "0", name), new(relation.Id, gtfsRouteId, normalized, "1", name)];
            foreach (var member in members)
            {
                GetOrAdd(_routes, member, () => []).AddRange(entries);
            }

            // Direction strings come from the relation's own first and last members, and only when both are stops.
            if (relation.Members.Count < 2
                || !byId.TryGetValue(relation.Members[0].ElementId, out var first)
                || !byId.TryGetValue(relation.Members[^1].ElementId, out var last))
            {
                continue;
            }

            AddDirection(_nameDirections, members, first.Tag("name"), last.Tag("name"));
            AddDirection(_uicDirections, members, first.Tag("uic_ref"), last.Tag("uic_ref"));
        }
    }

    public int ElementsWithRoutes => _routes.Count;

    public IReadOnlyList<OsmRouteEntry> RoutesOf(string elementId) => _routes.TryGetValue(elementId, out var r) ? r : NoRoutes;

    public IReadOnlySet<string> NameDirectionsOf(string elementId) => _nameDirections.TryGetValue(elementId, out var s) ? s : NoStrings;

    public IReadOnlySet<string> UicDirectionsOf(string elementId) => _uicDirections.TryGetValue(elementId, out var s) ? s : NoStrings;

    private static void AddDirection(Dictionary<string, HashSet<string>> target, List<string> members, string? from, string? to)
    {
        if (string.IsNullOrEmpty(from) || string.IsNullOrEmpty(to))
        {
            return;
        }

        var direction = $"{from} → {to}";
        foreach (var member in members)
        {
            GetOrAdd(target, member, () => new HashSet<string>(StringComparer.Ordinal)).Add(direction);
        }
    }

    private static TValue GetOrAdd<TValue>(Dictionary<string, TValue> map, string key, Func<TValue> create)
    {
        if (!map.TryGetValue(key, out var value))
        {
            value = create();
            map[key] = value;
        }

        return value;
    }
}
