using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Primitives;
using StopSync.Web.Infrastructure;
using static StopSync.Web.Infrastructure.PageQueryValues;
using StopSync.Data.Routes;

namespace StopSync.Web.Pages.Routes;

/// <summary>Which line families <c>/routes</c> lists.</summary>
public static class MatchedFilter
{
    public const string All = "all";
    public const string Matched = "matched";
    public const string Unmatched = "unmatched";
    public const string UnmatchedAtlas = "unmatched_atlas";
    public const string UnmatchedOsm = "unmatched_osm";

    public static readonly IReadOnlyList<string> Values = [All, Matched, Unmatched, UnmatchedAtlas, UnmatchedOsm];
}

/// <summary>
/// The query of the route pages, parsed and in canonical form (docs/08-site.md, "Routes"): defaults left out, lists
/// sorted, deduplicated and comma-joined, parameters in one order. A request whose query is not canonical is redirected
/// (308) to the canonical one, so each list has one address.
/// </summary>
public sealed partial record RouteListQuery(
    string Matched, IReadOnlyList<string> AtlasOperators, IReadOnlyList<string> OsmOperators, string Q, int Page, int PerPage)
{
    public const int DefaultPerPage = 10;
    public const int MaxQueryLength = 100;
    public const int MaxOperators = 50;
    public const int MaxOperatorLength = 200;

    public static readonly IReadOnlyList<int> PerPageValues = [5, 10, 20, 50, 100];

    public static RouteListQuery Default { get; } = new(MatchedFilter.All, [], [], "", 1, DefaultPerPage);

    public int Skip => (int)Math.Min(int.MaxValue, (long)(Page - 1) * PerPage);

    /// <summary>
    /// Parses the parameters the page takes (<paramref name="filters"/> false: only page and per_page, as on
    /// /routes/non-gtfs). Unknown parameters are ignored, and dropped by the canonical form.
    /// </summary>
    public static bool TryParse(IQueryCollection query, bool filters, out RouteListQuery parsed, out (string Parameter, string Message) error)
    {
        parsed = Default;
        error = default;
        var matched = MatchedFilter.All;
        IReadOnlyList<string> atlas = [];
        IReadOnlyList<string> osm = [];
        var q = "";
        if (filters)
        {
            if (query.TryGetValue("matched", out var m))
            {
                var value = OneValue(m)?.Trim().ToLowerInvariant();
                if (value is null || !MatchedFilter.Values.Contains(value))
                {
                    error = ("matched", $"matched must be one of {string.Join(", ", MatchedFilter.Values)}; got '{Shorten(m)}'.");
                    return false;
                }

                matched = value;
            }

            if (!TryList(query, "atlas_operator", out atlas, out error) || !TryList(query, "osm_operator", out osm, out error))
            {
                return false;
            }

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
        }

        if (!PageQueryValues.TryReadPage(query, out var page, out error))
        {
            return false;
        }

        var perPage = DefaultPerPage;
        if (query.TryGetValue("per_page", out var pp))
        {
            if (!int.TryParse(OneValue(pp)?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out perPage) || !PerPageValues.Contains(perPage))
            {
                error = ("per_page", $"per_page must be one of {string.Join(", ", PerPageValues)}; got '{Shorten(pp)}'.");
                return false;
            }
        }

        parsed = new RouteListQuery(matched, atlas, osm, q, page, perPage);
        return true;
    }

    /// <summary>The canonical query string, with its leading "?", or "" when every value is the default.</summary>
    public string ToQueryString(int? page = null)
    {
        var parts = new List<string>();
        void Add(string name, string value) => parts.Add($"{name}={Escape(value)}");
        if (Q.Length > 0)
        {
            Add("q", Q);
        }

        if (Matched != MatchedFilter.All)
        {
            Add("matched", Matched);
        }

        if (AtlasOperators.Count > 0)
        {
            parts.Add("atlas_operator=" + string.Join(',', AtlasOperators.Select(Escape)));
        }

        if (OsmOperators.Count > 0)
        {
            parts.Add("osm_operator=" + string.Join(',', OsmOperators.Select(Escape)));
        }

        if (PerPage != DefaultPerPage)
        {
            Add("per_page", PerPage.ToString(CultureInfo.InvariantCulture));
        }

        if ((page ?? Page) is var n && n != 1)
        {
            Add("page", n.ToString(CultureInfo.InvariantCulture));
        }

        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    /// <summary>Whether the request's own query string is already the canonical one.</summary>
    public bool IsCanonical(QueryString requested) => string.Equals(requested.Value ?? "", ToQueryString(), StringComparison.Ordinal);

    public bool HasFilters => Matched != MatchedFilter.All || AtlasOperators.Count > 0 || OsmOperators.Count > 0 || Q.Length > 0;

    // Commas separate values, so they stay literal; everything else a URL could misread is escaped.
    private static string Escape(string value) => Uri.EscapeDataString(value);

    private static bool TryList(IQueryCollection query, string name, out IReadOnlyList<string> values, out (string, string) error)
    {
        values = [];
        error = default;
        if (!query.TryGetValue(name, out var raw))
        {
            return true;
        }

        var items = raw.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (items.Count > MaxOperators || items.Any(i => i.Length > MaxOperatorLength))
        {
            error = (name, $"{name} takes at most {MaxOperators} operators of at most {MaxOperatorLength} characters each.");
            return false;
        }

        values = items;
        return true;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}

/// <summary>Route ids as route search compares them.</summary>
public static partial class RouteSearch
{
    /// <summary>Timetable years change route ids every December: <c>-j25</c> and <c>-j26</c> are both searched as <c>-jXX</c>.</summary>
    public static string NormalizeRouteId(string routeId) => RouteIdForms.Normalize(routeId, ignoreCase: true);

    /// <summary>A LIKE pattern matching <paramref name="text"/> anywhere, with %, _ and \ taken literally.</summary>
    public static string Contains(string text)
    {
        var escaped = new StringBuilder(text.Length + 2).Append('%');
        foreach (var c in text)
        {
            if (c is '%' or '_' or '\\')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.Append('%').ToString();
    }
}
