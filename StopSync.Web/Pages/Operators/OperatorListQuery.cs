using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Primitives;
using StopSync.Web.Infrastructure;
using static StopSync.Web.Infrastructure.PageQueryValues;

namespace StopSync.Web.Pages.Operators;

/// <summary>Which operators <c>/operators</c> lists, by the OSM operator tags on their matched platforms.</summary>
public static class CoverageFilter
{
    public const string All = "all";

    /// <summary>At least one matched platform whose OSM element carries a non-blank <c>operator</c> tag.</summary>
    public const string HasOsmMatches = "has_osm_matches";

    /// <summary>No matched platform with an OSM <c>operator</c> tag (including operators without any match).</summary>
    public const string NoOsmMatches = "no_osm_matches";

    public static readonly IReadOnlyList<string> Values = [All, HasOsmMatches, NoOsmMatches];
}

/// <summary>
/// The query of <c>/operators</c> in canonical form (docs/08-site.md, "Operators and cantons"): defaults left out,
/// parameters in the order q, coverage, per_page, page. Another spelling of the same list is redirected (308) to it.
/// </summary>
public sealed partial record OperatorListQuery(string Q, string Coverage, int Page, int PerPage)
{
    public const int DefaultPerPage = 20;
    public const int MaxQueryLength = 100;

    public static readonly IReadOnlyList<int> PerPageValues = [10, 20, 50, 100];

    public static OperatorListQuery Default { get; } = new("", CoverageFilter.All, 1, DefaultPerPage);

    public bool HasFilters => Q.Length > 0 || Coverage != CoverageFilter.All;

    public int Skip => (int)Math.Min(int.MaxValue, (long)(Page - 1) * PerPage);

    /// <summary>Parses q, coverage, per_page and page; unknown parameters are ignored and left out of the canonical form.</summary>
    public static bool TryParse(IQueryCollection query, out OperatorListQuery parsed, out (string Parameter, string Message) error)
    {
        parsed = Default;
        error = default;
        var q = "";
        if (query.TryGetValue("q", out var text))
        {
            if (text.Count > 1)
            {
                error = ("q", "q may be given once.");
                return false;
            }

            q = Spaces().Replace(text.ToString().Trim(), " ");
            if (q.Length > MaxQueryLength)
            {
                error = ("q", $"q must be at most {MaxQueryLength} characters.");
                return false;
            }
        }

        var coverage = CoverageFilter.All;
        if (query.TryGetValue("coverage", out var c))
        {
            var value = OneValue(c)?.Trim().ToLowerInvariant();
            if (value is null || !CoverageFilter.Values.Contains(value))
            {
                error = ("coverage", $"coverage must be one of {string.Join(", ", CoverageFilter.Values)}; got '{Shorten(c)}'.");
                return false;
            }

            coverage = value;
        }

        var perPage = DefaultPerPage;
        if (query.TryGetValue("per_page", out var pp)
            && (!int.TryParse(OneValue(pp)?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out perPage) || !PerPageValues.Contains(perPage)))
        {
            error = ("per_page", $"per_page must be one of {string.Join(", ", PerPageValues)}; got '{Shorten(pp)}'.");
            return false;
        }

        if (!PageQueryValues.TryReadPage(query, out var page, out error))
        {
            return false;
        }

        parsed = new OperatorListQuery(q, coverage, page, perPage);
        return true;
    }

    /// <summary>The canonical query string with its leading "?", or "" when every value is the default.</summary>
    public string ToQueryString(int? page = null)
    {
        var parts = new List<string>();
        if (Q.Length > 0)
        {
            parts.Add("q=" + Uri.EscapeDataString(Q));
        }

        if (Coverage != CoverageFilter.All)
        {
            parts.Add("coverage=" + Coverage);
        }

        if (PerPage != DefaultPerPage)
        {
            parts.Add("per_page=" + PerPage.ToString(CultureInfo.InvariantCulture));
        }

        if ((page ?? Page) is var n && n != 1)
        {
            parts.Add("page=" + n.ToString(CultureInfo.InvariantCulture));
        }

        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    public bool IsCanonical(QueryString requested) => string.Equals(requested.Value ?? "", ToQueryString(), StringComparison.Ordinal);

    /// <summary>
    /// Whether an operator passes: q is a case-insensitive substring of its abbreviation, name, SBOID or one of the OSM
    /// operator values on its matched platforms; coverage looks at those OSM values.
    /// </summary>
    public bool Matches(OwnerFigures figures)
    {
        var covered = figures.OsmOperators.Count > 0;
        if ((Coverage == CoverageFilter.HasOsmMatches && !covered) || (Coverage == CoverageFilter.NoOsmMatches && covered))
        {
            return false;
        }

        return Q.Length == 0
            || Contains(figures.Key) || Contains(figures.Name) || Contains(figures.Sboid)
            || figures.OsmOperators.Any(v => Contains(v.Value));

        bool Contains(string? value) => value is not null && value.Contains(Q, StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
