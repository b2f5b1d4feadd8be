using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using StopSync.Data;

namespace StopSync.Web.Infrastructure;

/// <summary>The navbar's "Data updated" label. It never fails a page: docs must render with the database down.</summary>
public sealed class DataStatusViewComponent(StopSyncDbContext db, ILogger<DataStatusViewComponent> logger) : ViewComponent
{
    private static readonly TimeZoneInfo Zurich = TimeZoneInfo.FindSystemTimeZoneById("Europe/Zurich");

    public async Task<IViewComponentResult> InvokeAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(HttpContext.RequestAborted);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            var publishedAt = await db.DatasetPublications.AsNoTracking()
                .Select(p => (DateTimeOffset?)p.PublishedAt)
                .FirstOrDefaultAsync(timeout.Token);
            var label = publishedAt is { } at
                ? $"Data updated: {TimeZoneInfo.ConvertTime(at, Zurich):yyyy-MM-dd HH:mm}"
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
