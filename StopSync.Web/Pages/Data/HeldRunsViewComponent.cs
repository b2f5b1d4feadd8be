using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using StopSync.Data;
using StopSync.Data.Entities;
using StopSync.Web.Infrastructure;

namespace StopSync.Web.Pages.Data;

// Visitors see held runs and their figures; administrators also get the buttons (docs/04-pipeline.md, "Held runs").
public sealed class HeldRunsViewComponent(StopSyncDbContext db, IAuthorizationService authorization) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        var runs = await db.PipelineRuns.AsNoTracking()
            .Where(r => r.Status == PipelineRunStatus.Held)
            .OrderByDescending(r => r.StartedAt)
            .ToListAsync(HttpContext.RequestAborted);
        var isAdmin = runs.Count > 0 && (await authorization.AuthorizeAsync(UserClaimsPrincipal, HttpContext, AdminPolicy.Name)).Succeeded;
        return View(new HeldRunsView([.. runs.Select(r => new HeldRunView(r, RunHold.FromStats(r.Stats)))], isAdmin));
    }
}

public sealed record HeldRunsView(IReadOnlyList<HeldRunView> Runs, bool IsAdmin);

// Hold is null for a run whose statistics do not carry the figures; its message still says why.
public sealed record HeldRunView(PipelineRun Run, RunHold? Hold);
