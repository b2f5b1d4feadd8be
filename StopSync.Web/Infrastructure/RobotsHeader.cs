namespace StopSync.Web.Infrastructure;

/// <summary>
/// <c>X-Robots-Tag: noindex, nofollow</c> on every API answer and every 4xx answer (docs/08-site.md, "Search
/// engines"): JSON, CSV and refusals are no pages for a search engine, whatever links point at them.
/// </summary>
public static class RobotsHeader
{
    public const string Name = "X-Robots-Tag";
    public const string Value = "noindex, nofollow";

    public static IApplicationBuilder UseRobotsHeader(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        // Decided on the path as requested: a status-code page re-executes under another.
        var api = http.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);
        http.Response.OnStarting(() =>
        {
            if (api || http.Response.StatusCode is >= 400 and < 500)
            {
                http.Response.Headers[Name] = Value;
            }

            return Task.CompletedTask;
        });
        return next(http);
    });
}
