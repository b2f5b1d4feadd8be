using Microsoft.AspNetCore.Mvc.RazorPages;

namespace StopSync.Web.Pages.Operators;

/// <summary>/cantons: the 26 cantons with the figures of the published dataset.</summary>
public sealed class CantonsModel(OwnerQueries queries) : PageModel
{
    public bool Published { get; private set; }

    public IReadOnlyList<OwnerRow> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Published = await queries.LiveRunAsync(ct) is not null;
        if (!Published)
        {
            return;
        }

        var figures = await queries.FiguresAsync(OwnerScope.Canton, ct);
        var decisions = await queries.DecisionsAsync(OwnerScope.Canton, ct);
        Rows = [.. figures.Select(f => new OwnerRow(f, decisions.GetValueOrDefault(f.Key, OwnerDecisions.None)))];
    }
}
