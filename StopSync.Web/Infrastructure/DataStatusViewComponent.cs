using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using StopSync.Data;
using StopSync.Data.Status;

namespace StopSync.Web.Infrastructure;

// Never fails a page: the docs must render with the database or Redis down.
public sealed class DataStatusViewComponent(StopSyncDbContext db, PipelineStatusStore pipeline, ILogger<DataStatusViewComponent> logger) : ViewComponent
{
    public const string RunningLabel = "Pipeline running in the background";

    public async Task<IViewComponentResult> InvokeAsync()
    {
        var status = await ReadPipelineStatusAsync() is { } read ? await PipelineStatusRedaction.ForAsync(read, HttpContext) : null;
        var statusJson = status is null ? "null" : JsonSerializer.Serialize(status, PipelineStatusJson.Options);
        var nextRun = status?.NextRunAt is { } next ? $"Next pipeline run: {SwissTime.Format(next)}" : null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(HttpContext.RequestAborted);
        // Long enough for the first query after start-up (model building), short enough not to hold a page hostage.
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            var publishedAt = await db.DatasetPublications.AsNoTracking()
                .Select(p => (DateTimeOffset?)p.PublishedAt)
                .SingleOrDefaultAsync(timeout.Token);
            var published = publishedAt is { } at ? $"Data updated: {SwissTime.Format(at)}" : "Data not imported yet";
            var label = status?.Status == PipelineStates.Running ? RunningLabel : published;
            return View(new DataStatus(label, true, published, nextRun, statusJson));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning("Data status unavailable: {Reason}", ex.Message);
            return View(new DataStatus("Data status unavailable", false, "Data status unavailable", nextRun, statusJson));
        }
    }

    private async Task<PipelineStatusDocument?> ReadPipelineStatusAsync()
    {
        try
        {
            return await pipeline.ReadAsync().WaitAsync(TimeSpan.FromSeconds(2), HttpContext.RequestAborted);
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            logger.LogWarning("Pipeline status unavailable: {Reason}", ex.Message);
            return null;
        }
    }

}

// PublishedLabel is what the script restores after a run. StatusJson is HTML-safe: the serializer escapes <, > and &.
public sealed record DataStatus(string Label, bool Available, string PublishedLabel, string? NextRunTitle, string StatusJson);
