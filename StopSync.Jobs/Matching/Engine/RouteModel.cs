using StopSync.Jobs.Sources.Osm;

namespace StopSync.Jobs.Matching.Engine;

internal readonly record struct RouteToken(string RouteId, string DirectionId) : IComparable<RouteToken>
{
    public int CompareTo(RouteToken other)
    {
        var byRoute = string.CompareOrdinal(RouteId, other.RouteId);
        return byRoute != 0 ? byRoute : string.CompareOrdinal(DirectionId, other.DirectionId);
    }

    public override string ToString() => $"{RouteId}|{DirectionId}";
}

/// <summary>Decides <c>contradicts_route_matching</c> (docs/07-matching.md#problems).</summary>
internal enum RouteAlignment
{
    Inconclusive,
    TokenMatch,
    TokenContradiction,
    DirectionMatch,
    DirectionContradiction,
}

/// <summary>The route tokens of the route-token paragraph of docs/07-matching.md#the-ten-stages.</summary>
internal sealed class RouteModel
{
    private static readonly HashSet<RouteToken> NoTokens = [];
    private static readonly HashSet<string> NoNames = new(StringComparer.Ordinal);

    private readonly Dictionary<int, (HashSet<RouteToken> Tokens, HashSet<string> DirectionNames)> _atlas;
    private readonly OsmRoutes? _osmRoutes;
    private readonly Dictionary<string, string> _relationToAtlasRoute;
    private readonly Dictionary<int, HashSet<RouteToken>> _osmTokens = [];

    private RouteModel(
        Dictionary<int, (HashSet<RouteToken>, HashSet<string>)> atlas, OsmRoutes? osmRoutes, Dictionary<string, string> relationToAtlasRoute)
    {
        _atlas = atlas;
        _osmRoutes = osmRoutes;
        _relationToAtlasRoute = relationToAtlasRoute;
    }

    public static RouteModel Empty { get; } = new([], null, []);

    /// <summary>Whether both sides have route data; the route stage and its problem are skipped otherwise.</summary>
    public bool Available => _atlas.Count > 0 && _osmRoutes is { HasRoutes: true };

    public static RouteModel Build(EngineState state)
    {
        var input = state.Input;
        var evidence = input.RouteEvidence;
        var atlas = new Dictionary<int, (HashSet<RouteToken>, HashSet<string>)>();
        if (evidence is { Count: > 0 })
        {
            for (var i = 0; i < state.Atlas.Rows.Length; i++)
            {
                if (evidence.TryGetValue(state.Atlas.Rows[i].Sloid, out var entries) && entries.Count > 0)
                {
                    atlas[i] = (AtlasTokens(entries), DirectionNames(entries));
                }
            }
        }

        // Without ATLAS evidence no OSM route can decide or contradict anything, so it is not even indexed.
        var relations = input.Relations ?? [];
        var osmRoutes = relations.Count == 0 || atlas.Count == 0 ? null : OsmRoutes.Build(state.Osm, relations);
        var routes = input.AtlasRoutes
            ?? evidence?.Values.SelectMany(e => e).Select(e => new AtlasRoute(e.RouteId, e.RouteIdNormalized)).ToList()
            ?? [];
        return new RouteModel(atlas, osmRoutes, MapRelations(relations, routes));
    }

    public bool HasEvidence(int atlas) => _atlas.ContainsKey(atlas);

    public HashSet<RouteToken> AtlasTokens(int atlas) => _atlas.TryGetValue(atlas, out var e) ? e.Tokens : NoTokens;

    public HashSet<string> AtlasDirectionNames(int atlas) => _atlas.TryGetValue(atlas, out var e) ? e.DirectionNames : NoNames;

    public HashSet<RouteToken> OsmTokens(int osm)
    {
        if (_osmRoutes is null)
        {
            return NoTokens;
        }

        if (!_osmTokens.TryGetValue(osm, out var tokens))
        {
            tokens = [];
            foreach (var (route, direction) in _osmRoutes.RoutesOf(osm))
            {
                if (_relationToAtlasRoute.TryGetValue(route.Id, out var atlasRoute))
                {
                    tokens.Add(new RouteToken(atlasRoute, direction));
                    AddIfSet(tokens, route.RouteIdNormalized, direction);
                }

                if (route.GtfsRouteId is { } gtfs)
                {
                    tokens.Add(new RouteToken(gtfs, direction));
                    AddIfSet(tokens, route.RouteIdNormalized, direction);
                }
            }

            _osmTokens[osm] = tokens;
        }

        return tokens;
    }

    public IReadOnlySet<string> OsmDirectionNames(int osm) => _osmRoutes?.DirectionNames(osm) ?? NoNames;

    /// <summary>Token sets decide first; direction names only when one side has no tokens.</summary>
    public RouteAlignment Classify(int atlas, int osm)
    {
        if (!HasEvidence(atlas) || _osmRoutes is null)
        {
            return RouteAlignment.Inconclusive;
        }

        var atlasTokens = AtlasTokens(atlas);
        var osmTokens = OsmTokens(osm);
        if (atlasTokens.Count > 0 && osmTokens.Count > 0)
        {
            return atlasTokens.Overlaps(osmTokens) ? RouteAlignment.TokenMatch : RouteAlignment.TokenContradiction;
        }

        var atlasNames = AtlasDirectionNames(atlas);
        var osmNames = OsmDirectionNames(osm);
        if (atlasNames.Count > 0 && osmNames.Count > 0)
        {
            return atlasNames.Overlaps(osmNames) ? RouteAlignment.DirectionMatch : RouteAlignment.DirectionContradiction;
        }

        return RouteAlignment.Inconclusive;
    }

    private static Dictionary<string, string> MapRelations(IReadOnlyList<OsmRouteRelation> relations, IReadOnlyList<AtlasRoute> routes)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var byNormalized = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var route in routes)
        {
            if (route.RouteId.Length == 0)
            {
                continue;
            }

            ids.Add(route.RouteId);
            if (route.RouteIdNormalized is { Length: > 0 } normalized)
            {
                if (!byNormalized.TryGetValue(normalized, out var set))
                {
                    set = new HashSet<string>(StringComparer.Ordinal);
                    byNormalized[normalized] = set;
                }

                set.Add(route.RouteId);
            }
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var relation in relations)
        {
            if (relation.GtfsRouteId is not { } gtfs)
            {
                continue;
            }

            if (ids.Contains(gtfs))
            {
                map[relation.Id] = gtfs;
            }
            else if (relation.RouteIdNormalized is { } normalized && byNormalized.TryGetValue(normalized, out var candidates) && candidates.Count == 1)
            {
                map[relation.Id] = candidates.First();
            }
        }

        return map;
    }

    private static HashSet<RouteToken> AtlasTokens(IReadOnlyList<AtlasRouteEvidence> entries)
    {
        var tokens = new HashSet<RouteToken>();
        foreach (var entry in entries)
        {
            var direction = entry.DirectionId?.Trim();
            if (string.IsNullOrEmpty(direction))
            {
                continue;
            }

            AddIfSet(tokens, entry.RouteId, direction);
            AddIfSet(tokens, entry.RouteIdNormalized, direction);
        }

        return tokens;
    }

    private static HashSet<string> DirectionNames(IReadOnlyList<AtlasRouteEvidence> entries) =>
        entries.Select(e => e.DirectionName?.Trim()).Where(n => !string.IsNullOrEmpty(n)).Select(n => n!).ToHashSet(StringComparer.Ordinal);

    private static void AddIfSet(HashSet<RouteToken> tokens, string? routeId, string direction)
    {
        var trimmed = routeId?.Trim();
        if (!string.IsNullOrEmpty(trimmed))
        {
            tokens.Add(new RouteToken(trimmed, direction));
        }
    }
}

internal sealed record OsmRouteFacts(string Id, string? GtfsRouteId, string? RouteIdNormalized);

/// <summary>Relations and direction names per stop element, read as docs/06-sources.md#openstreetmap-overpass-xml says.</summary>
internal sealed class OsmRoutes
{
    private static readonly IReadOnlySet<string> NoNames = new HashSet<string>(StringComparer.Ordinal);
    private readonly Dictionary<int, List<(OsmRouteFacts Route, string Direction)>> _routes = [];
    private readonly Dictionary<int, HashSet<string>> _directionNames = [];

    public bool HasRoutes => _routes.Count > 0;

    public static OsmRoutes Build(OsmSide osm, IReadOnlyList<OsmRouteRelation> relations)
    {
        var result = new OsmRoutes();
        var members = new List<int>();
        var seen = new HashSet<int>();
        foreach (var relation in relations)
        {
            members.Clear();
            seen.Clear();
            foreach (var member in relation.Members)
            {
                if (osm.IndexOfId.TryGetValue(member.ElementId, out var j) && seen.Add(j))
                {
                    members.Add(j);
                }
            }

            if (members.Count == 0)
            {
                continue;
            }

            var facts = new OsmRouteFacts(relation.Id, relation.GtfsRouteId, relation.RouteIdNormalized);
            string[] directions = relation.DirectionId is { } d ? [d] : ["0", "1"];
            foreach (var j in members)
            {
                if (!result._routes.TryGetValue(j, out var list))
                {
                    list = [];
                    result._routes[j] = list;
                }

                foreach (var direction in directions)
                {
                    list.Add((facts, direction));
                }
            }

            // Direction names need the relation's own first and last members to be named stop elements.
            if (relation.Members.Count < 2
                || !osm.IndexOfId.TryGetValue(relation.Members[0].ElementId, out var first)
                || !osm.IndexOfId.TryGetValue(relation.Members[^1].ElementId, out var last)
                || osm.Elements[first].Tag("name") is not { Length: > 0 } from
                || osm.Elements[last].Tag("name") is not { Length: > 0 } to)
            {
                continue;
            }

            var name = $"{from} → {to}";
            foreach (var j in members)
            {
                if (!result._directionNames.TryGetValue(j, out var names))
                {
                    names = new HashSet<string>(StringComparer.Ordinal);
                    result._directionNames[j] = names;
                }

                names.Add(name);
            }
        }

        return result;
    }

    public IReadOnlyList<(OsmRouteFacts Route, string Direction)> RoutesOf(int osm) =>
        _routes.TryGetValue(osm, out var list) ? list : [];

    public IReadOnlySet<string> DirectionNames(int osm) => _directionNames.TryGetValue(osm, out var names) ? names : NoNames;
}
