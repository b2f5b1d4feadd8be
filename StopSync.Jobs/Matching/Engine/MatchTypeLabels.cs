namespace StopSync.Jobs.Matching.Engine;

/// <summary>The site and its users filter by these labels (docs/07-matching.md#the-ten-stages): never rename one.</summary>
public static class MatchTypeLabels
{
    /// <summary>A reviewer's "same stop" decision, committed before any stage (docs/07-matching.md#reviewer-rulings).</summary>
    public const string Manual = "manual";

    public const string Trio = "distance_matching_trio";
    public const string Exact = "exact";
    public const string Name = "name";
    public const string RouteTokens = "route_gtfs_tokens";
    public const string RouteDirection = "route_gtfs_direction";
    public const string GroupProximityUicRef = "distance_matching_1_uic_ref";
    public const string GroupProximityUicName = "distance_matching_1_uic_name";
    public const string GroupProximityName = "distance_matching_1_name";
    public const string LongDistanceUicRef = "long_distance_group_proximity_uic_ref";
    public const string LongDistanceUicName = "long_distance_group_proximity_uic_name";
    public const string LongDistanceName = "long_distance_group_proximity_name";
    public const string LocalRefDistance = "distance_matching_2";
    public const string NearestSingle = "distance_matching_3a";
    public const string NearestRatio = "distance_matching_3b";
    public const string NearestSingleSecondPass = "distance_matching_3a_second_pass";
    public const string ExactPostpass = "exact_postpass";
    public const string DuplicatePropagation = "duplicate_propagation";
    public const string OsmGroupPropagation = "osm_group_propagation";

    /// <summary>Every label in stage order (manual matches first), propagations last; summaries list their counts in this order.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Manual, Trio, Exact, Name, RouteTokens, RouteDirection,
        GroupProximityUicRef, GroupProximityUicName, GroupProximityName,
        LongDistanceUicRef, LongDistanceUicName, LongDistanceName,
        LocalRefDistance, NearestSingle, NearestRatio, NearestSingleSecondPass, ExactPostpass,
        DuplicatePropagation, OsmGroupPropagation,
    ];
}

/// <summary>Published labels of docs/07-matching.md#stop-units-before-any-stage; never rename one.</summary>
public static class StopUnitKinds
{
    public const string SingleKind = "single";
    public const string PairKind = "pair";
    public const string TrioKind = "trio";

    public const string GroupTrio = "osm_trio";
    public const string GroupPairUic = "osm_pair_uic";
    public const string GroupPairUicEqual15M = "osm_pair_uic_equal_15m";
    public const string GroupPairName = "osm_pair_name";
    public const string GroupPairNameEqual15M = "osm_pair_name_equal_15m";
    public const string GroupPairTram = "osm_pair_tram";
    public const string GroupPairTramEqual15M = "osm_pair_tram_equal_15m";

    public const string RolePairA = "pair_a";
    public const string RolePairB = "pair_b";
    public const string RoleTrioMiddle = "trio_middle";
    public const string RoleTrioSide = "trio_side";
    public const string RoleSingle = "single";

    public static readonly IReadOnlySet<string> Kinds = new HashSet<string>(StringComparer.Ordinal) { SingleKind, PairKind, TrioKind };

    public static readonly IReadOnlySet<string> GroupKinds = new HashSet<string>(StringComparer.Ordinal)
    {
        GroupTrio, GroupPairUic, GroupPairUicEqual15M, GroupPairName, GroupPairNameEqual15M, GroupPairTram, GroupPairTramEqual15M,
    };

    public static readonly IReadOnlySet<string> Roles = new HashSet<string>(StringComparer.Ordinal)
    {
        RolePairA, RolePairB, RoleTrioMiddle, RoleTrioSide, RoleSingle,
    };
}

/// <summary>The types of docs/07-matching.md#problems.</summary>
public static class ProblemTypes
{
    public const string Distance = "distance";
    public const string Attributes = "attributes";
    public const string ContradictsRouteMatching = "contradicts_route_matching";
    public const string Unmatched = "unmatched";
    public const string Duplicates = "duplicates";

    /// <summary>Route problems (docs/07-matching.md#route-problems): found by route matching, landing on one stop row.</summary>
    public const string RouteUnmatched = "route_unmatched";
    public const string RouteMetadata = "route_metadata";
    public const string RouteMembership = "route_membership";

    /// <summary>What the stop matching engine reports and counts in its summary.</summary>
    public static IReadOnlyList<string> Stop { get; } = [Distance, Attributes, ContradictsRouteMatching, Unmatched, Duplicates];

    public static IReadOnlyList<string> Route { get; } = [RouteUnmatched, RouteMetadata, RouteMembership];

    public static IReadOnlyList<string> All { get; } = [.. Stop, .. Route];
}
