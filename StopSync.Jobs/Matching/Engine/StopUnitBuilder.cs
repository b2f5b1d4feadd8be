namespace StopSync.Jobs.Matching.Engine;

/// <summary>The grouping of docs/07-matching.md#stop-units-before-any-stage.</summary>
internal static class StopUnitBuilder
{
    private static readonly string[] NoAnchor = [];

    public static void Build(EngineState state)
    {
        var counts = SourceCounts.From(state);
        var pairing = new ReciprocalPairing(state);
        RegisterTrios(state, counts);
        RegisterUicPairs(state, counts, pairing);
        RegisterNamePairs(state, counts, pairing);
        RegisterTramPairs(state, counts, pairing);
    }

    private static void RegisterTrios(EngineState state, SourceCounts counts)
    {
        var osm = state.Osm;
        foreach (var uic in osm.UicIndex.Keys)
        {
            var entries = osm.UicIndex[uic].Where(j => !osm.IsWay[j]).ToList();
            if (entries.Count != 3 || counts.Source(uic) != 2)
            {
                continue;
            }

            var middles = entries.Where(osm.IsStopPosition).ToList();
            if (middles.Count != 1)
            {
                continue;
            }

            var middle = middles[0];
            var sides = entries.Where(j => j != middle).OrderBy(j => osm.Ids[j], StringComparer.Ordinal).ToList();
            if (sides.Any(s => Haversine.DistanceMeters(osm.Lat[s], osm.Lon[s], osm.Lat[middle], osm.Lon[middle]) > MatchingThresholds.TrioSideToMiddleMeters))
            {
                continue;
            }

            osm.Units.RegisterTrio(sides[0], sides[1], middle);
        }
    }

    private static void RegisterUicPairs(EngineState state, SourceCounts counts, ReciprocalPairing pairing)
    {
        var osm = state.Osm;
        foreach (var uic in osm.UicIndex.Keys)
        {
            var all = osm.UicIndex[uic];
            if (all.Count < 2)
            {
                continue;
            }

            var entries = all.Where(j => !osm.IsWay[j] && !osm.Units.IsGrouped(j)).ToList();
            var left = entries.Where(osm.IsPlatform).ToList();
            var right = entries.Where(osm.IsStopPosition).ToList();
            if (left.Count == 0 || right.Count == 0)
            {
                continue;
            }

            var selected = Select(pairing, entries, left, right, counts.Source(uic), counts.Perfect(uic), uicGuard: false);
            Register(osm, selected.Pairs, selected.Perfect ? StopUnitKinds.GroupPairUicEqual15M : StopUnitKinds.GroupPairUic);
        }
    }

    // Every name key is decided against the grouping as it stood before this step and registered after all keys, so
    // key order cannot change a decision.
    private static void RegisterNamePairs(EngineState state, SourceCounts counts, ReciprocalPairing pairing)
    {
        var osm = state.Osm;
        var groupedBefore = new bool[osm.Elements.Length];
        for (var j = 0; j < groupedBefore.Length; j++)
        {
            groupedBefore[j] = osm.Units.IsGrouped(j);
        }

        var selectedByAnchor = new OrderedMultimap<(int Left, int Right, string Kind)>();
        foreach (var name in osm.NameIndex.Keys)
        {
            var entries = osm.NameIndex[name].Where(j => !osm.IsWay[j] && !groupedBefore[j]).ToList();
            if (entries.Count < 2)
            {
                continue;
            }

            var left = entries.Where(osm.IsPlatform).ToList();
            var right = entries.Where(osm.IsStopPosition).ToList();
            if (left.Count == 0 || right.Count == 0)
            {
                continue;
            }

            var byAnchor = new OrderedMultimap<int>();
            var sideOfAnchor = new Dictionary<string, (List<int> Left, List<int> Right)>(StringComparer.Ordinal);
            foreach (var j in entries)
            {
                if (Anchor(osm, counts, j) is not { } anchor || !(osm.IsPlatform(j) || osm.IsStopPosition(j)))
                {
                    continue;
                }

                byAnchor.Touch(anchor);
                if (!sideOfAnchor.TryGetValue(anchor, out var sides))
                {
                    sides = ([], []);
                    sideOfAnchor[anchor] = sides;
                }

                (osm.IsPlatform(j) ? sides.Left : sides.Right).Add(j);
            }

            var handled = new HashSet<string>(StringComparer.Ordinal);
            foreach (var anchor in byAnchor.Keys)
            {
                var (anchorLeft, anchorRight) = sideOfAnchor[anchor];
                var perfect = PerfectPairs(pairing, anchorLeft, anchorRight, counts.Perfect(anchor), uicGuard: true);
                if (perfect is not null)
                {
                    selectedByAnchor.AddRange(anchor, perfect.Select(p => (p.Left, p.Right, StopUnitKinds.GroupPairNameEqual15M)));
                    handled.Add(anchor);
                }
            }

            var tables = pairing.Tables(left, right, uicGuard: true, MatchingThresholds.PairMeters * MatchingThresholds.RelaxedPairRatio);
            var strict = ByAnchor(osm, counts, ReciprocalPairing.Pairs(tables, right, MatchingThresholds.PairMeters, MatchingThresholds.StrictPairRatio));
            var relaxed = ByAnchor(osm, counts, ReciprocalPairing.Pairs(tables, right, MatchingThresholds.PairMeters, MatchingThresholds.RelaxedPairRatio));
            foreach (var anchor in strict.Keys.Concat(relaxed.Keys).Distinct(StringComparer.Ordinal))
            {
                if (handled.Contains(anchor))
                {
                    continue;
                }

                var strictPairs = strict[anchor];
                var relaxedPairs = relaxed[anchor];
                var source = counts.Source(anchor);
                if (strictPairs.Count > 0 && source > 0 && source == LogicalCount(osm, anchor, strictPairs, groupedBefore))
                {
                    selectedByAnchor.AddRange(anchor, strictPairs.Select(p => (p.Left, p.Right, StopUnitKinds.GroupPairName)));
                }
                else if (relaxedPairs.Count > 0 && source > 0)
                {
                    selectedByAnchor.AddRange(anchor, relaxedPairs.Select(p => (p.Left, p.Right, StopUnitKinds.GroupPairName)));
                }
            }
        }

        foreach (var anchor in selectedByAnchor.Keys)
        {
            foreach (var (l, r, kind) in selectedByAnchor[anchor])
            {
                RegisterIfFree(osm, l, r, kind);
            }
        }
    }

    /// <summary>The OSM stops the anchor UIC would have with the strict name pairs, to compare with its ATLAS rows.</summary>
    private static int LogicalCount(OsmSide osm, string anchor, IReadOnlyList<(int Left, int Right)> strictPairs, bool[] groupedBefore)
    {
        var uicElements = osm.UicIndex[anchor].ToHashSet();
        var pairElements = strictPairs.SelectMany(p => new[] { p.Left, p.Right }).ToHashSet();
        var representatives = uicElements.Count(j => osm.Units.IsGrouped(j) && !osm.Units.IsHidden(j));
        var ungrouped = uicElements.Union(pairElements).Count(j => !groupedBefore[j] && !pairElements.Contains(j));
        return representatives + strictPairs.Count + ungrouped;
    }

    /// <summary>A tram_stop that is also a stop_position sits on both sides; pairing skips an element with itself.</summary>
    private static void RegisterTramPairs(EngineState state, SourceCounts counts, ReciprocalPairing pairing)
    {
        var osm = state.Osm;
        foreach (var uic in osm.UicIndex.Keys)
        {
            var entries = osm.UicIndex[uic].Where(j => !osm.IsWay[j] && !osm.Units.IsGrouped(j)).ToList();
            if (entries.Count < 2)
            {
                continue;
            }

            var left = entries.Where(j => osm.IsTramStop[j]).ToList();
            var right = entries.Where(osm.IsStopPosition).ToList();
            if (left.Count == 0 || right.Count == 0)
            {
                continue;
            }

            var selected = Select(pairing, entries, left, right, counts.Source(uic), counts.Perfect(uic), uicGuard: false);
            foreach (var (l, r) in selected.Pairs)
            {
                RegisterIfFree(osm, l, r, selected.Perfect ? StopUnitKinds.GroupPairTramEqual15M : StopUnitKinds.GroupPairTram);
            }
        }
    }

    private static (List<(int Left, int Right)> Pairs, bool Perfect) Select(
        ReciprocalPairing pairing, List<int> entries, List<int> left, List<int> right, int sourceCount, int perfectCount, bool uicGuard)
    {
        if (PerfectPairs(pairing, left, right, perfectCount, uicGuard) is { } perfect)
        {
            return (perfect, true);
        }

        var tables = pairing.Tables(left, right, uicGuard, MatchingThresholds.PairMeters * MatchingThresholds.RelaxedPairRatio);
        var strict = ReciprocalPairing.Pairs(tables, right, MatchingThresholds.PairMeters, MatchingThresholds.StrictPairRatio);
        if (strict.Count > 0 && sourceCount > 0)
        {
            var paired = strict.SelectMany(p => new[] { p.Left, p.Right }).ToHashSet();
            if (sourceCount == strict.Count + entries.Count(e => !paired.Contains(e)))
            {
                return (strict, false);
            }
        }

        var relaxed = ReciprocalPairing.Pairs(tables, right, MatchingThresholds.PairMeters, MatchingThresholds.RelaxedPairRatio);
        return relaxed.Count > 0 && sourceCount > 0 ? (relaxed, false) : ([], false);
    }

    private static List<(int Left, int Right)>? PerfectPairs(ReciprocalPairing pairing, List<int> left, List<int> right, int perfectCount, bool uicGuard)
    {
        if (perfectCount <= 0 || left.Count != perfectCount || right.Count != perfectCount)
        {
            return null;
        }

        var pairs = pairing.Pairs(left, right, MatchingThresholds.PerfectCountPairMeters, 0, uicGuard);
        return pairs.Count == perfectCount ? pairs : null;
    }

    private static string? Anchor(OsmSide osm, SourceCounts counts, int j)
    {
        if (osm.UicRef[j].Length > 0)
        {
            return osm.UicRef[j];
        }

        return osm.Elements[j].Tags.TryGetValue("uic_name", out var uicName) && uicName.Length > 0 ? counts.UicOfName(uicName) : null;
    }

    private static OrderedMultimap<(int Left, int Right)> ByAnchor(OsmSide osm, SourceCounts counts, List<(int Left, int Right)> pairs)
    {
        var result = new OrderedMultimap<(int Left, int Right)>();
        foreach (var pair in pairs)
        {
            var anchor = osm.UicRef[pair.Left].Length > 0 ? osm.UicRef[pair.Left]
                : osm.UicRef[pair.Right].Length > 0 ? osm.UicRef[pair.Right]
                : UicOfUicName(osm, counts, pair.Left) ?? UicOfUicName(osm, counts, pair.Right);
            if (anchor is not null)
            {
                result.Add(anchor, pair);
            }
        }

        return result;
    }

    private static string? UicOfUicName(OsmSide osm, SourceCounts counts, int j) =>
        osm.Elements[j].Tags.TryGetValue("uic_name", out var uicName) && uicName.Length > 0 ? counts.UicOfName(uicName) : null;

    private static void Register(OsmSide osm, List<(int Left, int Right)> pairs, string kind)
    {
        foreach (var (l, r) in pairs)
        {
            RegisterIfFree(osm, l, r, kind);
        }
    }

    private static void RegisterIfFree(OsmSide osm, int left, int right, string kind)
    {
        if (!osm.Units.IsGrouped(left) && !osm.Units.IsGrouped(right) && left != right)
        {
            osm.Units.RegisterPair(left, right, kind);
        }
    }

    private sealed class SourceCounts
    {
        private readonly Dictionary<string, int> _source = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _perfect = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _uicOfName = new(StringComparer.Ordinal);

        public int Source(string uic) => _source.GetValueOrDefault(uic);

        // Rows far from every OSM element of their UIC would otherwise spoil a count that OSM matches perfectly.
        public int Perfect(string uic) => _perfect.GetValueOrDefault(uic);

        public string? UicOfName(string name) => _uicOfName.GetValueOrDefault(name);

        public static SourceCounts From(EngineState state)
        {
            var counts = new SourceCounts();
            var atlas = state.Atlas;
            var osm = state.Osm;
            var near = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < atlas.Rows.Length; i++)
            {
                var row = atlas.Rows[i];
                if (row.Number.Length == 0)
                {
                    continue;
                }

                counts._source[row.Number] = counts._source.GetValueOrDefault(row.Number) + 1;
                if (row.DesignationOfficial.Length > 0)
                {
                    counts._uicOfName[row.DesignationOfficial] = row.Number; // the last row wins
                }

                var elements = osm.UicIndex[row.Number];
                if (elements.Count == 0)
                {
                    continue;
                }

                var nearest = elements.Min(j => Haversine.DistanceMeters(row.Lat, row.Lon, osm.Lat[j], osm.Lon[j]));
                near[row.Number] = near.GetValueOrDefault(row.Number) + (nearest <= MatchingThresholds.NearbySourceMeters ? 1 : 0);
            }

            foreach (var (uic, source) in counts._source)
            {
                counts._perfect[uic] = osm.UicIndex.Contains(uic) ? near.GetValueOrDefault(uic) : source;
            }

            return counts;
        }
    }
}
