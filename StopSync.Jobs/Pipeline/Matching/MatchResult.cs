using StopSync.Jobs.Pipeline.AtlasImport;
using StopSync.Jobs.Pipeline.OsmImport;

namespace StopSync.Jobs.Pipeline.Matching;

public sealed record MatchRecord(AtlasPlatform Atlas, OsmElement Osm, string MatchType, double DistanceMeters, string Notes);

public sealed record MatchResult(
    IReadOnlyList<MatchRecord> Matches,
    IReadOnlyList<AtlasPlatform> UnmatchedAtlas,
    IReadOnlyList<OsmElement> UnmatchedOsm);

/// <summary>Match-type labels; they are an interface of the site and must not change.</summary>
public static class MatchTypes
{
    public const string Exact = "exact";
}
