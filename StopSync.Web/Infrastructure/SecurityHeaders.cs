using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using StopSync.Web.Pages.Map;

namespace StopSync.Web.Infrastructure;

// docs/02-running.md, "Security headers"; tile servers ask for the origin, hence the referrer policy.
public sealed partial class SecurityHeaders(IOptions<MapOptions> map)
{
    public const string ReferrerPolicy = "strict-origin-when-cross-origin";

    private readonly string _sitePolicy = Policy(TileSource(map.Value.TileUrl), "style-src 'self'");

    // The Hangfire dashboard sets style attributes in its markup and from its charts; scripts stay 'self' there too.
    private readonly string _dashboardPolicy = Policy(null, "style-src 'self' 'unsafe-inline'");

    public string PolicyFor(PathString path) =>
        path.StartsWithSegments(DashboardEndpoints.Path, StringComparison.OrdinalIgnoreCase) ? _dashboardPolicy : _sitePolicy;

    public static IApplicationBuilder UseSecurityHeaders(IApplicationBuilder app)
    {
        var headers = app.ApplicationServices.GetRequiredService<SecurityHeaders>();
        return app.Use((http, next) =>
        {
            // Chosen now: the dashboard rewrites the path it is mounted on, and error pages re-execute under another.
            var policy = headers.PolicyFor(http.Request.Path);
            // Set as the response starts, so error pages and responses the exception handler rewrote carry them too.
            http.Response.OnStarting(() =>
            {
                var h = http.Response.Headers;
                h.ContentSecurityPolicy = policy;
                h.XContentTypeOptions = "nosniff";
                h.XFrameOptions = "DENY";
                h["Referrer-Policy"] = ReferrerPolicy;
                return Task.CompletedTask;
            });
            return next(http);
        });
    }

    private static string Policy(string? tileSource, string styleSource) => string.Join("; ",
        "default-src 'self'",
        "script-src 'self'",
        styleSource,
        "img-src 'self' data:" + (tileSource is null ? "" : " " + tileSource),
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'");

    // https://{s}.tile.example.org/{z}/… becomes https://*.tile.example.org: a host placeholder is any subdomain.
    internal static string? TileSource(string? tileUrl)
    {
        // Tiles served by the site itself are covered by 'self'.
        if (string.IsNullOrWhiteSpace(tileUrl) || (tileUrl.StartsWith('/') && !tileUrl.StartsWith("//", StringComparison.Ordinal)))
        {
            return null;
        }

        var match = TileOrigin().Match(tileUrl.Trim());
        if (!match.Success)
        {
            throw new OptionsValidationException(MapOptions.SectionName, typeof(MapOptions),
                [$"Map:TileUrl must be an http(s) URL template or a path on this site; got '{tileUrl}'"]);
        }

        var host = Placeholder().Replace(match.Groups["host"].Value, "*");
        return $"{match.Groups["scheme"].Value.ToLowerInvariant()}://{host.ToLowerInvariant()}";
    }

    [GeneratedRegex(@"^(?<scheme>https?)://(?<host>[^/?#]+)", RegexOptions.IgnoreCase)]
    private static partial Regex TileOrigin();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Placeholder();
}
