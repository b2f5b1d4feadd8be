namespace StopSync.Web.Pages.Routes;

/// <summary>How one row of a side-by-side comparison differs (docs/08-site.md, "Routes").</summary>
public static class CallStatus
{
    /// <summary>Aligned, and the two calls share a stop identity beyond the station number.</summary>
    public const string Same = "same";

    /// <summary>Aligned only through the <c>uic:</c> key while both sides have SLOIDs: the same station, another platform.</summary>
    public const string OtherPlatform = "other_platform";

    /// <summary>A timetable call that the OSM itinerary does not serve anywhere.</summary>
    public const string MissingInOsm = "missing_in_osm";

    /// <summary>An OSM call that the timetable itinerary does not serve anywhere.</summary>
    public const string ExtraInOsm = "extra_in_osm";

    /// <summary>Served by both itineraries, but not where the alignment could pair it.</summary>
    public const string OutOfOrder = "out_of_order";

    /// <summary>Only one itinerary is shown: nothing to compare with.</summary>
    public const string Unpaired = "unpaired";
}

/// <summary>
/// Ordered alignment of two stop sequences by the rule route matching uses (docs/07-matching.md, "Lines and
/// itineraries"): two calls are the same stop when their stop keys intersect; the longest common subsequence under that
/// equality pairs them, and stop score = pairs / max(length of either side).
/// </summary>
public static class RouteAlignment
{
    private const string UicPrefix = "uic:";
    private const string SloidPrefix = "sloid:";

    public sealed record Row(int? AtlasIndex, int? OsmIndex, string Status);

    public sealed record Result(IReadOnlyList<Row> Rows, int Matched)
    {
        public double? Score(int atlasCount, int osmCount) =>
            Math.Max(atlasCount, osmCount) is > 0 and var longest ? (double)Matched / longest : null;
    }

    public static bool SameStop(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        foreach (var key in a)
        {
            foreach (var other in b)
            {
                if (string.Equals(key, other, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Length of the longest common subsequence only: what ranking candidates needs, in O(n·m) time and O(m) memory.</summary>
    public static int MatchedCount(IReadOnlyList<IReadOnlyList<string>> atlas, IReadOnlyList<IReadOnlyList<string>> osm)
    {
        var previous = new int[osm.Count + 1];
        var current = new int[osm.Count + 1];
        for (var i = 1; i <= atlas.Count; i++)
        {
            current[0] = 0;
            for (var j = 1; j <= osm.Count; j++)
            {
                current[j] = SameStop(atlas[i - 1], osm[j - 1])
                    ? previous[j - 1] + 1
                    : Math.Max(previous[j], current[j - 1]);
            }

            (previous, current) = (current, previous);
        }

        return previous[osm.Count];
    }

    /// <summary>
    /// The rows of the comparison in itinerary order. Ties in the traceback prefer pairing two calls, then leaving the
    /// timetable call unpaired, so a run of differences shows the timetable's stops before OSM's.
    /// </summary>
    public static Result Align(IReadOnlyList<IReadOnlyList<string>> atlas, IReadOnlyList<IReadOnlyList<string>> osm)
    {
        if (atlas.Count == 0 || osm.Count == 0)
        {
            return new Result(
                [.. atlas.Select((_, i) => new Row(i, null, osm.Count == 0 ? CallStatus.Unpaired : CallStatus.MissingInOsm)),
                 .. osm.Select((_, j) => new Row(null, j, atlas.Count == 0 ? CallStatus.Unpaired : CallStatus.ExtraInOsm))], 0);
        }

        var n = atlas.Count;
        var m = osm.Count;
        var length = new int[n + 1, m + 1];
        for (var i = 1; i <= n; i++)
        {
            for (var j = 1; j <= m; j++)
            {
                length[i, j] = SameStop(atlas[i - 1], osm[j - 1])
                    ? Math.Max(length[i - 1, j - 1] + 1, Math.Max(length[i - 1, j], length[i, j - 1]))
                    : Math.Max(length[i - 1, j], length[i, j - 1]);
            }
        }

        var pairs = new List<(int? A, int? O)>();
        var (x, y) = (n, m);
        while (x > 0 || y > 0)
        {
            if (x > 0 && y > 0 && SameStop(atlas[x - 1], osm[y - 1]) && length[x, y] == length[x - 1, y - 1] + 1)
            {
                pairs.Add((x - 1, y - 1));
                x--;
                y--;
            }
            else if (x > 0 && (y == 0 || length[x - 1, y] > length[x, y - 1]))
            {
                pairs.Add((x - 1, null));
                x--;
            }
            else
            {
                // On a tie the OSM gap is taken first: walking backwards, that puts the timetable's gap first in reading order.
                pairs.Add((null, y - 1));
                y--;
            }
        }

        pairs.Reverse();
        var rows = new List<Row>(pairs.Count);
        foreach (var (a, o) in pairs)
        {
            string status;
            if (a is { } ai && o is { } oi)
            {
                status = OnlyStation(atlas[ai], osm[oi]) ? CallStatus.OtherPlatform : CallStatus.Same;
            }
            else if (a is { } onlyA)
            {
                status = osm.Any(call => SameStop(atlas[onlyA], call)) ? CallStatus.OutOfOrder : CallStatus.MissingInOsm;
            }
            else
            {
                status = atlas.Any(call => SameStop(call, osm[o!.Value])) ? CallStatus.OutOfOrder : CallStatus.ExtraInOsm;
            }

            rows.Add(new Row(a, o, status));
        }

        return new Result(rows, rows.Count(r => r.AtlasIndex is not null && r.OsmIndex is not null));
    }

    // Both sides know their platform (a SLOID) and the only key they share is the station number.
    private static bool OnlyStation(IReadOnlyList<string> a, IReadOnlyList<string> b) =>
        a.Any(k => k.StartsWith(SloidPrefix, StringComparison.Ordinal))
        && b.Any(k => k.StartsWith(SloidPrefix, StringComparison.Ordinal))
        && a.Where(b.Contains).All(k => k.StartsWith(UicPrefix, StringComparison.Ordinal));
}
