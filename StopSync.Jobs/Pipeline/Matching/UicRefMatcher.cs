using StopSync.Jobs.Pipeline.AtlasImport;
using StopSync.Jobs.Pipeline.OsmImport;

namespace StopSync.Jobs.Pipeline.Matching;

/// <summary>
/// The exact-reference stage on its own: ATLAS <c>number</c> = OSM <c>uic_ref</c>. Per UIC: one OSM candidate takes
/// every ATLAS platform of that UIC (N→1); one ATLAS platform takes every candidate (1→N); otherwise each platform,
/// in file order, takes the first unused candidate whose <c>local_ref</c> equals its designation (case-insensitive).
/// Station-level OSM elements are never candidates. Plain C#: no I/O, deterministic.
/// </summary>
public static class UicRefMatcher
{
    public static MatchResult Match(IReadOnlyList<AtlasPlatform> atlas, IReadOnlyList<OsmElement> osm)
    {
        var candidatesByUic = osm
            .Where(e => !e.IsStation && e.UicRef.Length > 0)
            .GroupBy(e => e.UicRef, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

        var matches = new List<MatchRecord>();
        var matchedSloids = new HashSet<string>(StringComparer.Ordinal);
        var usedOsm = new HashSet<string>(StringComparer.Ordinal);
        var buckets = atlas.Where(a => a.Number.Length > 0)
            .GroupBy(a => a.Number, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal);

        foreach (var bucket in buckets)
        {
            if (!candidatesByUic.TryGetValue(bucket.Key, out var candidates))
            {
                continue;
            }

            var platforms = bucket.ToList();
            if (candidates.Count == 1)
            {
                platforms.ForEach(p => Commit(p, candidates[0], "Single OSM element for station reference"));
            }
            else if (platforms.Count == 1)
            {
                candidates.ForEach(c => Commit(platforms[0], c, "Single source stop matched to multiple OSM elements"));
            }
            else
            {
                foreach (var platform in platforms.Where(p => p.Designation.Length > 0))
                {
                    var compatible = candidates.FirstOrDefault(c =>
                        !usedOsm.Contains(c.Id) && string.Equals(c.LocalRef, platform.Designation, StringComparison.OrdinalIgnoreCase));
                    if (compatible is not null)
                    {
                        Commit(platform, compatible, "Exact compatible reference and platform code");
                    }
                }
            }
        }

        return new MatchResult(
            matches,
            atlas.Where(a => !matchedSloids.Contains(a.Sloid)).ToList(),
            osm.Where(e => !usedOsm.Contains(e.Id)).ToList());

        void Commit(AtlasPlatform platform, OsmElement element, string notes)
        {
            var distance = Haversine.DistanceMeters(platform.Lat, platform.Lon, element.Lat, element.Lon);
            matches.Add(new MatchRecord(platform, element, MatchTypes.Exact, distance, notes));
            matchedSloids.Add(platform.Sloid);
            usedOsm.Add(element.Id);
        }
    }
}
