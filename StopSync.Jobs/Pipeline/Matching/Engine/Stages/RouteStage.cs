namespace StopSync.Jobs.Pipeline.Matching.Engine.Stages;

/// <summary>
/// Stage 4, <c>route_gtfs_tokens</c> / <c>route_gtfs_direction</c> (matching-spec §2.5): an ATLAS platform and a free
/// OSM element within 50 m that serve the same routes in the same direction. Each pair scores the number of shared
/// (route, direction) tokens; a pair is taken only when it is the unique best of both its ATLAS platform and its
/// element. Pairs without shared tokens but with a shared direction name ("first → last") get a second, separate
/// round of the same rule.
/// </summary>
internal static class RouteStage
{
    public static void Run(EngineState state)
    {
        var routes = state.Routes;
        if (!routes.Available)
        {
            return;
        }

        var tokenEdges = new List<Edge>();
        var directionEdges = new List<Edge>();
        var candidates = new List<Neighbor>();
        foreach (var i in state.UnmatchedAtlasEntities())
        {
            if (!routes.HasEvidence(i))
            {
                continue;
            }

            var atlasTokens = routes.AtlasTokens(i);
            var atlasNames = routes.AtlasDirectionNames(i);
            state.CandidatesWithin(i, MatchingThresholds.MaxDistanceMeters, candidates);
            foreach (var c in candidates)
            {
                var osmTokens = routes.OsmTokens(c.Index);
                if (atlasTokens.Count > 0 && osmTokens.Count > 0 && atlasTokens.Overlaps(osmTokens))
                {
                    var shared = atlasTokens.Where(osmTokens.Contains).Order().ToList();
                    tokenEdges.Add(new Edge(i, c.Index, c.Distance, shared.Count, shared.Select(t => t.ToString()).ToList(), null));
                }
                else if (atlasNames.Count > 0 && routes.OsmDirectionNames(c.Index) is { Count: > 0 } osmNames && atlasNames.Overlaps(osmNames))
                {
                    var shared = atlasNames.Where(osmNames.Contains).Order(StringComparer.Ordinal).ToList();
                    directionEdges.Add(new Edge(i, c.Index, c.Distance, 1, null, shared));
                }
            }
        }

        var matched = CommitMutualUniqueBest(state, tokenEdges, MatchTypeLabels.RouteTokens, "gtfs_tokens");
        var remaining = directionEdges.Where(e => !matched.Contains(e.Atlas) && !state.Osm.Used[e.Osm]).ToList();
        CommitMutualUniqueBest(state, remaining, MatchTypeLabels.RouteDirection, "direction_name");
    }

    /// <summary>
    /// Keeps the edges that are the single best-scoring edge of both their ATLAS platform and their OSM element, then
    /// commits them by descending score, ascending distance, ATLAS key and OSM id.
    /// </summary>
    private static HashSet<int> CommitMutualUniqueBest(EngineState state, List<Edge> edges, string matchType, string notes)
    {
        var matched = new HashSet<int>();
        var bestOfAtlas = UniqueBest(edges, e => e.Atlas);
        var bestOfOsm = UniqueBest(edges, e => e.Osm);
        var committable = edges
            .Where(e => ReferenceEquals(bestOfAtlas.GetValueOrDefault(e.Atlas), e) && ReferenceEquals(bestOfOsm.GetValueOrDefault(e.Osm), e))
            .OrderByDescending(e => e.Score)
            .ThenBy(e => e.Distance)
            .ThenBy(e => state.Atlas.Keys[e.Atlas], StringComparer.Ordinal)
            .ThenBy(e => state.Osm.Ids[e.Osm], StringComparer.Ordinal)
            .ToList();
        foreach (var e in committable)
        {
            if (matched.Contains(e.Atlas) || state.Osm.Used[e.Osm])
            {
                continue;
            }

            state.Commit(e.Atlas, e.Osm, matchType, e.Distance, notes,
                new MatchEvidence(matchType, e.Distance, SharedRouteTokens: e.Tokens, SharedDirectionNames: e.Names, Score: e.Score));
            matched.Add(e.Atlas);
        }

        return matched;
    }

    private static Dictionary<int, Edge> UniqueBest(List<Edge> edges, Func<Edge, int> key)
    {
        var best = new Dictionary<int, (Edge Edge, int Ties)>();
        foreach (var e in edges)
        {
            var k = key(e);
            if (!best.TryGetValue(k, out var current) || e.Score > current.Edge.Score)
            {
                best[k] = (e, 1);
            }
            else if (e.Score == current.Edge.Score)
            {
                best[k] = (current.Edge, current.Ties + 1);
            }
        }

        return best.Where(b => b.Value.Ties == 1).ToDictionary(b => b.Key, b => b.Value.Edge);
    }

    private sealed record Edge(int Atlas, int Osm, double Distance, int Score, IReadOnlyList<string>? Tokens, IReadOnlyList<string>? Names);
}
