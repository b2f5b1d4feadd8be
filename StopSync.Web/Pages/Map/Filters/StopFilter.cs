using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace StopSync.Web.Pages.Map.Filters;

/// <summary>
/// The map's filters (docs/05-api.md, "Filters"): OR within a parameter, AND across parameters. An inactive parameter is
/// an empty list. Values are kept as sent (lower-cased, cantons upper-cased); unknown stop types, methods, transport,
/// entity and group types are kept too, because such a group still narrows (to nothing), as the page expects.
/// </summary>
public sealed record StopFilter
{
    public const int MaxTopN = 1000;

    public static readonly StopFilter None = new();

    public ImmutableArray<string> StopTypes { get; init; } = [];
    public ImmutableArray<string> MatchMethods { get; init; } = [];
    public ImmutableArray<string> AtlasOperators { get; init; } = [];
    public ImmutableArray<string> OsmOperators { get; init; } = [];
    public ImmutableArray<string> TransportTypes { get; init; } = [];
    public ImmutableArray<string> EntityTypes { get; init; } = [];
    public ImmutableArray<string> GroupTypes { get; init; } = [];
    public ImmutableArray<string> Cantons { get; init; } = [];
    public ImmutableArray<string> ProblemTypes { get; init; } = [];
    public ImmutableArray<int> ProblemPriorities { get; init; } = [];
    public bool DuplicatesOnly { get; init; }
    public int? TopN { get; init; }

    /// <summary>Only the stops a line calls at; null for every line.</summary>
    public RouteFilter? Route { get; init; }

    /// <summary>A canonical text of the filter (sorted values), equal for filters that select the same rows; cache key.</summary>
    public string Identity
    {
        get
        {
            var text = new StringBuilder();
            void Add(string name, IEnumerable<string> values)
            {
                var sorted = values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                if (sorted.Count > 0)
                {
                    // Length-prefixed values: operator names can contain any separator.
                    text.Append(name).Append('=');
                    foreach (var value in sorted)
                    {
                        text.Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value);
                    }

                    text.Append(';');
                }
            }

            Add("stop_filter", StopTypes);
            Add("match_method", MatchMethods);
            Add("atlas_operator", AtlasOperators);
            Add("osm_operator", OsmOperators);
            Add("transport_types", TransportTypes);
            Add("osm_entity_types", EntityTypes);
            Add("osm_group_types", GroupTypes);
            Add("canton", Cantons);
            Add("problem_type", ProblemTypes);
            Add("problem_priority", ProblemPriorities.Select(p => p.ToString(CultureInfo.InvariantCulture)));
            // The normalised id: two years' GTFS ids of one line select the same rows.
            Add("route", Route is null ? [] : [Route.NormalizedId + "|" + Route.RouteId + "|" + Route.Direction]);
            if (DuplicatesOnly)
            {
                text.Append("show_duplicates_only;");
            }

            if (TopN is { } n)
            {
                text.Append("top_n=").Append(n.ToString(CultureInfo.InvariantCulture)).Append(';');
            }

            return text.ToString();
        }
    }
}

/// <summary>Values the filters know; anything else in an enumerated parameter either fails (400) or selects nothing.</summary>
public static class FilterValues
{
    public const string Matched = "matched";
    public const string AtlasUnmatched = "atlas_unmatched";
    public const string OsmUnmatched = "osm_unmatched";

    /// <summary>Refinements of the ATLAS-unmatched scope, sent in <c>match_method</c>.</summary>
    public const string NoNearbyCounterpart = "no_nearby_counterpart";
    public const string OsmWithin50m = "osm_within_50m";

    public const string TrioMethod = "distance_matching_trio";
    public const string RouteGtfsMethod = "route_gtfs";

    /// <summary>Method families; each matches every match_type that starts with it (distance_matching_1 → distance_matching_1_uic_ref…).</summary>
    public static readonly ImmutableArray<string> MatchedMethods =
    [
        "exact", "name", TrioMethod, "distance_matching_1", "long_distance_group_proximity", "distance_matching_2",
        "distance_matching_3a", "distance_matching_3b", RouteGtfsMethod, "route_gtfs_direction", "manual",
    ];

    public static readonly ImmutableArray<string> TransportTypes =
        ["ferry_terminal", "tram_stop", "station", "platform", "stop_position", "aerialway_station"];

    public static readonly ImmutableArray<string> GroupTypes =
    [
        "osm_trio", "osm_pair_uic", "osm_pair_uic_equal_15m", "osm_pair_name", "osm_pair_name_equal_15m", "osm_pair_tram",
        "osm_pair_tram_equal_15m",
    ];

    public const string AllGroups = "all";

    public static readonly ImmutableArray<string> ProblemTypes =
        ["distance", "unmatched", "attributes", "duplicates", "contradicts_route_matching", "route_unmatched", "route_metadata", "route_membership"];
}
