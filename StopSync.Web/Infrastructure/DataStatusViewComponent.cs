using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using StopSync.Data;

namespace StopSync.Web.Infrastructure;

/// <summary>The navbar's "Data updated" label. It never fails a page: docs must render with the database down.</summary>
public sealed class DataStatusViewComponent(StopSyncDbContext db, ILogger<DataStatusViewComponent> logger) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(HttpContext.RequestAborted);
        // Long enough for the first query after start-up (model building), short enough not to hold a page hostage.
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            var publishedAt = await db.DatasetPublications.AsNoTracking()
                .Select(p => (DateTimeOffset?)p.PublishedAt)
                .FirstOrDefaultAsync(timeout.Token);
            var label = publishedAt is { } at
                ? $"Data updated: {SwissTime.Format(at)}"
                : "Data not imported yet";
            return View(new DataStatus(label, true));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning("Data status unavailable: {Reason}", ex.Message);
            return View(new DataStatus("Data status unavailable", false));
        }
    }
}

public sealed record DataStatus(string Label, bool Available);
