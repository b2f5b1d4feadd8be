using System.Globalization;
using Npgsql;
using StackExchange.Redis;
using StopSync.Data.Status;

namespace StopSync.Web.Pages.Routes.GtfsStops;

/// <summary>
/// Route views stop reading while an operator holds the data in maintenance, and say "busy" rather than fail when a
/// publication holds their tables (docs/08-site.md, "GTFS stops ↔ SLOIDs"). Both answers are 503 with Retry-After.
/// </summary>
public sealed class RouteDataGuard(PipelineStatusStore status, ILogger<RouteDataGuard> logger)
{
    /// <summary>The swap of a publication takes milliseconds; half a minute is ample and keeps clients from hammering.</summary>
    public const int RetryAfterSeconds = 30;

    public const string MaintenanceMessage = "Route data is unavailable while the data is being updated (maintenance). Please retry shortly.";
    public const string BusyMessage = "Route data is temporarily busy. Please retry shortly.";

    /// <summary>The phase of the blocking maintenance, or null when reading may go ahead.</summary>
    public async Task<string?> BlockingPhaseAsync()
    {
        try
        {
            var document = await status.ReadAsync();
            return document.BlockingMaintenance ? document.Phase : null;
        }
        // Without Redis nobody can have switched maintenance on through it: reading goes ahead (RedisTimeoutException is
        // a TimeoutException).
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning(ex, "Pipeline status unavailable; route data is read without the maintenance check");
            return null;
        }
    }

    /// <summary>A lock or statement timeout: the tables were held (a publication swapping them), not broken.</summary>
    public static bool IsBusy(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.QueryCanceled };

    public static void SetRetryAfter(HttpResponse response) =>
        response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);

    public static IResult MaintenanceResult(string phase) => TypedResults.Problem(
        MaintenanceMessage, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Maintenance",
        extensions: new Dictionary<string, object?> { ["phase"] = phase, ["retry_after_seconds"] = RetryAfterSeconds });

    public static IResult BusyResult() => TypedResults.Problem(
        BusyMessage, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Route data busy",
        extensions: new Dictionary<string, object?> { ["retry_after_seconds"] = RetryAfterSeconds });
}

/// <summary>Runs <see cref="RouteDataGuard"/> around every route API endpoint: before the handler touches the database, and on its lock timeouts.</summary>
public sealed class RouteDataEndpointFilter(RouteDataGuard guard, ILogger<RouteDataEndpointFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (await guard.BlockingPhaseAsync() is { } phase)
        {
            RouteDataGuard.SetRetryAfter(http.Response);
            return RouteDataGuard.MaintenanceResult(phase);
        }

        try
        {
            return await next(context);
        }
        catch (Exception ex) when (RouteDataGuard.IsBusy(ex) && !http.RequestAborted.IsCancellationRequested)
        {
            logger.LogWarning("Route data busy for {Path}: {Reason}", http.Request.Path, ex.Message);
            RouteDataGuard.SetRetryAfter(http.Response);
            return RouteDataGuard.BusyResult();
        }
    }
}
