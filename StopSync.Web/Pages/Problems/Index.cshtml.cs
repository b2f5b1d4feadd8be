using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StopSync.Data;
using StopSync.Web.Accounts;
using StopSync.Web.Pages.Map;
using StopSync.Web.Pages.Map.Filters;

namespace StopSync.Web.Pages.Problems;

/// <summary>
/// The problems queue (docs/09-review.md, "The problems page"). The server renders the frame, the decision controls
/// (disabled for visitors) and the antiforgery token; the queue itself comes from /api/problems in the browser. The
/// query string is the page's state: malformed values are a 400 naming the parameter, so a broken link never shows a
/// queue other than the one it names.
/// </summary>
public sealed class IndexModel(
    StopSyncDbContext db, IAntiforgery antiforgery, IAuthorizationService authorization, IOptions<MapOptions> mapOptions) : PageModel
{
    // The API's values, plus "all" and the legacy alias "isolated" that /api/problems also takes.
    private static readonly HashSet<string> ProblemTypeValues =
        new([ProblemFilterQuery.All, "isolated", .. ProblemTypes.All], StringComparer.Ordinal);

    private static readonly HashSet<string> ReviewStateValues = new(ReviewStates.All, StringComparer.Ordinal);

    public MapOptions Map { get; } = mapOptions.Value;

    public bool CanDecide { get; private set; }

    public bool HasProblems { get; private set; }

    public string RequestToken { get; private set; } = "";

    public string SignInUrl { get; private set; } = "/account/login";

    // "page" is also the route value that names the Razor page, so the query values are read from the query itself.
    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var error = Validate(Request.Query);
        if (error is not null)
        {
            return BadRequest(error.Value.Message);
        }

        // The page needs the published dataset like the other data pages: an outage is a 503 with the layout's notice.
        HasProblems = await db.Problems.AsNoTracking().AnyAsync(ct);
        CanDecide = (await authorization.AuthorizeAsync(User, AccountPolicies.Reviewer)).Succeeded;
        RequestToken = antiforgery.GetAndStoreTokens(HttpContext).RequestToken ?? "";
        SignInUrl = "/account/login?returnUrl=" + Uri.EscapeDataString(Request.Path + Request.QueryString);
        return Page();
    }

    /// <summary>The first malformed query value, or null. Unknown parameters are ignored.</summary>
    internal static (string Parameter, string Message)? Validate(IQueryCollection query)
    {
        // Digits beyond int's range are a page past the end like any other: the browser shows the queue's last page.
        if (query.TryGetValue("page", out var page)
            && (page.Count != 1 || page[0] is not { Length: > 0 } digits || !digits.All(char.IsAsciiDigit) || digits.All(c => c == '0')))
        {
            return ("page", $"page must be a whole number of 1 or more; got '{Shorten(page)}'");
        }

        return List(query, "problem_type", ProblemTypeValues.Contains, $"problem_type must be all or a comma list of {string.Join(", ", ProblemTypes.All)}")
            ?? List(query, "priority", p => p is "1" or "2" or "3", "priority must be a comma list of 1, 2 and 3")
            ?? List(query, "canton", c => Cantons.Codes.Contains(c.ToUpperInvariant()), "canton must be a comma list of two-letter canton codes (ZH, BE, …)")
            ?? List(query, "state", ReviewStateValues.Contains, "state must be a comma list of open, decided and needs_another_look")
            ?? One(query, "sort_by", v => v is "priority" or "distance" or "default", "sort_by must be priority, distance or default")
            ?? One(query, "sort_order", v => v is "asc" or "desc", "sort_order must be asc or desc")
            ?? One(query, "stop", v => v.Length is > 0 and <= 200, "stop must name a stop (a SLOID, node/123 or way/45) of at most 200 characters");
    }

    private static (string, string)? List(IQueryCollection query, string name, Func<string, bool> valid, string message)
    {
        if (!query.TryGetValue(name, out var values))
        {
            return null;
        }

        var items = string.Join(',', values.ToArray()).Split(',', StringSplitOptions.TrimEntries);
        return items.All(i => i.Length > 0 && valid(i)) ? null : (name, $"{message}; got '{Shorten(values)}'");
    }

    private static (string, string)? One(IQueryCollection query, string name, Func<string, bool> valid, string message) =>
        !query.TryGetValue(name, out var values) || (values.Count == 1 && valid(values[0] ?? "")) ? null : (name, $"{message}; got '{Shorten(values)}'");

    // Echoed values are cut short: the message names the mistake, not an arbitrary amount of input.
    private static string Shorten(Microsoft.Extensions.Primitives.StringValues values)
    {
        var text = values.ToString();
        return text.Length <= 60 ? text : text[..60] + "…";
    }
}
