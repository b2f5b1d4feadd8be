using System.Numerics;

namespace StopSync.Jobs.Matching.Routes;

/// <summary>
/// The ordered alignment of two itineraries (docs/07-matching.md#matching): the longest common subsequence of their
/// calls, two calls being equal when their stop keys intersect. Calls are the sorted key-id arrays of <see cref="StopKeyTable"/>.
/// </summary>
internal static class StopAlignment
{
    /// <summary>Both sides share at least one key (both arrays sorted ascending).</summary>
    public static bool Same(int[] a, int[] b)
    {
        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j])
            {
                return true;
            }

            if (a[i] < b[j])
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return false;
    }

    /// <summary>
    /// matched / max(len) ≥ 0.8 in integers (5·matched ≥ 4·max), so 4 of 5 is accepted and 79 of 100 is not, without
    /// floating-point doubt at the boundary.
    /// </summary>
    public static bool Accepts(int matched, int atlasLength, int osmLength)
    {
        var longest = Math.Max(atlasLength, osmLength);
        return longest > 0 && matched * 5 >= longest * 4;
    }

    /// <summary>Longest OSM side the bit-parallel length handles: one bit per call in a 64-bit word.</summary>
    public const int MaxBitParallelCalls = 64;

    /// <summary>
    /// For an itinerary of at most 64 calls, each key's call positions as bits (bit j: call j has the key); null for a
    /// longer one. Computed once per itinerary, it turns each row of the alignment into a few dictionary lookups.
    /// </summary>
    public static Dictionary<int, ulong>? PositionMasks(int[][] calls)
    {
        if (calls.Length > MaxBitParallelCalls)
        {
            return null;
        }

        var masks = new Dictionary<int, ulong>();
        for (var j = 0; j < calls.Length; j++)
        {
            foreach (var key in calls[j])
            {
                masks[key] = masks.GetValueOrDefault(key) | (1UL << j);
            }
        }

        return masks;
    }

    /// <summary>
    /// The number of aligned calls by the bit-parallel LCS recurrence (Crochemore et al. 2001; Hyyrö 2004): one word
    /// operation per timetable call instead of one table cell per call pair. It only needs each row's match bits, so
    /// it holds for "keys intersect", which is not transitive. Falls back to the table for OSM itineraries over 64 calls.
    /// </summary>
    public static int Length(int[][] atlas, int[][] osm, Dictionary<int, ulong>? osmMasks)
    {
        if (osmMasks is null)
        {
            return Length(atlas, osm);
        }

        // A zero bit in v marks a column where the alignment grew: their count is the length.
        var v = ulong.MaxValue;
        foreach (var call in atlas)
        {
            ulong match = 0;
            foreach (var key in call)
            {
                if (osmMasks.TryGetValue(key, out var bits))
                {
                    match |= bits;
                }
            }

            var u = v & match;
            v = (v + u) | (v - u);
        }

        var columns = osm.Length == MaxBitParallelCalls ? ulong.MaxValue : (1UL << osm.Length) - 1;
        return osm.Length - BitOperations.PopCount(v & columns);
    }

    /// <summary>The number of aligned calls, in O(n·m) time and O(m) memory.</summary>
    public static int Length(int[][] atlas, int[][] osm)
    {
        var row = new int[osm.Length + 1];
        for (var i = 1; i <= atlas.Length; i++)
        {
            var diagonal = 0;
            var a = atlas[i - 1];
            for (var j = 1; j <= osm.Length; j++)
            {
                var up = row[j];
                row[j] = Same(a, osm[j - 1]) ? diagonal + 1 : Math.Max(up, row[j - 1]);
                diagonal = up;
            }
        }

        return row[osm.Length];
    }

    /// <summary>
    /// The aligned (atlas index, osm index) pairs in order. Of several longest alignments the walk back from the end
    /// pairs two equal calls whenever it meets them and otherwise drops the timetable call first, so the result is the
    /// same on every run.
    /// </summary>
    public static (int Atlas, int Osm)[] Align(int[][] atlas, int[][] osm)
    {
        var n = atlas.Length;
        var m = osm.Length;
        var width = m + 1;
        var table = new int[(n + 1) * width];
        for (var i = 1; i <= n; i++)
        {
            for (var j = 1; j <= m; j++)
            {
                table[(i * width) + j] = Same(atlas[i - 1], osm[j - 1])
                    ? table[((i - 1) * width) + j - 1] + 1
                    : Math.Max(table[((i - 1) * width) + j], table[(i * width) + j - 1]);
            }
        }

        var pairs = new (int Atlas, int Osm)[table[(n * width) + m]];
        var k = pairs.Length;
        for (int i = n, j = m; i > 0 && j > 0;)
        {
            if (Same(atlas[i - 1], osm[j - 1]))
            {
                pairs[--k] = (i - 1, j - 1);
                i--;
                j--;
            }
            else if (table[((i - 1) * width) + j] >= table[(i * width) + j - 1])
            {
                i--;
            }
            else
            {
                j--;
            }
        }

        return pairs;
    }
}
