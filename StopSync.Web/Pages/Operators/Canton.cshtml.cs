using Microsoft.AspNetCore.Mvc;
using StopSync.Web.Pages.Map.Filters;

namespace StopSync.Web.Pages.Operators;

/// <summary>/cantons/{code}: one canton's figures, its operators, trends and latest changes.</summary>
public sealed class CantonModel(OwnerQueries queries) : OwnerPage(queries, OwnerScope.Canton)
{
    public Canton? Canton { get; private set; }

    public IReadOnlyList<OperatorShare> Operators { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken ct)
    {
        var upper = code.ToUpperInvariant();
        Canton = Cantons.All.FirstOrDefault(c => c.Code == upper);
        if (Canton is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }

        if (upper != code)
        {
            return RedirectPermanentPreserveMethod(Request.PathBase + OwnerLinks.Page(OwnerScope.Canton, upper));
        }

        return await LoadAsync(upper, ct);
    }

    protected override async Task LoadMoreAsync(CancellationToken ct) => Operators = await Queries.OperatorsInCantonAsync(Key, ct);
}
