namespace StopSync.Jobs.Matching.Engine.Stages;

/// <summary>Stage 4 (docs/07-matching.md#the-ten-stages).</summary>
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
                var shared = atlasTokens.Count > 0 && osmTokens.Count > 0 ? SharedCount(atlasTokens, osmTokens) : 0;
                if (shared > 0)
                {
                    tokenEdges.Add(new Edge(i, c.Index, c.Distance, shared, Tokens: true));
                }
                else if (atlasNames.Count > 0 && routes.OsmDirectionNames(c.Index) is { Count: > 0 } osmNames && atlasNames.Overlaps(osmNames))
                {
                    directionEdges.Add(new Edge(i, c.Index, c.Distance, 1, Tokens: false));
                }
            }
        }

        var matched = CommitMutualUniqueBest(state, tokenEdges, MatchTypeLabels.RouteTokens, "gtfs_tokens");
        var remaining = directionEdges.Where(e => !matched.Contains(e.Atlas) && !state.Osm.Used[e.Osm]).ToList();
        CommitMutualUniqueBest(state, remaining, MatchTypeLabels.RouteDirection, "direction_name");
    }

    /// <summary>Commits by descending score, then ascending distance, ATLAS key and OSM id.</summary>
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

            var routes = state.Routes;
            var evidence = e.Tokens
                ? new MatchEvidence(matchType, e.Distance, Score: e.Score, SharedRouteTokens:
                    [.. routes.AtlasTokens(e.Atlas).Where(routes.OsmTokens(e.Osm).Contains).Order().Select(t => t.ToString())])
                : new MatchEvidence(matchType, e.Distance, Score: e.Score, SharedDirectionNames:
                    [.. routes.AtlasDirectionNames(e.Atlas).Where(routes.OsmDirectionNames(e.Osm).Contains).Order(StringComparer.Ordinal)]);
            if (state.Commit(e.Atlas, e.Osm, matchType, e.Distance, notes, evidence))
            {
                matched.Add(e.Atlas);
            }
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

    private static int SharedCount(HashSet<RouteToken> atlas, HashSet<RouteToken> osm)
    {
        var (small, large) = atlas.Count <= osm.Count ? (atlas, osm) : (osm, atlas);
        var count = 0;
        foreach (var token in small)
        {
            if (large.Contains(token))
            {
                count++;
            }
        }

        return count;
    }

    /// <param name="Tokens">A token edge (score = shared tokens) rather than a direction-name edge (score 1).</param>
    private sealed record Edge(int Atlas, int Osm, double Distance, int Score, bool Tokens);
}
