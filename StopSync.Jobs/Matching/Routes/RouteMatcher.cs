using StopSync.Jobs.Matching.Engine;

namespace StopSync.Jobs.Matching.Routes;

/// <summary>Line families, then itineraries inside matched families, then route problems (docs/07-matching.md#lines-and-itineraries).</summary>
public static class RouteMatcher
{
    public static RouteMatchingOutput Match(IReadOnlyList<LineFamily> atlas, IReadOnlyList<LineFamily> osm, RouteMatchingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(atlas);
        ArgumentNullException.ThrowIfNull(osm);
        options ??= RouteMatchingOptions.Default;

        var atlasFamilies = atlas.OrderBy(f => f.FamilyId, StringComparer.Ordinal).ToArray();
        var osmFamilies = osm.OrderBy(f => f.FamilyId, StringComparer.Ordinal).ToArray();
        var keys = new StopKeyTable();
        var pairs = FamilyMatcher.Match(atlasFamilies, osmFamilies, keys);

        // An OSM family without any GTFS id that found no timetable line is non-GTFS (a tourist or school bus…).
        var osmMatched = new bool[osmFamilies.Length];
        foreach (var pair in pairs)
        {
            osmMatched[pair.Osm] = true;
        }

        for (var o = 0; o < osmFamilies.Length; o++)
        {
            if (!osmMatched[o] && !osmFamilies[o].IsNonGtfs && !FamilyMatcher.HasGtfsId(osmFamilies[o]))
            {
                osmFamilies[o] = osmFamilies[o] with { IsNonGtfs = true };
            }
        }

        var aligned = new List<AlignedItineraries>();
        foreach (var pair in pairs)
        {
            ItineraryMatcher.Match(atlasFamilies[pair.Atlas], osmFamilies[pair.Osm], keys, options, aligned);
        }

        var problems = RouteProblemDetector.Detect(atlasFamilies, osmFamilies, pairs, aligned, keys);
        var familyMatches = pairs
            .Select(p => new LineFamilyMatch(atlasFamilies[p.Atlas].FamilyId, osmFamilies[p.Osm].FamilyId, p.Method, p.Score))
            .ToList();
        var itineraryMatches = aligned.Select(a => a.Match).ToList();
        return new RouteMatchingOutput(
            [.. atlasFamilies, .. osmFamilies],
            familyMatches,
            itineraryMatches,
            problems.Problems,
            Summarize(atlasFamilies, osmFamilies, familyMatches, itineraryMatches, problems));
    }

    private static RouteMatchingSummary Summarize(
        LineFamily[] atlas, LineFamily[] osm, List<LineFamilyMatch> families, List<ItineraryMatch> itineraries, RouteProblems problems)
    {
        var byMethod = families.CountBy(f => f.Method).ToDictionary();
        var byType = problems.Problems.CountBy(p => p.Type).ToDictionary();
        return new RouteMatchingSummary(
            AtlasFamilies: atlas.Length,
            OsmFamilies: osm.Length,
            NonGtfsFamilies: osm.Count(f => f.IsNonGtfs),
            AtlasItineraries: atlas.Sum(f => f.Itineraries.Count),
            OsmItineraries: osm.Sum(f => f.Itineraries.Count),
            StopCalls: atlas.Concat(osm).Sum(f => f.Itineraries.Sum(i => i.Calls.Count)),
            MatchedFamilies: families.Count,
            MatchedItineraries: itineraries.Count,
            FamiliesByMethod: [.. RouteMatchMethods.FamilyMethods.Select(m => new KeyValuePair<string, int>(m, byMethod.GetValueOrDefault(m)))],
            ProblemsByType: [.. ProblemTypes.Route.Select(t => new KeyValuePair<string, int>(t, byType.GetValueOrDefault(t)))],
            UnplacedProblems: problems.Unplaced);
    }
}
