using System.Globalization;
using Microsoft.Extensions.Primitives;
using StopSync.Web.Infrastructure;
using static StopSync.Web.Infrastructure.PageQueryValues;
using StopSync.Data.History;
using StopSync.Web.Pages.Map.Filters;

namespace StopSync.Web.Pages.Data.Changes;

/// <summary>
/// The filters of <c>/data/changes</c> and <c>/api/changes</c>, parsed and in canonical form (docs/10-history.md,
/// "Changes page, stop card and feeds"): lists lower- (types, sides) or upper-cased (cantons), deduplicated, in a
/// fixed order (types and sides as listed in ChangeTypes and ChangeCauses, the others sorted) and comma-joined, defaults left out, parameters in one order. The page redirects (308) a request whose query is
/// not canonical, so each list has one address.
/// </summary>
public sealed record ChangesQuery(
    Guid? Run, IReadOnlyList<string> Types, IReadOnlyList<string> Sides, IReadOnlyList<string> AtlasOperators,
    IReadOnlyList<string> Cantons, int Page, int PerPage)
{
    public const int DefaultPerPage = 50;
    public const int MaxApiPerPage = 200;
    public const int MaxOperators = 50;
    public const int MaxOperatorLength = 200;

    /// <summary>The page offers these sizes; the API takes any from 1 to <see cref="MaxApiPerPage"/>.</summary>
    public static readonly IReadOnlyList<int> PagePerPageValues = [20, 50, 100, 200];

    public static ChangesQuery Default { get; } = new(null, [], [], [], [], 1, DefaultPerPage);

    public int Skip => (int)Math.Min(int.MaxValue, (long)(Page - 1) * PerPage);

    public bool HasFilters => Types.Count > 0 || Sides.Count > 0 || AtlasOperators.Count > 0 || Cantons.Count > 0;

    /// <summary>Unknown parameters are ignored (and dropped by the canonical form); <paramref name="api"/> takes any per_page up to the cap.</summary>
    public static bool TryParse(IQueryCollection query, bool api, out ChangesQuery parsed, out (string Parameter, string Message) error)
    {
        parsed = Default;
        error = default;

        Guid? run = null;
        // An empty run (the picker's "live" choice) means the live run, like no run at all.
        if (query.TryGetValue("run", out var r) && !(r.Count == 1 && string.IsNullOrWhiteSpace(r[0])))
        {
            if (OneValue(r)?.Trim() is not { Length: > 0 } text || !Guid.TryParse(text, out var id))
            {
                error = ("run", $"run must be the id of a published run (a UUID); got '{Shorten(r)}'.");
                return false;
            }

            run = id;
        }

        if (!TryKnownList(query, "type", ChangeTypes.All, v => v.ToLowerInvariant(), out var types, out error)
            || !TryKnownList(query, "side", ChangeCauses.All, v => v.ToLowerInvariant(), out var sides, out error))
        {
            return false;
        }

        var operators = Split(query, "atlas_operator").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (operators.Count > MaxOperators || operators.Any(o => o.Length > MaxOperatorLength))
        {
            error = ("atlas_operator", $"atlas_operator takes at most {MaxOperators} operators of at most {MaxOperatorLength} characters each.");
            return false;
        }

        var cantons = Split(query, "canton").Select(c => c.ToUpperInvariant()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (cantons.FirstOrDefault(c => !Map.Filters.Cantons.Codes.Contains(c)) is { } unknown)
        {
            error = ("canton", Map.Filters.Cantons.ListError(Shorten(unknown)) + ".");
            return false;
        }

        if (!PageQueryValues.TryReadPage(query, out var page, out error))
        {
            return false;
        }

        var perPage = DefaultPerPage;
        if (query.TryGetValue("per_page", out var pp))
        {
            var valid = int.TryParse(OneValue(pp)?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out perPage)
                && (api ? perPage is >= 1 and <= MaxApiPerPage : PagePerPageValues.Contains(perPage));
            if (!valid)
            {
                error = ("per_page", api
                    ? $"per_page must be a whole number from 1 to {MaxApiPerPage}; got '{Shorten(pp)}'."
                    : $"per_page must be one of {string.Join(", ", PagePerPageValues)}; got '{Shorten(pp)}'.");
                return false;
            }
        }

        parsed = new ChangesQuery(run, types, sides, operators, cantons, page, perPage);
        return true;
    }

    /// <summary>The canonical query string with its leading "?", or "" when every value is the default.</summary>
    public string ToQueryString(int? page = null, Guid? run = null, bool keepRun = true)
    {
        var parts = new List<string>();
        if ((run ?? (keepRun ? Run : null)) is { } id)
        {
            parts.Add("run=" + id.ToString("D"));
        }

        AddList(parts, "type", Types);
        AddList(parts, "side", Sides);
        AddList(parts, "atlas_operator", AtlasOperators);
        AddList(parts, "canton", Cantons);
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

    /// <summary>The same filters with one change type and cause instead of the type and side lists (a cell of the summary).</summary>
    public ChangesQuery Cell(string? type, string? side) =>
        this with { Types = type is null ? Types : [type], Sides = side is null ? Sides : [side], Page = 1 };

    private static void AddList(List<string> parts, string name, IReadOnlyList<string> values)
    {
        if (values.Count > 0)
        {
            // Commas separate values, so they stay literal; everything else a URL could misread is escaped.
            parts.Add(name + "=" + string.Join(',', values.Select(Uri.EscapeDataString)));
        }
    }

    private static IEnumerable<string> Split(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var raw)
            ? raw.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            : [];

    private static bool TryKnownList(
        IQueryCollection query, string name, IReadOnlyList<string> known, Func<string, string> normalise,
        out IReadOnlyList<string> values, out (string, string) error)
    {
        error = default;
        // Kept in the order of the known list, which is the order the page shows them in.
        var given = Split(query, name).Select(normalise).ToHashSet(StringComparer.Ordinal);
        values = [.. known.Where(given.Contains)];
        if (given.FirstOrDefault(v => !known.Contains(v)) is { } unknown)
        {
            error = (name, $"{name} must be a comma list of {string.Join(", ", known)}; unknown: '{Shorten(unknown)}'.");
            return false;
        }

        return true;
    }

}
