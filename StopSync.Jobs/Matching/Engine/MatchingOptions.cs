namespace StopSync.Jobs.Matching.Engine;

/// <summary>Switches for the places where the upstream engine's behaviour is a quirk rather than a rule (matching-spec §7).</summary>
public sealed record MatchingOptions
{
    public static MatchingOptions Default { get; } = new();

    /// <summary>
    /// Upstream's Swiss runner lists an OSM element in the name index once per tag (<c>name</c>, <c>uic_name</c>,
    /// <c>gtfs:name</c>) that carries a value, so an element with <c>name</c> = <c>uic_name</c> = X appears twice under
    /// X (and empty values are indexed). The name stage then sees two candidates and demands a matching
    /// <c>local_ref</c>, and name pairing finds the element as its own second-nearest neighbour and rejects it.
    /// Off (the default) lists each element once per distinct non-empty value, as upstream's own tests do.
    /// </summary>
    public bool NameAliasMultiplicity { get; init; }

    /// <summary>
    /// Runs the legacy <c>exact_postpass</c> after the last nearest pass (matching-spec §2.12), in its stricter
    /// deployed-docs form: a UIC with exactly one unmatched ATLAS platform and exactly one unused candidate OSM element,
    /// which carries no <c>local_ref</c>, is matched. Off by default, because the newest upstream engine dropped it.
    /// </summary>
    public bool ExactPostpass { get; init; }

    /// <summary>The stages to run; tests run single stages as upstream's unit tests do. Always all in production.</summary>
    internal EngineStages Stages { get; init; } = EngineStages.All;
}

/// <summary>The ten stages of matching-spec §2.1, for tests that exercise one stage alone.</summary>
[Flags]
internal enum EngineStages
{
    None = 0,
    Trio = 1,
    Exact = 1 << 1,
    Name = 1 << 2,
    Route = 1 << 3,
    GroupProximity = 1 << 4,
    LongDistanceGroupProximity = 1 << 5,
    LocalRef = 1 << 6,
    NearestSingle = 1 << 7,
    NearestRatio = 1 << 8,
    NearestSingleSecondPass = 1 << 9,
    Nearest = NearestSingle | NearestRatio | NearestSingleSecondPass,
    All = (1 << 10) - 1,
}

/// <summary>The distances and ratios every stage uses (matching-spec §2, §3.1).</summary>
public static class MatchingThresholds
{
    /// <summary>
    /// The radius of every "nearby" question (route, group proximity, local_ref, nearest passes, isolation): a
    /// platform and its mapped counterpart are rarely further apart than a bus length plus a road width.
    /// </summary>
    public const double MaxDistanceMeters = 50;

    /// <summary>
    /// The second group-proximity pass allows 150 m: inside a group that already agrees on UIC or name, a long train
    /// platform or a station mapped at its building can legitimately be that far from its ATLAS point.
    /// </summary>
    public const double LongDistanceMeters = 150;

    /// <summary>The ratio test accepts the nearest candidate only if the second is at least this far away…</summary>
    public const double RatioMinSecondMeters = 10;

    /// <summary>…and at least this many times as far as the nearest, so the nearest is clearly the one meant.</summary>
    public const double RatioFactor = 4;

    /// <summary>A platform and its stop_position are mapped a road's width apart; further than this is another stop.</summary>
    public const double PairMeters = 12;

    /// <summary>When the counts agree perfectly (as many platforms as stop positions as ATLAS rows) pairs may be 15 m apart.</summary>
    public const double PerfectCountPairMeters = 15;

    /// <summary>A trio's two sides must each lie within this of its middle stop_position.</summary>
    public const double TrioSideToMiddleMeters = 15;

    /// <summary>ATLAS rows further than this from every OSM element of their UIC do not count towards a perfect count.</summary>
    public const double NearbySourceMeters = 30;

    /// <summary>Strict pairing: the second-nearest must be 1.5 times as far as the nearest, on both sides.</summary>
    public const double StrictPairRatio = 1.5;

    /// <summary>
    /// Relaxed pairing (used when the strict pairs do not account for every ATLAS row): a stricter ratio of 2, in
    /// exchange for dropping the completeness requirement.
    /// </summary>
    public const double RelaxedPairRatio = 2.0;
}
