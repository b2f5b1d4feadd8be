using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace StopSync.Web.Pages.Routes;

/// <summary>
/// What /routes and /routes/non-gtfs share: the query parsed from the query string ("page" is also the route value that
/// names a Razor page, so the values are read from the query itself), a 400 naming a malformed parameter, the 308 to
/// the canonical query, and the message when the live dataset has no route data.
/// </summary>
public abstract class RouteListPage(RouteQueries queries, RouteAvailability availability, bool nonGtfs) : PageModel
{
    public RouteListQuery Query { get; private set; } = RouteListQuery.Default;

    /// <summary>The malformed parameter and what is wrong with it; the page then answers 400.</summary>
    public (string Parameter, string Message)? Error { get; private set; }

    public bool Available { get; private set; } = true;

    public RouteCardPage Result { get; private set; } = new([], 0);

    public int Pages => Math.Max(1, (int)Math.Ceiling(Result.Total / (double)Query.PerPage));

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!RouteListQuery.TryParse(Request.Query, filters: !nonGtfs, out var query, out var error))
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

        Available = await availability.HasRoutesAsync(ct);
        if (!Available)
        {
            return Page();
        }

        Result = await queries.CardsAsync(query, nonGtfs, ct);
        await LoadMoreAsync(ct);
        return Page();
    }

    /// <summary>The page's address at another page number, keeping every other parameter.</summary>
    public string PageUrl(int page) => Request.PathBase + Request.Path + Query.ToQueryString(page);

    protected virtual Task LoadMoreAsync(CancellationToken ct) => Task.CompletedTask;
}
