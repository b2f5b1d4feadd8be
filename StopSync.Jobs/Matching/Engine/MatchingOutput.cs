using StopSync.Jobs.Sources.Atlas;
using StopSync.Jobs.Sources.Osm;

namespace StopSync.Jobs.Matching.Engine;

/// <summary>Every list has a fixed order, so the same input gives the same output.</summary>
/// <param name="Matches">Match records in commit order, propagations right after the record that caused them.</param>
/// <param name="UnmatchedAtlas">Unmatched ATLAS rows in file order, hidden duplicate siblings included.</param>
/// <param name="UnmatchedOsm">OSM elements never used, in load order: stations, unmatched siblings and trio middles included.</param>
/// <param name="StopUnits">Pairs and trios in the order they were formed, then one single unit per other element in load order.</param>
/// <param name="AtlasDuplicateGroups">Ordered by representative sloid.</param>
/// <param name="Problems">Sorted by priority, type and id.</param>
public sealed record MatchingOutput(
    IReadOnlyList<AtlasOsmMatch> Matches,
    IReadOnlyList<UnmatchedAtlasPlatform> UnmatchedAtlas,
    IReadOnlyList<UnmatchedOsmElement> UnmatchedOsm,
    IReadOnlyList<StopUnit> StopUnits,
    IReadOnlyList<AtlasDuplicateGroup> AtlasDuplicateGroups,
    IReadOnlyList<DetectedProblem> Problems,
    MatchingSummary Summary,
    IReadOnlyList<string> Diagnostics);

/// <param name="MatchType">One of <see cref="MatchTypeLabels"/>.</param>
public sealed record AtlasOsmMatch(
    AtlasPlatform Atlas,
    OsmElement Osm,
    string MatchType,
    double DistanceMeters,
    string Notes,
    MatchEvidence Evidence)
{
    public string Sloid => Atlas.Sloid;

    /// <summary><c>123</c> for a node, <c>way_123</c> for a way.</summary>
    public string OsmId => Osm.Id;
}

/// <summary>Why a stage linked a pair; the properties a stage does not use stay null.</summary>
/// <param name="Reference">The UIC number a stage compared with <c>uic_ref</c>.</param>
/// <param name="SharedRouteTokens">As <c>route_id|direction</c>, sorted.</param>
/// <param name="RepresentativeSloid">For <c>duplicate_propagation</c>: the ATLAS representative that was matched.</param>
/// <param name="RepresentativeOsmId">For <c>osm_group_propagation</c>: the OSM representative that was matched.</param>
public sealed record MatchEvidence(
    string Rule,
    double DistanceMeters,
    string? Reference = null,
    string? SourceName = null,
    int? CandidateCount = null,
    string? PlatformCode = null,
    IReadOnlyList<string>? SharedRouteTokens = null,
    IReadOnlyList<string>? SharedDirectionNames = null,
    int? Score = null,
    string? RepresentativeSloid = null,
    string? RepresentativeOsmId = null,
    string? TrioMiddleId = null,
    double? NearestMeters = null,
    double? SecondMeters = null);

/// <param name="Isolated">No OSM element at all (stations included) lies within 50 m.</param>
public sealed record UnmatchedAtlasPlatform(AtlasPlatform Platform, bool Isolated)
{
    public string Sloid => Platform.Sloid;
}

/// <param name="Isolated">No ATLAS platform lies within 50 m.</param>
/// <param name="EffectivelyMatched">A trio middle whose two sides were both matched: not a problem, not a match.</param>
public sealed record UnmatchedOsmElement(OsmElement Element, bool Isolated, bool EffectivelyMatched)
{
    public string OsmId => Element.Id;
}

/// <param name="UnitId">The id of the representative element, which is the member the stages see.</param>
/// <param name="GroupKind">Null for singles.</param>
public sealed record StopUnit(string UnitId, string Kind, string? GroupKind, IReadOnlyList<StopUnitMember> Members);

public sealed record StopUnitMember(string OsmId, string Role);

/// <param name="Id">First 24 hex digits of the SHA-256 of <c>[type, [atlas keys], [osm ids]]</c> as compact JSON: stable across runs.</param>
/// <param name="Priority">1 (critical) to 3 (minor).</param>
/// <param name="Evidence">What the problem rests on (docs/07-matching.md#evidence); null for problems read from a bundle written before it.</param>
public sealed record DetectedProblem(
    string Id,
    string Type,
    int Priority,
    string? Sloid,
    string? OsmId,
    bool HasSourceDuplicate = false,
    bool HasOsmDuplicate = false,
    ProblemEvidence? Evidence = null);

/// <summary>The figures of docs/07-matching.md#summary.</summary>
/// <param name="MatchedPairs">Match records, propagations included.</param>
/// <param name="MatchRate">Distinct matched sloids over ATLAS platforms (0 when there are none).</param>
/// <param name="NotMatchedToNearest">Match records whose OSM element is not the nearest OSM element to the ATLAS point.</param>
public sealed record MatchingSummary(
    int AtlasPlatforms,
    int OsmElements,
    int StopUnits,
    int MatchedPairs,
    int MatchedAtlas,
    double MatchRate,
    int UnmatchedAtlas,
    int UnmatchedOsm,
    int IsolatedAtlas,
    int IsolatedOsm,
    int EffectivelyMatchedOsm,
    int NotMatchedToNearest,
    IReadOnlyList<KeyValuePair<string, int>> ByMatchType,
    IReadOnlyList<KeyValuePair<string, DistanceStatistics>> DistanceByMatchType,
    IReadOnlyList<KeyValuePair<string, int>> StopUnitsByGroupKind,
    IReadOnlyList<KeyValuePair<string, ProblemCounts>> Problems,
    int OsmElementsWithSeveralAtlas,
    int AtlasWithSeveralOsm);

public sealed record DistanceStatistics(int Count, double Mean, double Median, double P95);

public sealed record ProblemCounts(int P1, int P2, int P3)
{
    public int Total => P1 + P2 + P3;
}
