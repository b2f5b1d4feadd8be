using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using StopSync.Data;

namespace StopSync.Web.Pages.Problems;

public sealed class IndexModel(StopSyncDbContext db) : PageModel
{
    public const int PageSize = 100;

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    [BindProperty(SupportsGet = true, Name = "type")]
    public string? ProblemType { get; set; }

    public IReadOnlyList<TypeCount> Counts { get; private set; } = [];
    public IReadOnlyList<ProblemRow> Rows { get; private set; } = [];
    public int Total { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (PageNumber < 1)
        {
            return BadRequest("page must be 1 or more");
        }

        Counts = await db.Problems.AsNoTracking()
            .GroupBy(p => new { p.ProblemType, p.Priority })
            .Select(g => new TypeCount(g.Key.ProblemType, g.Key.Priority, g.Count()))
            .ToListAsync(ct);
        Counts = [.. Counts.OrderBy(c => c.ProblemType, StringComparer.Ordinal).ThenBy(c => c.Priority)];

        var query = db.Problems.AsNoTracking().Where(p => ProblemType == null || p.ProblemType == ProblemType);
        Total = await query.CountAsync(ct);
        Rows = await query
            .OrderBy(p => p.Priority).ThenByDescending(p => p.Stop!.DistanceM).ThenBy(p => p.Id)
            .Skip((PageNumber - 1) * PageSize).Take(PageSize)
            .Select(p => new ProblemRow(p.ProblemType, p.Priority, p.Stop!.Sloid, p.Stop.OsmNodeId, p.Stop.MatchType, p.Stop.DistanceM,
                db.AtlasStops.Where(a => a.Sloid == p.Stop.Sloid).Select(a => a.DesignationOfficial).FirstOrDefault()))
            .ToListAsync(ct);
        return Page();
    }

    public sealed record TypeCount(string ProblemType, int Priority, int Count);

    public sealed record ProblemRow(string ProblemType, int Priority, string? Sloid, string? OsmNodeId, string? MatchType, double? DistanceM, string? Name);
}
