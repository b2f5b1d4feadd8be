using System.Globalization;
using Hangfire;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;
using StopSync.Data;
using StopSync.Data.Entities;
using StopSync.Data.Jobs;
using StopSync.Data.Status;
using StopSync.Web.Infrastructure;

namespace StopSync.Web.Pages.Data;

/// <summary>
/// The Data page's Analytics tab (docs/08-site.md, "Data"): the live publication's statistics and their trend, drawn
/// as charts by js/data/analytics.js from /api/analytics with the same figures in tables here, then the pipeline's
/// runs and the administrator's actions.
/// </summary>
public sealed class AnalyticsModel(
    StopSyncDbContext db,
    PipelineStatusStore pipeline,
    AnalyticsQueries analytics) : PageModel
{
    /// <summary>Rows of the trend table: a year of daily publications would be 170 KB of HTML and most of the page's time
    /// (docs/10-history.md, "Analytics"); the charts and the API keep every publication.</summary>
    public const int TrendTableRows = 60;

    /// <summary>Null before the first publication and for a publication without statistics.</summary>
    public AnalyticsReport? Report { get; private set; }

    public DatasetPublication? Publication { get; private set; }

    /// <summary>Counts by stop and match type, read only when the publication has no statistics to show instead.</summary>
    public IReadOnlyList<StopTypeCount> StopTypes { get; private set; } = [];
    public IReadOnlyList<PipelineRun> Runs { get; private set; } = [];

    // Null when Redis is unreachable.
    public PipelineStatusDocument? Status { get; private set; }

    public PipelineRun? LastFinishedRun { get; private set; }
    public IReadOnlyDictionary<string, double> LastFinishedPhases { get; private set; } = new Dictionary<string, double>();

    public bool IsAdmin { get; private set; }

    [TempData]
    public string? Notice { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Publication = await db.DatasetPublications.AsNoTracking().SingleOrDefaultAsync(ct);
        Report = Publication is null ? null : await analytics.ReportAsync(AnalyticsScope.All, ct);
        if (Publication is not null && Report is null)
        {
            StopTypes = await db.StopsMatched.AsNoTracking()
                .GroupBy(s => new { s.StopType, s.MatchType })
                .Select(g => new StopTypeCount(g.Key.StopType, g.Key.MatchType, g.Count()))
                .ToListAsync(ct);
            StopTypes = [.. StopTypes.OrderBy(c => c.StopType, StringComparer.Ordinal).ThenBy(c => c.MatchType, StringComparer.Ordinal)];
        }

        Runs = await db.PipelineRuns.AsNoTracking().OrderByDescending(r => r.StartedAt).Take(20).ToListAsync(ct);
        LastFinishedRun = Runs.FirstOrDefault(r => r.Status is PipelineRunStatus.Succeeded or PipelineRunStatus.Failed);
        LastFinishedPhases = LastFinishedRun is null ? new Dictionary<string, double>() : PhaseSeconds(LastFinishedRun.Stats);
        IsAdmin = await IsAdminAsync();
        try
        {
            var status = await pipeline.ReadAsync();
            Status = IsAdmin ? status : PipelineStatusRedaction.ForVisitors(status);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Status = null;
        }
    }

    // Enqueues the job contract with the trigger manual rather than triggering the recurring job, so the run history
    // says who started it.
    public async Task<IActionResult> OnPostRunAsync()
    {
        if (!await IsAdminAsync())
        {
            return Forbid();
        }

        // Resolved here, not in the constructor: reading the page needs no Hangfire client.
        HttpContext.RequestServices.GetRequiredService<IBackgroundJobClient>()
            .Enqueue<IPipelineJob>(job => job.RunAsync("manual", null, CancellationToken.None));
        Notice = "Pipeline run triggered.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostMaintenanceAsync(bool blocking)
    {
        if (!await IsAdminAsync())
        {
            return Forbid();
        }

        await pipeline.SetBlockingMaintenanceAsync(blocking);
        Notice = blocking ? "Maintenance overlay switched on." : "Maintenance overlay switched off.";
        return RedirectToPage();
    }

    private Task<bool> IsAdminAsync() => AdminPolicy.IsAdminAsync(HttpContext);

    private static Dictionary<string, double> PhaseSeconds(string stats)
    {
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(stats);
            return json.RootElement.TryGetProperty("phase_seconds", out var phases) && phases.ValueKind == System.Text.Json.JsonValueKind.Object
                ? phases.EnumerateObject().Where(p => p.Value.ValueKind == System.Text.Json.JsonValueKind.Number)
                    .ToDictionary(p => p.Name, p => p.Value.GetDouble())
                : [];
        }
        catch (System.Text.Json.JsonException)
        {
            return [];
        }
    }

    // Grouped like the page script: " · 1,234 of 5,678".
    public static string Amount(PhaseState stage) => stage.Total is { } total
        ? string.Create(CultureInfo.GetCultureInfo("en-US"), $" · {stage.Processed ?? 0:N0} of {total:N0}")
        : "";

    public sealed record StopTypeCount(string StopType, string? MatchType, int Count);
}
