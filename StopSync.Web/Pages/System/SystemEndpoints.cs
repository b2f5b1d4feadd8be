using StackExchange.Redis;
using StopSync.Data.Status;

namespace StopSync.Web.Pages.SystemStatus;

public static class SystemEndpoints
{
    public static void MapSystemEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/system");
        group.MapGet("/pipeline_status", GetPipelineStatusAsync).WithName("PipelineStatus");
    }

    /// <summary>The pipeline status document (webapp-spec §2.1); polled by every page, so never cached.</summary>
    private static async Task<IResult> GetPipelineStatusAsync(PipelineStatusStore store, HttpContext context, ILoggerFactory loggers)
    {
        context.Response.Headers.CacheControl = "no-store";
        PipelineStatusDocument document;
        try
        {
            document = await store.ReadAsync();
        }
        catch (RedisException ex)
        {
            loggers.CreateLogger(typeof(SystemEndpoints)).LogWarning(ex, "Pipeline status unavailable");
            document = new PipelineStatusDocument { Message = "Pipeline status is unavailable", Phases = PipelinePhases.Plan() };
        }

        return TypedResults.Json(document, PipelineStatusJson.Options);
    }
}
