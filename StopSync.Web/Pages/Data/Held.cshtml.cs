using Hangfire;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using StopSync.Data;
using StopSync.Data.Entities;
using StopSync.Data.Jobs;
using StopSync.Web.Infrastructure;

namespace StopSync.Web.Pages.Data;

// The web process never runs pipeline code: each button enqueues an IPipelineJob method for the jobs host.
[Authorize(Policy = AdminPolicy.Name)]
public sealed class HeldModel(StopSyncDbContext db, IBackgroundJobClient jobs) : PageModel
{
    // The Data page shows it after the redirect.
    [TempData]
    public string? Notice { get; set; }

    public IActionResult OnGet() => RedirectToPage("/Data/Analytics");

    public async Task<IActionResult> OnPostPublishAsync(Guid runId, CancellationToken ct)
    {
        if (await IsHeldAsync(runId, ct))
        {
            jobs.Enqueue<IPipelineJob>(job => job.PublishHeldAsync(runId, CancellationToken.None));
            Notice = $"Publishing held run {runId:D}: the jobs host publishes its result as a new run.";
        }

        return RedirectToPage("/Data/Analytics");
    }

    public async Task<IActionResult> OnPostDiscardAsync(Guid runId, CancellationToken ct)
    {
        if (await IsHeldAsync(runId, ct))
        {
            jobs.Enqueue<IPipelineJob>(job => job.DiscardHeldAsync(runId, CancellationToken.None));
            Notice = $"Discarding held run {runId:D}: the jobs host deletes its result bundle.";
        }

        return RedirectToPage("/Data/Analytics");
    }

    // A second click, or a stale page, names a run that is no longer held: nothing is enqueued, and the notice says so.
    private async Task<bool> IsHeldAsync(Guid runId, CancellationToken ct)
    {
        var status = await db.PipelineRuns.AsNoTracking().Where(r => r.Id == runId).Select(r => r.Status).SingleOrDefaultAsync(ct);
        if (status == PipelineRunStatus.Held)
        {
            return true;
        }

        Notice = status is null ? $"There is no pipeline run {runId:D}." : $"Run {runId:D} is not held (its status is '{status}'); nothing was done.";
        return false;
    }
}
