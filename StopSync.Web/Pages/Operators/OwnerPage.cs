using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace StopSync.Web.Pages.Operators;

/// <summary>
/// What one operator's page and one canton's page share: the owner's current figures with the live review counts, its
/// trend across the publications in the history, and the live run's changes in its scope.
/// </summary>
public abstract class OwnerPage(OwnerQueries queries, OwnerScope scope) : PageModel
{
    public OwnerScope Scope => scope;

    public bool Published { get; private set; }

    /// <summary>Null when the live dataset does not know the owner (the page then answers 404).</summary>
    public OwnerRow? Row { get; private set; }

    public string Key { get; private set; } = "";

    public IReadOnlyList<TrendPoint> Trend { get; private set; } = [];

    public ChangeSummary? Changes { get; private set; }

    protected OwnerQueries Queries => queries;

    protected async Task<IActionResult> LoadAsync(string key, CancellationToken ct)
    {
        Key = key;
        var live = await queries.LiveRunAsync(ct);
        Published = live is not null;
        // The history outlives the live dataset's owners: an operator gone from ATLAS still has its trend.
        Trend = await queries.TrendAsync(scope, key, ct);
        if (live is not { } run)
        {
            return Page();
        }

        var figures = (await queries.FiguresAsync(scope, ct)).FirstOrDefault(f => string.Equals(f.Key, key, StringComparison.Ordinal));
        if (figures is null)
        {
            // Another spelling of a known key (rbm for RBM) has one address.
            var other = (await queries.FiguresAsync(scope, ct)).Where(f => string.Equals(f.Key, key, StringComparison.OrdinalIgnoreCase)).ToList();
            if (other.Count == 1)
            {
                return RedirectPermanentPreserveMethod(Request.PathBase + OwnerLinks.Page(scope, other[0].Key));
            }

            if (Trend.Count == 0)
            {
                Response.StatusCode = StatusCodes.Status404NotFound;
            }

            return Page();
        }

        var decisions = await queries.DecisionsAsync(scope, ct);
        Row = new OwnerRow(figures, decisions.GetValueOrDefault(key, OwnerDecisions.None));
        Changes = await queries.ChangesAsync(scope, key, run, ct);
        await LoadMoreAsync(ct);
        return Page();
    }

    protected virtual Task LoadMoreAsync(CancellationToken ct) => Task.CompletedTask;
}
