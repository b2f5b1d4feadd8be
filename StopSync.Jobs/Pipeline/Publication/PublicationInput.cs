using StopSync.Jobs.Pipeline.AtlasImport;
using StopSync.Jobs.Pipeline.Matching.Engine;

namespace StopSync.Jobs.Pipeline.Publication;

/// <summary>
/// What a publication loads: the engine's matches, unmatched entities, problems and groups. It comes either straight
/// from a <see cref="MatchingOutput"/> or from a result bundle read back from disk (import mode).
/// </summary>
public sealed record PublicationInput(
    IReadOnlyList<AtlasOsmMatch> Matches,
    IReadOnlyList<UnmatchedAtlasPlatform> UnmatchedAtlas,
    IReadOnlyList<UnmatchedOsmElement> UnmatchedOsm,
    IReadOnlyList<DetectedProblem> Problems,
    IReadOnlyList<StopUnit> StopUnits,
    IReadOnlyList<AtlasDuplicateGroup> AtlasDuplicateGroups)
{
    public static PublicationInput From(MatchingOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return new(output.Matches, output.UnmatchedAtlas, output.UnmatchedOsm, output.Problems, output.StopUnits, output.AtlasDuplicateGroups);
    }
}
