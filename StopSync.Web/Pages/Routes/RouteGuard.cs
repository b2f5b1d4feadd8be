using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Npgsql;
using StopSync.Data.Status;

namespace StopSync.Web.Pages.Routes;

/// <summary>
/// The route pages and <c>/api/routes/*</c> answer 503 with <c>Retry-After: 30</c> while an administrator holds the site
/// in blocking maintenance, checked before any database access, and when a read gives up on a lock or runs out of time
/// (a publication swapping the tables): docs/08-site.md, "Routes".
/// </summary>
public static class RouteGuard
{
    public const int RetryAfterSeconds = 30;
    public const string MaintenanceMessage = "Route review is paused while the data is being updated. Please retry shortly.";
    public const string BusyMessage = "Route data is temporarily busy. Please retry shortly.";
    public const string ApiPrefix = "/api/routes";

    /// <summary>lock_not_available (lock_timeout) and query_canceled (statement_timeout).</summary>
    public static bool IsBusy(Exception? exception, CancellationToken requestAborted)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is PostgresException { SqlState: PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.QueryCanceled })
            {
                // A client that went away cancels its own query; that is no busy database.
                return !requestAborted.IsCancellationRequested;
            }
        }

        return false;
    }

    /// <summary>The maintenance phase when blocking maintenance is on, else null. Redis unreachable counts as no maintenance.</summary>
    public static async Task<string?> MaintenancePhaseAsync(HttpContext http)
    {
        var store = http.RequestServices.GetRequiredService<PipelineStatusStore>();
        try
        {
            var status = await store.ReadAsync().WaitAsync(TimeSpan.FromSeconds(2), http.RequestAborted);
            return status.BlockingMaintenance ? status.Phase : null;
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            http.RequestServices.GetRequiredService<ILogger<RouteGuardFilter>>()
                .LogWarning("Maintenance state unknown for {Path}, answering as without maintenance: {Reason}", http.Request.Path, ex.Message);
            return null;
        }
    }

    /// <summary>The route APIs outside /api/routes: they serve the map too, so maintenance does not block them.</summary>
    public static readonly IReadOnlyList<string> MapApiPaths = ["/api/route_stops", "/api/osm_route_operators"];

    /// <summary>
    /// Under <c>/api/routes</c>: the maintenance check before the endpoint; there and on <see cref="MapApiPaths"/>: busy
    /// reads as 503 JSON.
    /// </summary>
    public static IApplicationBuilder UseRouteApiGuard(this IApplicationBuilder app) =>
        app.UseWhen(http => IsRouteApi(http.Request.Path), api => api.Use(async (http, next) =>
        {
            if (http.Request.Path.StartsWithSegments(ApiPrefix, StringComparison.OrdinalIgnoreCase) && await MaintenancePhaseAsync(http) is { } phase)
            {
                await WriteApiAsync(http, MaintenanceMessage, phase);
                return;
            }

            try
            {
                await next(http);
            }
            catch (Exception ex) when (IsBusy(ex, http.RequestAborted) && !http.Response.HasStarted)
            {
                http.RequestServices.GetRequiredService<ILogger<RouteGuardFilter>>()
                    .LogWarning("Route data busy for {Path}: {Reason}", http.Request.Path, ex.Message);
                http.Response.Clear();
                await WriteApiAsync(http, BusyMessage, null);
            }
        }));

    private static bool IsRouteApi(PathString path) =>
        path.StartsWithSegments(ApiPrefix, StringComparison.OrdinalIgnoreCase)
        || MapApiPaths.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));

    private static Task WriteApiAsync(HttpContext http, string message, string? phase)
    {
        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers.CacheControl = "no-store";
        // The upstream shape {error, phase, retry_after_seconds}, as a problem document like every other API error.
        return TypedResults.Problem(message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Route data unavailable",
            extensions: new Dictionary<string, object?> { ["phase"] = phase, ["retry_after_seconds"] = RetryAfterSeconds }).ExecuteAsync(http);
    }
}

/// <summary>What the maintenance view of the route pages shows.</summary>
public sealed record RouteUnavailable(string Title, string Message, string? Phase);

/// <summary>On every page under Pages/Routes: the maintenance check before the handler runs, busy reads as a 503 page.</summary>
public sealed class RouteGuardFilter(ILogger<RouteGuardFilter> logger, IModelMetadataProvider metadata) : IAsyncPageFilter
{
    public const string ViewPath = "/Pages/Routes/_RouteUnavailable.cshtml";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = context.HttpContext;
        if (await RouteGuard.MaintenancePhaseAsync(http) is { } phase)
        {
            context.Result = Unavailable(http, new RouteUnavailable("Data update in progress", RouteGuard.MaintenanceMessage, phase));
            return;
        }

        var executed = await next();
        if (executed.Exception is { } exception && !executed.ExceptionHandled && RouteGuard.IsBusy(exception, http.RequestAborted))
        {
            logger.LogWarning("Route data busy for {Path}: {Reason}", http.Request.Path, exception.Message);
            executed.ExceptionHandled = true;
            executed.Result = Unavailable(http, new RouteUnavailable("Route data busy", RouteGuard.BusyMessage, null));
        }
    }

    private ViewResult Unavailable(HttpContext http, RouteUnavailable model)
    {
        http.Response.Headers.RetryAfter = RouteGuard.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers.CacheControl = "no-store";
        return new ViewResult
        {
            ViewName = ViewPath,
            StatusCode = StatusCodes.Status503ServiceUnavailable,
            ViewData = new ViewDataDictionary<RouteUnavailable>(metadata, new ModelStateDictionary()) { Model = model },
        };
    }
}
