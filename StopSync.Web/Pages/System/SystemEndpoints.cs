using StackExchange.Redis;
using StopSync.Data.Status;
using StopSync.Web.Infrastructure;

namespace StopSync.Web.Pages.SystemStatus;

public static class SystemEndpoints
{
    public static void MapSystemEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/system");
        group.MapMethods("/pipeline_status", [HttpMethods.Get, HttpMethods.Head], GetPipelineStatusAsync).WithName("PipelineStatus")
            .RequireRateLimiting(RateLimitPolicies.PipelineStatus);
    }

    // Polled by every page, so never cached; visitors get it redacted (docs/05-api.md).
    private static async Task<IResult> GetPipelineStatusAsync(PipelineStatusStore store, HttpContext context, ILoggerFactory loggers)
    {
        context.Response.Headers.CacheControl = "no-store";
        PipelineStatusDocument document;
        try
        {
            document = await store.ReadAsync();
        }
        // RedisTimeoutException is a TimeoutException, not a RedisException.
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            loggers.CreateLogger(typeof(SystemEndpoints)).LogWarning(ex, "Pipeline status unavailable");
            document = new PipelineStatusDocument { Message = "Pipeline status is unavailable", Phases = PipelinePhases.Plan() };
        }

        return TypedResults.Json(await PipelineStatusRedaction.ForAsync(document, context), PipelineStatusJson.Options);
    }
}
