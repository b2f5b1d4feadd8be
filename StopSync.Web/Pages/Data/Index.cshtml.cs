using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using StopSync.Data;
using StopSync.Data.Entities;

namespace StopSync.Web.Pages.Data;

public sealed class IndexModel(StopSyncDbContext db) : PageModel
{
    public DatasetPublication? Publication { get; private set; }
    public IReadOnlyList<StopTypeCount> StopTypes { get; private set; } = [];
    public IReadOnlyList<PipelineRun> Runs { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Publication = await db.DatasetPublications.AsNoTracking().FirstOrDefaultAsync(ct);
        StopTypes = await db.StopsMatched.AsNoTracking()
            .GroupBy(s => new { s.StopType, s.MatchType })
            .Select(g => new StopTypeCount(g.Key.StopType, g.Key.MatchType, g.Count()))
            .ToListAsync(ct);
        StopTypes = [.. StopTypes.OrderBy(c => c.StopType, StringComparer.Ordinal).ThenBy(c => c.MatchType, StringComparer.Ordinal)];
        Runs = await db.PipelineRuns.AsNoTracking().OrderByDescending(r => r.StartedAt).Take(20).ToListAsync(ct);
    }

    public sealed record StopTypeCount(string StopType, string? MatchType, int Count);
}
