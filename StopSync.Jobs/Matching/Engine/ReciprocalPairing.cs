namespace StopSync.Jobs.Matching.Engine;

internal readonly record struct NearestCounterpart(int Best, double D1, double? D2);

internal sealed record NearestTables(Dictionary<int, NearestCounterpart> Right, Dictionary<int, NearestCounterpart> Left);

/// <summary>Reciprocal pairing (docs/07-matching.md#stop-units-before-any-stage); ties go to the first in list order.</summary>
internal sealed class ReciprocalPairing(EngineState state)
{
    /// <summary>
    /// Up to this many distance evaluations a side is compared with the other by brute force; beyond it (very common
    /// names) the spatial index answers, which is exact for the pairing decision: a pair needs d1 ≤ maxD, and a second
    /// neighbour further than ratio·maxD can never fail the ratio test, so nothing beyond that radius matters.
    /// </summary>
    public const int BruteForceLimit = 4096;

    private readonly int[] _multiplicity = new int[state.Osm.Elements.Length];
    private readonly List<Neighbor> _buffer = [];

    /// <summary>For tests that compare the brute-force and the indexed answers.</summary>
    public bool ForceBruteForce { get; init; }

    public List<(int Left, int Right)> Pairs(IReadOnlyList<int> left, IReadOnlyList<int> right, double maxDistance, double ratio, bool uicGuard) =>
        Pairs(Tables(left, right, uicGuard, maxDistance * Math.Max(1, ratio)), right, maxDistance, ratio);

    public NearestTables Tables(IReadOnlyList<int> left, IReadOnlyList<int> right, bool uicGuard, double searchRadius) =>
        new(Nearest(right, left, uicGuard, searchRadius), Nearest(left, right, uicGuard, searchRadius));

    /// <summary>Ratio 0 disables the ratio test; a nearest at distance 0 always passes it.</summary>
    public static List<(int Left, int Right)> Pairs(NearestTables tables, IReadOnlyList<int> right, double maxDistance, double ratio)
    {
        var pairs = new List<(int, int)>();
        var usedLeft = new HashSet<int>();
        var usedRight = new HashSet<int>();
        foreach (var r in right)
        {
            if (usedRight.Contains(r) || !tables.Right.TryGetValue(r, out var fromRight) || fromRight.D1 > maxDistance)
            {
                continue;
            }

            var l = fromRight.Best;
            if (usedLeft.Contains(l) || !tables.Left.TryGetValue(l, out var fromLeft) || fromLeft.D1 > maxDistance || fromLeft.Best != r)
            {
                continue;
            }

            if (FailsRatio(fromRight, ratio) || FailsRatio(fromLeft, ratio))
            {
                continue;
            }

            pairs.Add((l, r));
            usedLeft.Add(l);
            usedRight.Add(r);
        }

        return pairs;
    }

    private static bool FailsRatio(NearestCounterpart n, double ratio) => n.D2 is { } d2 && n.D1 > 0 && d2 / n.D1 < ratio;

    private Dictionary<int, NearestCounterpart> Nearest(IReadOnlyList<int> from, IReadOnlyList<int> to, bool uicGuard, double searchRadius)
    {
        var table = new Dictionary<int, NearestCounterpart>();
        if (to.Count == 0)
        {
            return table;
        }

        var useIndex = !ForceBruteForce && (long)from.Count * to.Count > BruteForceLimit;
        if (useIndex)
        {
            foreach (var t in to)
            {
                _multiplicity[t]++;
            }
        }

        try
        {
            foreach (var f in from)
            {
                if (table.ContainsKey(f))
                {
                    continue;
                }

                var tracker = new Tracker();
                if (useIndex)
                {
                    var osm = state.Osm;
                    state.AllOsmGrid.Within(osm.Lat[f], osm.Lon[f], searchRadius, _buffer, j => _multiplicity[j] > 0);
                    foreach (var neighbor in _buffer)
                    {
                        for (var k = 0; k < _multiplicity[neighbor.Index]; k++)
                        {
                            Consider(ref tracker, f, neighbor.Index, neighbor.Distance, uicGuard);
                        }
                    }
                }
                else
                {
                    foreach (var t in to)
                    {
                        Consider(ref tracker, f, t, double.NaN, uicGuard);
                    }
                }

                if (tracker.Best >= 0)
                {
                    table[f] = new NearestCounterpart(tracker.Best, tracker.D1, tracker.D2);
                }
            }
        }
        finally
        {
            if (useIndex)
            {
                foreach (var t in to)
                {
                    _multiplicity[t] = 0;
                }
            }
        }

        return table;
    }

    private void Consider(ref Tracker tracker, int from, int to, double knownDistance, bool uicGuard)
    {
        var osm = state.Osm;
        if (from == to)
        {
            return;
        }

        // With the guard, two elements that both carry a uic_ref must carry the same one.
        if (uicGuard && osm.UicRef[from].Length > 0 && osm.UicRef[to].Length > 0 && osm.UicRef[from] != osm.UicRef[to])
        {
            return;
        }

        var d = double.IsNaN(knownDistance) ? Haversine.DistanceMeters(osm.Lat[from], osm.Lon[from], osm.Lat[to], osm.Lon[to]) : knownDistance;
        if (tracker.Best < 0 || d < tracker.D1)
        {
            tracker.D2 = tracker.Best < 0 ? null : tracker.D1;
            tracker.Best = to;
            tracker.D1 = d;
        }
        else if (tracker.D2 is null || d < tracker.D2)
        {
            tracker.D2 = d;
        }
    }

    private struct Tracker()
    {
        public int Best = -1;
        public double D1 = double.PositiveInfinity;
        public double? D2 = null;
    }
}
