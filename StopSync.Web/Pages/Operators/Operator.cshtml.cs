using Microsoft.AspNetCore.Mvc;

namespace StopSync.Web.Pages.Operators;

/// <summary>/operators/{abbr}: one ATLAS operator's figures, trends and latest changes.</summary>
public sealed class OperatorModel(OwnerQueries queries) : OwnerPage(queries, OwnerScope.Operator)
{
    public Task<IActionResult> OnGetAsync(string abbr, CancellationToken ct) => LoadAsync(abbr, ct);
}
