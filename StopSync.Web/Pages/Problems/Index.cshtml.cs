using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using StopSync.Data;

namespace StopSync.Web.Pages.Problems;

public sealed class IndexModel(StopSyncDbContext db) : PageModel
{
    public const int PageSize = 100;

    public int PageNumber { get; private set; } = 1;

    public string? ProblemType { get; private set; }

    public int? Priority { get; private set; }

    public IReadOnlyList<TypeCount> Counts { get; private set; } = [];
    public IReadOnlyList<ProblemRow> Rows { get; private set; } = [];
    public int Total { get; private set; }

    public int LastPage => Math.Max(1, (Total + PageSize - 1) / PageSize);

    // "page" is also the route value that names the Razor page, so the query value is bound explicitly.
    public async Task<IActionResult> OnGetAsync(
        [FromQuery(Name = "page")] string? page, [FromQuery(Name = "type")] string? type, [FromQuery(Name = "priority")] string? priority,
        CancellationToken ct)
    {
        if (page is not null && (page.Length == 0 || !page.All(char.IsAsciiDigit) || page.All(c => c == '0')))
        {
            return BadRequest($"page must be a whole number of 1 or more; got '{page}'");
        }

        if (priority is not null && (!int.TryParse(priority, out var level) || level is < 1 or > 3))
        {
            return BadRequest($"priority must be 1, 2 or 3; got '{priority}'");
        }

        // Digits beyond int's range are a page past the end like any other: clamped below, never an overflow.
        var requested = page is null ? 1
            : int.TryParse(page, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number
            : int.MaxValue;
        ProblemType = string.IsNullOrWhiteSpace(type) ? null : type;
        Priority = priority is null ? null : int.Parse(priority, System.Globalization.CultureInfo.InvariantCulture);

        Counts = await db.Problems.AsNoTracking()
            .GroupBy(p => new { p.ProblemType, p.Priority })
            .Select(g => new TypeCount(g.Key.ProblemType, g.Key.Priority, g.Count()))
            .ToListAsync(ct);
        Counts = [.. Counts.OrderBy(c => c.ProblemType, StringComparer.Ordinal).ThenBy(c => c.Priority)];

        var query = db.Problems.AsNoTracking()
            .Where(p => ProblemType == null || p.ProblemType == ProblemType)
            .Where(p => Priority == null || p.Priority == Priority);
        Total = await query.CountAsync(ct);
        // A page past the end shows the last one (a bookmark outlives a smaller dataset).
        PageNumber = Math.Min(requested, LastPage);
        Rows = await query
            .OrderBy(p => p.Priority).ThenByDescending(p => p.Stop!.DistanceM).ThenBy(p => p.Id)
            .Skip((PageNumber - 1) * PageSize).Take(PageSize)
            .Select(p => new ProblemRow(p.ProblemType, p.Priority, p.Stop!.Sloid, p.Stop.OsmNodeId, p.Stop.MatchType, p.Stop.DistanceM,
                db.AtlasStops.Where(a => a.Sloid == p.Stop.Sloid).Select(a => a.DesignationOfficial).FirstOrDefault()
                    ?? db.OsmNodes.Where(o => o.OsmNodeId == p.Stop.OsmNodeId).Select(o => o.Name).FirstOrDefault()))
            .ToListAsync(ct);
        return Page();
    }

    public string PageUrl(int number)
    {
        var query = new List<string> { $"page={number}" };
        if (ProblemType is not null)
        {
            query.Add("type=" + Uri.EscapeDataString(ProblemType));
        }

        if (Priority is not null)
        {
            query.Add($"priority={Priority}");
        }

        return "/problems?" + string.Join('&', query);
    }

    public sealed record TypeCount(string ProblemType, int Priority, int Count);

    public sealed record ProblemRow(string ProblemType, int Priority, string? Sloid, string? OsmNodeId, string? MatchType, double? DistanceM, string? Name);
}
