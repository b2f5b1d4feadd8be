using StopSync.Jobs.Matching;
using StopSync.Jobs.Sources.Atlas;

namespace StopSync.Jobs.Sources.Gtfs;

/// <summary>The four tiers of docs/06-sources.md#gtfs-timetable; the first tier that yields a sloid decides.</summary>
public static class GtfsStopResolver
{
    /// <summary>Tier 3 accepts only what is practically the same point: both sources copied one coordinate.</summary>
    public const double ProximityMeters = 0.5;

    private const double MetersPerDegreeLatitude = 111_320.0;

    // The grid cell is twice the threshold, so a pair within 0.5 m always sits in neighbouring cells even where the
    // longitude scale (fixed at 46.8°, the middle of Switzerland) overstates a degree by a few per cent.
    private const double CellMeters = 2 * ProximityMeters;

    private static readonly double MetersPerDegreeLongitude = MetersPerDegreeLatitude * Math.Cos(46.8 * Math.PI / 180);

    public static GtfsResolutionOutcome Resolve(IReadOnlyList<GtfsStop> stops, IReadOnlyList<AtlasPlatform> atlas)
    {
        var platforms = DistinctBySloid(atlas);
        var sloids = platforms.Select(p => p.Sloid).ToHashSet(StringComparer.Ordinal);
        var byPlatform = platforms
            .Select(p => (p.Sloid, Key: PlatformKey(p.Number, GtfsStopIdentity.NormalizePlatform(p.Designation))))
            .Where(p => p.Key is not null)
            .ToLookup(p => p.Key!, p => p.Sloid, StringComparer.Ordinal);
        var byNumber = platforms.Where(p => p.Number.Length > 0).ToLookup(p => p.Number, StringComparer.Ordinal);

        var resolutions = new GtfsStopResolution?[stops.Count];
        for (var i = 0; i < stops.Count; i++)
        {
            var stop = stops[i];
            if (stop.OriginalStopId is { } original && sloids.Contains(original))
            {
                resolutions[i] = Resolved(stop, [original], GtfsResolutionMethod.OriginalStopId);
                continue;
            }

            if (PlatformKey(stop.UicNumber, stop.NormalizedLocalRef) is { } key && byPlatform.Contains(key))
            {
                resolutions[i] = Resolved(stop, byPlatform[key].Order(StringComparer.Ordinal).ToArray(), GtfsResolutionMethod.UicPlatform);
            }
        }

        var conflicts = ResolveByProximity(stops, resolutions, byNumber);

        for (var i = 0; i < stops.Count; i++)
        {
            if (resolutions[i] is not null)
            {
                continue;
            }

            var stop = stops[i];
            var candidates = stop.UicNumber is { } number ? byNumber[number].ToList() : [];
            resolutions[i] = candidates.Count == 1
                ? Resolved(stop, [candidates[0].Sloid], GtfsResolutionMethod.UniqueNumber)
                : new GtfsStopResolution(stop.StopId, [], GtfsResolutionMethod.Unmatched, 0.0, null);
        }

        return new GtfsResolutionOutcome(resolutions!, conflicts);
    }

    /// <summary>Tier 3 over the stops still open; returns how many stops had more than one candidate.</summary>
    private static int ResolveByProximity(
        IReadOnlyList<GtfsStop> stops, GtfsStopResolution?[] resolutions, ILookup<string, AtlasPlatform> byNumber)
    {
        var grid = new Dictionary<(string Number, long X, long Y), List<AtlasPlatform>>();
        foreach (var group in byNumber)
        {
            foreach (var platform in group)
            {
                var cell = (group.Key, CellX(platform.Lon), CellY(platform.Lat));
                if (!grid.TryGetValue(cell, out var list))
                {
                    grid[cell] = list = [];
                }

                list.Add(platform);
            }
        }

        var pairs = new List<(int Stop, string Sloid, double Distance)>();
        for (var i = 0; i < stops.Count; i++)
        {
            var stop = stops[i];
            if (resolutions[i] is not null || stop.UicNumber is not { } number)
            {
                continue;
            }

            var (x, y) = (CellX(stop.Lon), CellY(stop.Lat));
            for (var dx = -1; dx <= 1; dx++)
            {
                for (var dy = -1; dy <= 1; dy++)
                {
                    if (!grid.TryGetValue((number, x + dx, y + dy), out var cellPlatforms))
                    {
                        continue;
                    }

                    foreach (var platform in cellPlatforms)
                    {
                        var distance = Haversine.DistanceMeters(stop.Lat, stop.Lon, platform.Lat, platform.Lon);
                        if (distance <= ProximityMeters)
                        {
                            pairs.Add((i, platform.Sloid, distance));
                        }
                    }
                }
            }
        }

        var perStop = pairs.CountBy(p => p.Stop).ToDictionary();
        var perSloid = pairs.CountBy(p => p.Sloid, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
        foreach (var (stopIndex, sloid, distance) in pairs)
        {
            if (perStop[stopIndex] == 1 && perSloid[sloid] == 1)
            {
                resolutions[stopIndex] = new GtfsStopResolution(
                    stops[stopIndex].StopId,
                    [sloid],
                    GtfsResolutionMethod.CoordinateProximity,
                    GtfsLabels.Confidence(GtfsResolutionMethod.CoordinateProximity),
                    distance);
            }
        }

        return perStop.Values.Count(count => count > 1);
    }

    private static GtfsStopResolution Resolved(GtfsStop stop, string[] sloids, GtfsResolutionMethod method) =>
        new(stop.StopId, sloids, method, GtfsLabels.Confidence(method), null);

    private static string? PlatformKey(string? number, string? normalizedPlatform) =>
        string.IsNullOrEmpty(number) || normalizedPlatform is null ? null : $"{number}\u001f{normalizedPlatform}";

    private static List<AtlasPlatform> DistinctBySloid(IReadOnlyList<AtlasPlatform> atlas) =>
        atlas.Where(p => p.Sloid.Length > 0).DistinctBy(p => p.Sloid, StringComparer.Ordinal).ToList();

    private static long CellX(double lon) => (long)Math.Floor(lon * MetersPerDegreeLongitude / CellMeters);

    private static long CellY(double lat) => (long)Math.Floor(lat * MetersPerDegreeLatitude / CellMeters);
}

/// <summary>Resolutions are in the order of the stops given.</summary>
public sealed record GtfsResolutionOutcome(IReadOnlyList<GtfsStopResolution> Resolutions, int CoordinateProximityConflicts);
