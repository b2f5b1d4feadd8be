using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace StopSync.Web.Pages.Operators;

/// <summary>/operators: the ATLAS operators of the live dataset with their figures, filtered and paged.</summary>
public sealed class IndexModel(OwnerQueries queries) : PageModel
{
    public OperatorListQuery Query { get; private set; } = OperatorListQuery.Default;

    /// <summary>The malformed parameter and what is wrong with it; the page then answers 400.</summary>
    public (string Parameter, string Message)? Error { get; private set; }

    public bool Published { get; private set; }

    public int Total { get; private set; }

    public IReadOnlyList<OwnerRow> Rows { get; private set; } = [];

    public int Pages => Math.Max(1, (int)Math.Ceiling(Total / (double)Query.PerPage));

    // "page" is also the route value that names a Razor page, so the values are read from the query itself.
    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!OperatorListQuery.TryParse(Request.Query, out var query, out var error))
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

        Published = await queries.LiveRunAsync(ct) is not null;
        if (!Published)
        {
            return Page();
        }

        var passing = (await queries.FiguresAsync(OwnerScope.Operator, ct)).Where(query.Matches).ToList();
        Total = passing.Count;
        var page = passing.Skip(query.Skip).Take(query.PerPage).ToList();
        var decisions = page.Count == 0 ? new Dictionary<string, OwnerDecisions>()
            : await queries.DecisionsAsync(OwnerScope.Operator, ct);
        Rows = [.. page.Select(f => new OwnerRow(f, decisions.GetValueOrDefault(f.Key, OwnerDecisions.None)))];
        return Page();
    }

    public string PageUrl(int page) => Request.PathBase + Request.Path + Query.ToQueryString(page);

    /// <summary>"21–40 of 57".</summary>
    public string RangeText => Rows.Count == 0 ? $"0 of {Total}" : $"{Query.Skip + 1}–{Query.Skip + Rows.Count} of {Total}";
}
