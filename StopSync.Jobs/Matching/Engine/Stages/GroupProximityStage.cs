namespace StopSync.Jobs.Matching.Engine.Stages;

/// <summary>Stages 5 (50 m) and 6 (150 m) of docs/07-matching.md#the-ten-stages.</summary>
internal static class GroupProximityStage
{
    private const string UicRefKey = "uic_ref";
    private const string UicNameKey = "uic_name";
    private const string NameKey = "name";

    public static void Run(EngineState state, bool longDistance)
    {
        var cap = longDistance ? MatchingThresholds.LongDistanceMeters : MatchingThresholds.MaxDistanceMeters;
        var notes = longDistance ? "Conflict-free max-cardinality long-distance group proximity match" : "Conflict-free max-cardinality group proximity match";
        var atlas = state.Atlas;
        var osm = state.Osm;
        var indexes = new[]
        {
            (Key: UicRefKey, Index: GroupedIndex(state, UicRefKey), Type: longDistance ? MatchTypeLabels.LongDistanceUicRef : MatchTypeLabels.GroupProximityUicRef),
            (Key: UicNameKey, Index: GroupedIndex(state, UicNameKey), Type: longDistance ? MatchTypeLabels.LongDistanceUicName : MatchTypeLabels.GroupProximityUicName),
            (Key: NameKey, Index: GroupedIndex(state, NameKey), Type: longDistance ? MatchTypeLabels.LongDistanceName : MatchTypeLabels.GroupProximityName),
        };

        var remaining = state.UnmatchedAtlasEntities();
        var matchedHere = new HashSet<int>();
        var solver = new GroupSolver(state, cap);
        foreach (var (key, index, type) in indexes)
        {
            var groups = new OrderedMultimap<int>();
            foreach (var i in remaining)
            {
                var value = key == UicRefKey
                    ? (atlas.AllowsStationReference(i) ? atlas.Rows[i].Number : "")
                    : atlas.Rows[i].DesignationOfficial;
                if (value.Length > 0)
                {
                    groups.Add(value, i);
                }
            }

            foreach (var value in groups.Keys)
            {
                var atlasList = groups[value].Where(i => !matchedHere.Contains(i)).ToList();
                var osmList = index[value].Where(j => !osm.Used[j]).ToList();
                if (atlasList.Count == 0 || osmList.Count == 0)
                {
                    continue;
                }

                foreach (var (i, j, d) in solver.Solve(atlasList, osmList))
                {
                    if (state.Commit(i, j, type, d, $"{notes} ({key})", new MatchEvidence(type, d, Reference: key == UicRefKey ? value : null)))
                    {
                        matchedHere.Add(i);
                    }
                }
            }

            remaining = [.. remaining.Where(i => !matchedHere.Contains(i))];
        }
    }

    /// <summary>Elements are also listed under their siblings' values: a platform is found by its stop_position's UIC.</summary>
    internal static OrderedMultimap<int> GroupedIndex(EngineState state, string tag)
    {
        var osm = state.Osm;
        var index = new OrderedMultimap<int>();
        var values = new List<string>(4);
        for (var j = 0; j < osm.Elements.Length; j++)
        {
            if (!state.IsAvailable(j))
            {
                continue;
            }

            values.Clear();
            AddValue(osm, j, tag, values);
            foreach (var sibling in osm.Units.Siblings(j))
            {
                AddValue(osm, sibling, tag, values);
            }

            foreach (var value in values)
            {
                index.Add(value, j);
            }
        }

        return index;
    }

    private static void AddValue(OsmSide osm, int j, string tag, List<string> values)
    {
        var value = tag == UicRefKey ? osm.UicRef[j] : osm.Elements[j].Tags.GetValueOrDefault(tag, "");
        if (value.Length > 0 && !values.Contains(value))
        {
            values.Add(value);
        }
    }

    // The objective adds up over connected components, so solving each component alone is exact and much smaller.
    private sealed class GroupSolver(EngineState state, double cap)
    {
        private readonly int[] _osmPosition = Enumerable.Repeat(-1, state.Osm.Elements.Length).ToArray();
        private readonly List<Neighbor> _near = [];

        public List<(int Atlas, int Osm, double Distance)> Solve(List<int> atlasList, List<int> osmList)
        {
            for (var k = 0; k < osmList.Count; k++)
            {
                _osmPosition[osmList[k]] = k;
            }

            var edges = new List<AssignmentEdge>();
            try
            {
                for (var a = 0; a < atlasList.Count; a++)
                {
                    var i = atlasList[a];
                    state.CandidateGrid.Within(state.Atlas.Lat[i], state.Atlas.Lon[i], cap, _near, j => _osmPosition[j] >= 0);
                    edges.AddRange(_near.Select(n => new AssignmentEdge(a, _osmPosition[n.Index], n.Distance)));
                }
            }
            finally
            {
                foreach (var j in osmList)
                {
                    _osmPosition[j] = -1;
                }
            }

            var result = new List<AssignmentEdge>();
            foreach (var component in Components(atlasList.Count, osmList.Count, edges))
            {
                var rows = component.Select(e => e.A).Distinct().Order().ToList();
                var columns = component.Select(e => e.B).Distinct().Order().ToList();
                var rowOf = rows.Select((a, k) => (a, k)).ToDictionary(x => x.a, x => x.k);
                var columnOf = columns.Select((b, k) => (b, k)).ToDictionary(x => x.b, x => x.k);
                var local = component.Select(e => new AssignmentEdge(rowOf[e.A], columnOf[e.B], e.Distance)).ToList();
                result.AddRange(MinCostAssignment.MaxCardinalityMinDistance(rows.Count, columns.Count, local, cap)
                    .Select(p => new AssignmentEdge(rows[p.A], columns[p.B], p.Distance)));
            }

            // Commit in ascending ATLAS order, as one assignment over the whole group would.
            return [.. result.OrderBy(r => r.A).Select(r => (atlasList[r.A], osmList[r.B], r.Distance))];
        }

        private static List<List<AssignmentEdge>> Components(int rows, int columns, List<AssignmentEdge> edges)
        {
            var parent = Enumerable.Range(0, rows + columns).ToArray();
            foreach (var e in edges)
            {
                parent[Find(parent, e.A)] = Find(parent, rows + e.B);
            }

            var byRoot = new Dictionary<int, List<AssignmentEdge>>();
            var order = new List<int>();
            foreach (var e in edges)
            {
                var root = Find(parent, e.A);
                if (!byRoot.TryGetValue(root, out var list))
                {
                    list = [];
                    byRoot[root] = list;
                    order.Add(root);
                }

                list.Add(e);
            }

            return [.. order.Select(r => byRoot[r])];
        }

        private static int Find(int[] parent, int x)
        {
            while (parent[x] != x)
            {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }

            return x;
        }
    }
}
