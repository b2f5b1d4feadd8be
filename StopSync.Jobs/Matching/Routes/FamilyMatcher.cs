namespace StopSync.Jobs.Matching.Routes;

/// <summary>
/// Line families, greedy 1:1 over four tiers (docs/07-matching.md#matching). Candidates come from indexes of the ATLAS
/// families by each id form and by (mode, ref), so the work grows with the number of families, not with its square.
/// </summary>
internal static class FamilyMatcher
{
    public const double ExactScore = 1.0;
    public const double NormalizedScore = 0.95;
    public const double DisplayScore = 0.9;
    public const double RefAndStopsScore = 0.8;

    /// <summary>Share of the OSM family's distinct stops that must be found among the ATLAS family's stops (tier 4).</summary>
    private const int RefAndStopsPercent = 50;

    /// <param name="atlas">Ordered by family id.</param>
    /// <param name="osm">Ordered by family id; families flagged non-GTFS on input take no part.</param>
    /// <returns>Pairs as indexes into the two lists, ordered by ATLAS family id.</returns>
    public static List<FamilyPair> Match(LineFamily[] atlas, LineFamily[] osm, StopKeyTable keys)
    {
        var byExact = Index(atlas, f => HasGtfsId(f) ? f.GtfsRouteId : null);
        var byNormalized = Index(atlas, f => HasGtfsId(f) ? RouteIds.Normalize(f.GtfsRouteId!) : null);
        var byDisplay = Index(atlas, f => HasGtfsId(f) ? RouteIds.Display(f.GtfsRouteId!) : null);
        var byModeAndRef = Index(atlas, f => RefKey(f.Mode, f.Ref));
        var atlasKeySets = new HashSet<int>?[atlas.Length];

        var candidates = new List<FamilyPair>();
        var seen = new HashSet<int>();
        for (var o = 0; o < osm.Length; o++)
        {
            var family = osm[o];
            if (family.IsNonGtfs)
            {
                continue;
            }

            seen.Clear();
            if (HasGtfsId(family))
            {
                var id = family.GtfsRouteId!;
                Add(byExact, id, RouteMatchMethods.ExactGtfsRouteId, ExactScore);
                Add(byNormalized, RouteIds.Normalize(id), RouteMatchMethods.NormalizedRouteId, NormalizedScore);
                Add(byDisplay, RouteIds.Display(id), RouteMatchMethods.DisplayRouteId, DisplayScore);
            }
            else if (RefKey(family.Mode, family.Ref) is { } refKey && byModeAndRef.TryGetValue(refKey, out var sameRef))
            {
                foreach (var a in sameRef)
                {
                    atlasKeySets[a] ??= KeySet(atlas[a], keys);
                    if (SharesStops(family, atlasKeySets[a]!, keys))
                    {
                        candidates.Add(new FamilyPair(a, o, RouteMatchMethods.RefAndStops, RefAndStopsScore));
                    }
                }
            }

            // Tiers run strongest first and a pair already proposed keeps its stronger method.
            void Add(Dictionary<string, List<int>> index, string key, string method, double score)
            {
                if (!index.TryGetValue(key, out var found))
                {
                    return;
                }

                foreach (var a in found)
                {
                    if (seen.Add(a))
                    {
                        candidates.Add(new FamilyPair(a, o, method, score));
                    }
                }
            }
        }

        candidates.Sort((x, y) =>
        {
            var byScore = y.Score.CompareTo(x.Score);
            if (byScore != 0)
            {
                return byScore;
            }

            var byAtlas = string.CompareOrdinal(atlas[x.Atlas].FamilyId, atlas[y.Atlas].FamilyId);
            return byAtlas != 0 ? byAtlas : string.CompareOrdinal(osm[x.Osm].FamilyId, osm[y.Osm].FamilyId);
        });

        var atlasTaken = new bool[atlas.Length];
        var osmTaken = new bool[osm.Length];
        var pairs = new List<FamilyPair>();
        foreach (var candidate in candidates)
        {
            if (!atlasTaken[candidate.Atlas] && !osmTaken[candidate.Osm])
            {
                atlasTaken[candidate.Atlas] = true;
                osmTaken[candidate.Osm] = true;
                pairs.Add(candidate);
            }
        }

        pairs.Sort((x, y) => x.Atlas.CompareTo(y.Atlas));
        return pairs;
    }

    public static bool HasGtfsId(LineFamily family) => !string.IsNullOrWhiteSpace(family.GtfsRouteId);

    private static string? RefKey(string mode, string? lineRef) =>
        string.IsNullOrWhiteSpace(lineRef) ? null : mode + "\n" + lineRef.Trim().ToUpperInvariant();

    private static Dictionary<string, List<int>> Index(LineFamily[] families, Func<LineFamily, string?> key)
    {
        var index = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var k = 0; k < families.Length; k++)
        {
            if (key(families[k]) is { } value)
            {
                if (!index.TryGetValue(value, out var list))
                {
                    index[value] = list = [];
                }

                list.Add(k);
            }
        }

        return index;
    }

    private static HashSet<int> KeySet(LineFamily family, StopKeyTable keys)
    {
        var set = new HashSet<int>();
        foreach (var itinerary in family.Itineraries)
        {
            foreach (var call in keys.Calls(itinerary))
            {
                set.UnionWith(call);
            }
        }

        return set;
    }

    /// <summary>
    /// At least half of the OSM family's distinct stops (by identity key) are found in the ATLAS family, found meaning
    /// a shared key as in the alignment: the timetable's line serves those stops.
    /// </summary>
    private static bool SharesStops(LineFamily osm, HashSet<int> atlasKeys, StopKeyTable keys)
    {
        var stops = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var itinerary in osm.Itineraries)
        {
            var calls = keys.Calls(itinerary);
            for (var k = 0; k < calls.Length; k++)
            {
                var identity = itinerary.Calls[k].StopKeys[0];
                stops[identity] = stops.GetValueOrDefault(identity) || calls[k].Any(atlasKeys.Contains);
            }
        }

        return stops.Count > 0 && stops.Count(s => s.Value) * 100 >= stops.Count * RefAndStopsPercent;
    }
}

/// <param name="Atlas">Index into the ordered ATLAS families.</param>
/// <param name="Osm">Index into the ordered OSM families.</param>
internal sealed record FamilyPair(int Atlas, int Osm, string Method, double Score);
