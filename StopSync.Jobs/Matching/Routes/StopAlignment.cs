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
