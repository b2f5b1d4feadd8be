namespace StopSync.Jobs.Matching.Routes;

/// <summary>
/// Itineraries inside one matched family pair (docs/07-matching.md#matching): the direction rule, the ordered stop score
/// ≥ 0.8, then greedy 1:1. Only the two families' itineraries are ever compared.
/// </summary>
internal static class ItineraryMatcher
{
    public const double KnownDirectionScore = 1.0;
    public const double UnknownDirectionScore = 0.5;

    public static void Match(
        LineFamily atlas, LineFamily osm, StopKeyTable keys, RouteMatchingOptions options, List<AlignedItineraries> into)
    {
        var candidates = new List<Candidate>();
        var osmMasks = new Dictionary<int, ulong>?[osm.Itineraries.Count];
        var masked = new bool[osm.Itineraries.Count];
        foreach (var a in atlas.Itineraries)
        {
            for (var k = 0; k < osm.Itineraries.Count; k++)
            {
                var o = osm.Itineraries[k];
                if (DirectionScore(a.DirectionId, o.DirectionId, options) is not { } direction)
                {
                    continue;
                }

                // The alignment can align at most the shorter itinerary: skip pairs that cannot reach the threshold.
                if (!StopAlignment.Accepts(Math.Min(a.Calls.Count, o.Calls.Count), a.Calls.Count, o.Calls.Count))
                {
                    continue;
                }

                if (!masked[k])
                {
                    osmMasks[k] = StopAlignment.PositionMasks(keys.Calls(o));
                    masked[k] = true;
                }

                var matched = StopAlignment.Length(keys.Calls(a), keys.Calls(o), osmMasks[k]);
                if (StopAlignment.Accepts(matched, a.Calls.Count, o.Calls.Count))
                {
                    candidates.Add(new Candidate(a, o, direction, matched, Math.Max(a.Calls.Count, o.Calls.Count)));
                }
            }
        }

        candidates.Sort(Compare);
        var atlasTaken = new HashSet<Itinerary>(ReferenceEqualityComparer.Instance);
        var osmTaken = new HashSet<Itinerary>(ReferenceEqualityComparer.Instance);
        var start = into.Count;
        foreach (var c in candidates)
        {
            if (atlasTaken.Contains(c.Atlas) || osmTaken.Contains(c.Osm))
            {
                continue;
            }

            atlasTaken.Add(c.Atlas);
            osmTaken.Add(c.Osm);
            var stopScore = (double)c.Matched / c.Longest;
            var match = new ItineraryMatch(
                atlas.FamilyId,
                osm.FamilyId,
                c.Atlas.ItineraryId,
                c.Osm.ItineraryId,
                DirectionScore: c.Direction,
                StopScore: stopScore,
                GeometryScore: null,
                OverallScore: (c.Direction + stopScore) / 2,
                MatchedStops: c.Matched,
                MatchReason: RouteMatchMethods.OrderedStopMatch);
            into.Add(new AlignedItineraries(match, c.Atlas, c.Osm, StopAlignment.Align(keys.Calls(c.Atlas), keys.Calls(c.Osm))));
        }

        into.Sort(start, into.Count - start, Comparer<AlignedItineraries>.Create(
            (x, y) => string.CompareOrdinal(x.Match.AtlasItineraryId, y.Match.AtlasItineraryId)));
    }

    private static double? DirectionScore(string? atlas, string? osm, RouteMatchingOptions options) =>
        atlas is not null && osm is not null
            ? string.Equals(atlas, osm, StringComparison.Ordinal) ? KnownDirectionScore : null
            : options.AllowUnknownDirection ? UnknownDirectionScore : null;

    /// <summary>More matched stops first, then the higher stop score, then ATLAS itinerary id, then OSM itinerary id.</summary>
    private static int Compare(Candidate x, Candidate y)
    {
        var byMatched = y.Matched.CompareTo(x.Matched);
        if (byMatched != 0)
        {
            return byMatched;
        }

        // Equal matched counts: the higher ratio has the shorter longest side; compared exactly, without division.
        var byScore = ((long)y.Matched * x.Longest).CompareTo((long)x.Matched * y.Longest);
        if (byScore != 0)
        {
            return byScore;
        }

        var byAtlas = string.CompareOrdinal(x.Atlas.ItineraryId, y.Atlas.ItineraryId);
        return byAtlas != 0 ? byAtlas : string.CompareOrdinal(x.Osm.ItineraryId, y.Osm.ItineraryId);
    }

    private sealed record Candidate(Itinerary Atlas, Itinerary Osm, double Direction, int Matched, int Longest);
}

/// <summary>A matched itinerary pair with its alignment: what the membership problems are read from.</summary>
/// <param name="Pairs">Aligned (atlas call index, osm call index), in order.</param>
internal sealed record AlignedItineraries(ItineraryMatch Match, Itinerary Atlas, Itinerary Osm, (int Atlas, int Osm)[] Pairs);
