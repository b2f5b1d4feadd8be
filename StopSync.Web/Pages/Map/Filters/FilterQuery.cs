using System.Collections.Immutable;
using System.ComponentModel;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;

namespace StopSync.Web.Pages.Map.Filters;

/// <summary>
/// The filter parameters as sent (comma lists), bound from the query string. Taken as text and parsed here, so that
/// every malformed value gets a problem document that names its parameter.
/// </summary>
public sealed record FilterQuery
{
    [FromQuery(Name = "stop_filter"), Description("Comma list of matched, atlas_unmatched, osm_unmatched (matched = matched or effectively_matched).")]
    public string? StopTypes { get; init; }

    [FromQuery(Name = "match_method"), Description("Comma list of match method families (prefix match: exact, name, distance_matching_trio, distance_matching_1, long_distance_group_proximity, distance_matching_2, distance_matching_3a, distance_matching_3b, route_gtfs, route_gtfs_direction, manual) or ATLAS-unmatched refinements no_nearby_counterpart, osm_within_50m.")]
    public string? MatchMethod { get; init; }

    [FromQuery(Name = "atlas_operator"), Description("Comma list of ATLAS operator abbreviations (exact).")]
    public string? AtlasOperator { get; init; }

    [FromQuery(Name = "osm_operator"), Description("Comma list of OSM operator values (exact).")]
    public string? OsmOperator { get; init; }

    [FromQuery(Name = "transport_types"), Description("Comma list of ferry_terminal, tram_stop, station, platform, stop_position, aerialway_station (OSM tags).")]
    public string? TransportTypes { get; init; }

    [FromQuery(Name = "osm_entity_types"), Description("Comma list of node, way.")]
    public string? OsmEntityTypes { get; init; }

    [FromQuery(Name = "osm_group_types"), Description("all, or a comma list of osm_trio, osm_pair_uic, osm_pair_uic_equal_15m, osm_pair_name, osm_pair_name_equal_15m, osm_pair_tram, osm_pair_tram_equal_15m.")]
    public string? OsmGroupTypes { get; init; }

    [FromQuery(Name = "canton"), Description("Comma list of two-letter canton codes (ZH, BE, ...), case-insensitive; unknown codes answer 400.")]
    public string? Canton { get; init; }

    [FromQuery(Name = "problem_type"), Description("Comma list of distance, unmatched, attributes, duplicates, contradicts_route_matching, route_unmatched, route_metadata, route_membership; unknown types answer 400.")]
    public string? ProblemType { get; init; }

    [FromQuery(Name = "problem_priority"), Description("Comma list of 1, 2, 3 (1 most urgent).")]
    public string? ProblemPriority { get; init; }

    [FromQuery(Name = "show_duplicates_only"), Description("true: only rows whose ATLAS stop belongs to an ATLAS duplicate group.")]
    public string? ShowDuplicatesOnly { get; init; }

    [FromQuery(Name = "top_n"), Description("1..1000: only the N matched rows with the largest distance.")]
    public string? TopN { get; init; }

    [FromQuery(Name = "route"), Description("A line: display route id (91-10-A), GTFS route id (91-10-A-j26-1, any timetable year) or OSM ref/family id, optionally 'route:' before and ' dir:0' or ' dir:1' after; keeps the rows whose ATLAS or OSM stop is called at by that line or its matched counterpart.")]
    public string? Route { get; init; }

    public FilterParseResult Parse()
    {
        var (cantons, unknownCanton) = Cantons.ParseList(Canton);
        if (unknownCanton is not null)
        {
            return FilterParseResult.Fail("canton", Cantons.ListError(unknownCanton));
        }

        var problemTypes = Split(ProblemType).Select(t => t.ToLowerInvariant()).ToImmutableArray();
        if (problemTypes.FirstOrDefault(t => !FilterValues.ProblemTypes.Contains(t)) is { } unknownType)
        {
            return FilterParseResult.Fail("problem_type",
                $"problem_type must be a comma list of {string.Join(", ", FilterValues.ProblemTypes)}; unknown: '{unknownType}'");
        }

        var priorities = ImmutableArray.CreateBuilder<int>();
        foreach (var text in Split(ProblemPriority))
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var priority) || priority is < 1 or > 3)
            {
                return FilterParseResult.Fail("problem_priority", $"problem_priority must be a comma list of 1, 2, 3; got '{text}'");
            }

            priorities.Add(priority);
        }

        int? topN = null;
        if (!string.IsNullOrWhiteSpace(TopN))
        {
            if (!int.TryParse(TopN.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 1 or > StopFilter.MaxTopN)
            {
                return FilterParseResult.Fail("top_n", $"top_n must be a whole number between 1 and {StopFilter.MaxTopN}; got '{TopN}'");
            }

            topN = n;
        }

        if (!TryParseFlag(ShowDuplicatesOnly, out var duplicatesOnly))
        {
            return FilterParseResult.Fail("show_duplicates_only", $"show_duplicates_only must be true or false; got '{ShowDuplicatesOnly}'");
        }

        if (!RouteFilter.TryParse(Route, out var route, out var routeError))
        {
            return FilterParseResult.Fail("route", routeError!);
        }

        return FilterParseResult.Ok(new StopFilter
        {
            StopTypes = Lower(StopTypes),
            MatchMethods = Lower(MatchMethod),
            AtlasOperators = [.. Split(AtlasOperator)],
            OsmOperators = [.. Split(OsmOperator)],
            TransportTypes = Lower(TransportTypes),
            EntityTypes = Lower(OsmEntityTypes),
            GroupTypes = Lower(OsmGroupTypes),
            Cantons = cantons,
            ProblemTypes = problemTypes,
            ProblemPriorities = priorities.ToImmutable(),
            DuplicatesOnly = duplicatesOnly,
            TopN = topN,
            Route = route,
        });
    }

    /// <summary>1/true/yes/y and 0/false/no/n, any case; absent or empty is false.</summary>
    public static bool TryParseFlag(string? text, out bool value)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "" or "0" or "false" or "no" or "n":
                value = false;
                return true;
            case "1" or "true" or "yes" or "y":
                value = true;
                return true;
            default:
                value = false;
                return false;
        }
    }

    private static ImmutableArray<string> Lower(string? text) => [.. Split(text).Select(v => v.ToLowerInvariant())];

    /// <summary>A comma list: trimmed, empty entries dropped, each value once.</summary>
    internal static IEnumerable<string> Split(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? []
            : text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal);
}

public sealed record FilterParseResult(StopFilter? Filter, string? Parameter, string? Error)
{
    public static FilterParseResult Ok(StopFilter filter) => new(filter, null, null);

    public static FilterParseResult Fail(string parameter, string error) => new(null, parameter, error);
}
