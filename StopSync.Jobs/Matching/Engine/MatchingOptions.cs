namespace StopSync.Jobs.Matching.Engine;

/// <summary>Upstream quirks made switchable (docs/07-matching.md#options-and-decisions-on-upstream-quirks).</summary>
public sealed record MatchingOptions
{
    public static MatchingOptions Default { get; } = new();

    /// <summary>Upstream's Swiss runner lists an element once per name tag; off follows upstream's own tests.</summary>
    public bool NameAliasMultiplicity { get; init; }

    /// <summary>Off by default, because the newest upstream engine dropped this legacy stage.</summary>
    public bool ExactPostpass { get; init; }

    /// <summary>Tests run single stages, as upstream's unit tests do; production always runs all.</summary>
    internal EngineStages Stages { get; init; } = EngineStages.All;
}

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

/// <summary>See docs/07-matching.md#the-ten-stages and docs/07-matching.md#stop-units-before-any-stage.</summary>
public static class MatchingThresholds
{
    /// <summary>A platform and its mapped counterpart are rarely further apart than a bus length plus a road width.</summary>
    public const double MaxDistanceMeters = 50;

    /// <summary>Inside a group that agrees on UIC or name, a long train platform may lie this far from its ATLAS point.</summary>
    public const double LongDistanceMeters = 150;

    /// <summary>With <see cref="RatioFactor"/>, the ratio test takes the nearest only when it is clearly the one meant.</summary>
    public const double RatioMinSecondMeters = 10;

    public const double RatioFactor = 4;

    /// <summary>A platform and its stop_position are mapped a road's width apart; further than this is another stop.</summary>
    public const double PairMeters = 12;

    /// <summary>When platforms, stop positions and ATLAS rows agree in number, the count vouches for pairs 15 m apart.</summary>
    public const double PerfectCountPairMeters = 15;

    public const double TrioSideToMiddleMeters = 15;

    /// <summary>ATLAS rows further than this from every OSM element of their UIC do not count towards a perfect count.</summary>
    public const double NearbySourceMeters = 30;

    public const double StrictPairRatio = 1.5;

    /// <summary>Stricter than the strict ratio, in exchange for dropping the completeness requirement.</summary>
    public const double RelaxedPairRatio = 2.0;
}
