using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace StopSync.Web.Pages.Data.Changes;

/// <summary>
/// /data/changes: a publication's changes against the one before it, counted by type and side and listed under the
/// filters (docs/10-history.md, "Changes page, stop card and feeds"). The query is read from the query string itself
/// ("page" is also the route value naming a Razor page).
/// </summary>
public sealed class IndexModel(ChangesQueries queries, ChangesCache cache) : PageModel
{
    /// <summary>At most this many feeds are offered for one filtered view.</summary>
    public const int MaxFeedLinks = 10;

    public ChangesQuery Query { get; private set; } = ChangesQuery.Default;

    /// <summary>The malformed parameter and what is wrong with it; the page then answers 400.</summary>
    public (string Parameter, string Message)? Error { get; private set; }

    public ChangesView View { get; private set; } = new(ChangesState.NoPublication, null, null, null);

    public IReadOnlyList<PublicationOption> Publications { get; private set; } = [];

    public int Pages => Math.Max(1, (int)Math.Ceiling((View.Page?.Total ?? 0) / (double)Query.PerPage));

    /// <summary>The Atom feeds of the operators and cantons the view is filtered to.</summary>
    public IReadOnlyList<FeedScope> Feeds =>
    [
        .. Query.AtlasOperators.Select(o => new FeedScope(FeedScope.Operator, o)),
        .. Query.Cantons.Select(c => new FeedScope(FeedScope.Canton, c)),
    ];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!ChangesQuery.TryParse(Request.Query, api: false, out var query, out var error))
        {
            Error = error;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        Query = query;
        if (!query.IsCanonical(Request.QueryString))
        {
            return RedirectPermanentPreserveMethod(Request.PathBase + Request.Path + query.ToQueryString());
        }

        Publications = await cache.GetOrAddAsync(await queries.LiveRunIdAsync(ct), "recent", queries.RecentAsync, ct);
        View = await ChangesView.LoadAsync(queries, cache, query, ct);
        if (View.State == ChangesState.UnknownRun)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }

        return Page();
    }

    /// <summary>This page's address with other values, keeping every other parameter.</summary>
    public string LinkTo(ChangesQuery query) => Request.PathBase + Request.Path + query.ToQueryString();

    public string PageUrl(int page) => Request.PathBase + Request.Path + Query.ToQueryString(page);
}
