using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Matching.Routes;
using StopSync.Jobs.Sources.Atlas;
using StopSync.Jobs.Sources.Gtfs;
using StopSync.Jobs.Sources.Osm;

namespace StopSync.Jobs.Publication;

public sealed record PublicationInput(
    IReadOnlyList<AtlasOsmMatch> Matches,
    IReadOnlyList<UnmatchedAtlasPlatform> UnmatchedAtlas,
    IReadOnlyList<UnmatchedOsmElement> UnmatchedOsm,
    IReadOnlyList<DetectedProblem> Problems,
    IReadOnlyList<StopUnit> StopUnits,
    IReadOnlyList<AtlasDuplicateGroup> AtlasDuplicateGroups)
{
    /// <summary>Line families, itineraries and their matches; null when the run had no route data (docs/07-matching.md#lines-and-itineraries).
    /// Route problems are in <see cref="Problems"/> with the stop problems.</summary>
    public RouteMatchingOutput? Routes { get; init; }

    /// <summary>The Swiss GTFS stops and what they resolved to; null when the run had no timetable.</summary>
    public GtfsStopIdentities? GtfsIdentity { get; init; }

    public IEnumerable<AtlasPlatform> AtlasPlatforms() =>
        Matches.Select(m => m.Atlas).Concat(UnmatchedAtlas.Select(u => u.Platform)).DistinctBy(p => p.Sloid);

    public IEnumerable<OsmElement> OsmElements() =>
        Matches.Select(m => m.Osm).Concat(UnmatchedOsm.Select(u => u.Element)).DistinctBy(e => e.Id);

    public static PublicationInput From(MatchingOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return new(output.Matches, output.UnmatchedAtlas, output.UnmatchedOsm, output.Problems, output.StopUnits, output.AtlasDuplicateGroups);
    }
}

/// <param name="Resolutions">Aligned with <paramref name="Stops"/>: the i-th resolution is the i-th stop's.</param>
public sealed record GtfsStopIdentities(IReadOnlyList<GtfsStop> Stops, IReadOnlyList<GtfsStopResolution> Resolutions);
