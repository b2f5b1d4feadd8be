using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Sources.Atlas;
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
