using System.Collections.Immutable;
using System.ComponentModel;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using StopSync.Web.Pages.Map.Filters;

namespace StopSync.Web.Pages.Problems;

/// <summary>
/// The filters shared by /api/problems and /api/problems/stats, taken as text and parsed here so that every bad value
/// gets a problem document naming its parameter and the allowed values (docs/05-api.md, "Problems").
/// </summary>
public sealed record ProblemFilterQuery
{
    [FromQuery(Name = "problem_type"), Description("all (default), or a comma list of distance, unmatched, attributes, contradicts_route_matching, duplicates, route_unmatched, route_metadata, route_membership; isolated = unmatched.")]
    public string? ProblemType { get; init; }

    [FromQuery(Name = "priority"), Description("Comma list of 1, 2, 3 (1 most urgent).")]
    public string? Priority { get; init; }

    [FromQuery(Name = "atlas_operator"), Description("Comma list of ATLAS operator abbreviations (exact).")]
    public string? AtlasOperator { get; init; }

    [FromQuery(Name = "canton"), Description("Comma list of two-letter canton codes (ZH, BE, ...), case-insensitive.")]
    public string? Canton { get; init; }

    public ParseResult<ProblemFilter> Parse()
    {
        var types = new List<string>();
        foreach (var text in Split(ProblemType).Select(t => t.ToLowerInvariant()))
        {
            if (text == All)
            {
                continue;
            }

            // The first version of the site called unmatched problems "isolated"; old links keep working.
            var type = text == "isolated" ? "unmatched" : text;
            if (!FilterValues.ProblemTypes.Contains(type))
            {
                return ParseResult.Fail<ProblemFilter>("problem_type",
                    $"problem_type must be all or a comma list of {string.Join(", ", ProblemTypes.All)} (isolated = unmatched); unknown: '{text}'");
            }

            if (!types.Contains(type))
            {
                types.Add(type);
            }
        }

        var priorities = new List<int>();
        foreach (var text in Split(Priority))
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var priority) || priority is < 1 or > 3)
            {
                return ParseResult.Fail<ProblemFilter>("priority", $"priority must be a comma list of 1, 2, 3; got '{text}'");
            }

            if (!priorities.Contains(priority))
            {
                priorities.Add(priority);
            }
        }

        var (cantons, unknownCanton) = Cantons.ParseList(Canton);
        if (unknownCanton is not null)
        {
            return ParseResult.Fail<ProblemFilter>("canton", Cantons.ListError(unknownCanton));
        }

        return ParseResult.Ok(new ProblemFilter(
            [.. types], [.. priorities], [.. Split(AtlasOperator)], cantons));
    }

    public const string All = "all";

    internal static IEnumerable<string> Split(string? text) => FilterQuery.Split(text);
}

/// <summary>The paging, sorting and state parameters of /api/problems.</summary>
public sealed record ProblemPageQuery
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>Far beyond any dataset (Switzerland has ~100,000 stops), small enough that page × limit stays an int.</summary>
    public const int MaxPage = 1_000_000;

    [FromQuery(Name = "page"), Description("Page of affected stops, from 1 (default 1).")]
    public string? Page { get; init; }

    [FromQuery(Name = "limit"), Description("Affected stops per page, 1-1000 (default 100); every problem of those stops is returned.")]
    public string? Limit { get; init; }

    [FromQuery(Name = "state"), Description("Comma list of open, decided, needs_another_look (default all three).")]
    public string? State { get; init; }

    [FromQuery(Name = "sort_by"), Description("priority (default): stops by their most urgent problem; distance: by ATLAS-OSM distance, stops without one last; default: by stop id.")]
    public string? SortBy { get; init; }

    [FromQuery(Name = "sort_order"), Description("asc (default) or desc.")]
    public string? SortOrder { get; init; }

    public ParseResult<ProblemPage> Parse()
    {
        var page = 1;
        if (!string.IsNullOrWhiteSpace(Page)
            && (!int.TryParse(Page.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out page) || page is < 1 or > MaxPage))
        {
            return ParseResult.Fail<ProblemPage>("page", $"page must be a whole number between 1 and {MaxPage}; got '{Page}'");
        }

        var limit = DefaultLimit;
        if (!string.IsNullOrWhiteSpace(Limit)
            && (!int.TryParse(Limit.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            return ParseResult.Fail<ProblemPage>("limit", $"limit must be a whole number between 1 and {MaxLimit}; got '{Limit}'");
        }

        var states = new List<string>();
        foreach (var text in ProblemFilterQuery.Split(State).Select(s => s.ToLowerInvariant()))
        {
            if (!ReviewStates.All.Contains(text))
            {
                return ParseResult.Fail<ProblemPage>("state", $"state must be a comma list of {string.Join(", ", ReviewStates.All)}; unknown: '{text}'");
            }

            if (!states.Contains(text))
            {
                states.Add(text);
            }
        }

        var sortBy = string.IsNullOrWhiteSpace(SortBy) ? ProblemSorts.Priority : SortBy.Trim().ToLowerInvariant();
        if (!ProblemSorts.All.Contains(sortBy))
        {
            return ParseResult.Fail<ProblemPage>("sort_by", $"sort_by must be one of {string.Join(", ", ProblemSorts.All)}; got '{SortBy}'");
        }

        var sortOrder = string.IsNullOrWhiteSpace(SortOrder) ? "asc" : SortOrder.Trim().ToLowerInvariant();
        if (sortOrder is not ("asc" or "desc"))
        {
            return ParseResult.Fail<ProblemPage>("sort_order", $"sort_order must be asc or desc; got '{SortOrder}'");
        }

        return ParseResult.Ok(new ProblemPage(page, limit, [.. states], sortBy, sortOrder == "desc"));
    }
}

/// <summary>OR within a list, AND across lists; an empty list does not filter (the types: every type).</summary>
public sealed record ProblemFilter(
    ImmutableArray<string> Types, ImmutableArray<int> Priorities, ImmutableArray<string> AtlasOperators, ImmutableArray<string> Cantons)
{
    /// <summary>The types to read: the selected ones, else every type the site shows.</summary>
    public string[] EffectiveTypes => Types.IsEmpty ? [.. ProblemTypes.All] : [.. Types];
}

public sealed record ProblemPage(int Page, int Limit, ImmutableArray<string> States, string SortBy, bool Descending)
{
    public string SortOrder => Descending ? "desc" : "asc";
}

public sealed record ParseResult<T>(T? Value, string? Parameter, string? Error)
    where T : class;

public static class ParseResult
{
    public static ParseResult<T> Ok<T>(T value)
        where T : class => new(value, null, null);

    public static ParseResult<T> Fail<T>(string parameter, string error)
        where T : class => new(null, parameter, error);
}

public static class ProblemTypes
{
    public const string Distance = "distance";
    public const string Unmatched = "unmatched";
    public const string Attributes = "attributes";
    public const string ContradictsRouteMatching = "contradicts_route_matching";
    public const string Duplicates = "duplicates";

    /// <summary>A line of one side without a counterpart on the other (docs/09-review.md, "Route problems").</summary>
    public const string RouteUnmatched = "route_unmatched";

    /// <summary>Matched lines whose ref, operator, network or mode differ.</summary>
    public const string RouteMetadata = "route_metadata";

    /// <summary>A stop missing from, extra in, out of order in, or on another platform in the OSM route of a matched itinerary.</summary>
    public const string RouteMembership = "route_membership";

    /// <summary>The types the site shows, in the order of the page's type filter.</summary>
    public static readonly IReadOnlyList<string> All =
        [Distance, Unmatched, Attributes, ContradictsRouteMatching, Duplicates, RouteUnmatched, RouteMetadata, RouteMembership];

    public static bool IsRoute(string problemType) => problemType is RouteUnmatched or RouteMetadata or RouteMembership;
}

public static class ProblemSorts
{
    public const string Priority = "priority";
    public const string Distance = "distance";
    public const string Default = "default";

    public static readonly IReadOnlyList<string> All = [Priority, Distance, Default];
}

/// <summary>A problem's review state as the API shows it (docs/09-review.md, "Decisions").</summary>
public static class ReviewStates
{
    /// <summary>No decision is stored for the problem's key.</summary>
    public const string Open = "open";
    public const string Decided = "decided";
    public const string NeedsAnotherLook = "needs_another_look";

    public static readonly IReadOnlyList<string> All = [Open, Decided, NeedsAnotherLook];
}
