using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace StopSync.Web.Infrastructure;

public static class ErrorResponses
{
    /// <summary>The one shape of a refused request parameter across the API: 400, title and a "parameter" extension naming it.</summary>
    public static ProblemHttpResult InvalidParameter(string parameter, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: $"Invalid {parameter}",
            extensions: new Dictionary<string, object?> { ["parameter"] = parameter });

    public static IServiceCollection AddStopSyncErrorResponses(this IServiceCollection services)
    {
        // Clients written for the upstream API read a message from "error"; it carries the same text as detail (or title).
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
            context.ProblemDetails.Extensions.TryAdd("error", context.ProblemDetails.Detail ?? context.ProblemDetails.Title));
        services.Configure<MvcOptions>(o => o.Filters.Add<DatabaseOutageFilter>());
        return services;
    }

    public static IApplicationBuilder UseStopSyncErrorResponses(this IApplicationBuilder app, IWebHostEnvironment environment)
    {
        app.UseWhen(IsApi, api =>
        {
            // In every environment: the developer exception page is HTML, which no API client can use.
            api.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = WriteExceptionProblemAsync });
            api.UseStatusCodePages(context => WriteStatusProblemAsync(context.HttpContext));
        });
        app.UseWhen(http => !IsApi(http), pages =>
        {
            if (!environment.IsDevelopment())
            {
                pages.UseExceptionHandler(new ExceptionHandlerOptions
                {
                    ExceptionHandlingPath = "/Error",
                    StatusCodeSelector = exception => DatabaseOutage.Is(exception) ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError,
                });
            }

            pages.UseStatusCodePagesWithReExecute("/Error", "?code={0}");
        });
        return app;
    }

    private static bool IsApi(HttpContext http) => http.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    private static Task WriteExceptionProblemAsync(HttpContext http)
    {
        var exception = http.Features.Get<IExceptionHandlerFeature>()?.Error;
        var result = DatabaseOutage.Is(exception)
            ? Results.Problem(DatabaseOutage.Detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: DatabaseOutage.Title)
            // The exception itself went to the log; its text (hosts, paths) does not go to the client.
            : Results.Problem("The request failed on the server; the problem was logged.", statusCode: StatusCodes.Status500InternalServerError);
        return result.ExecuteAsync(http);
    }

    // 404, 405 and the like, which carry no body of their own.
    private static Task WriteStatusProblemAsync(HttpContext http) =>
        Results.Problem(statusCode: http.Response.StatusCode).ExecuteAsync(http);
}
