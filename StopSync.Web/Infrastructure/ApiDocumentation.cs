using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;

namespace StopSync.Web.Infrastructure;

/// <summary>The OpenAPI document of the JSON API and compression of its answers.</summary>
public static class ApiDocumentation
{
    public const string DocumentPath = "/openapi/v1.json";

    public static IServiceCollection AddStopSyncApiDocumentation(this IServiceCollection services)
    {
        // Only the JSON API: pages, health and the dashboard are not for API clients.
        services.AddOpenApi(o => o.ShouldInclude = d => d.RelativePath?.StartsWith("api/", StringComparison.OrdinalIgnoreCase) == true);

        services.AddResponseCompression(o =>
        {
            // Answers under /api carry no secrets (no tokens, no personal data), so compressing them over HTTPS gives
            // BREACH nothing to guess; pages, which carry antiforgery tokens, are not compressed here.
            o.EnableForHttps = true;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = ["application/json", "application/problem+json"];
        });
        // Fastest: a 20000-row answer compresses ~10x at this level in a few milliseconds; higher levels cost more CPU than they save in transfer.
        services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        return services;
    }

    public static WebApplication UseStopSyncApiCompression(this WebApplication app)
    {
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase), api => api.UseResponseCompression());
        return app;
    }
}
