using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace StopSync.Web.Pages.Site;

/// <param name="Robots">The robots meta value.</param>
/// <param name="Canonical">The page's absolute address without its query; null for error pages.</param>
public sealed record PageIndexing(string Robots, string? Canonical);

/// <summary>
/// Which pages search engines may index, and the absolute addresses the site gives them (docs/08-site.md, "Search
/// engines"): the main pages and the docs pages, each only at its own path without a query; a filtered or paged
/// view is a variant of its page, so it is followed but not indexed.
/// </summary>
public sealed class SitePages(IOptions<SiteOptions> options)
{
    public const string Index = "index,follow";
    public const string NoIndex = "noindex,follow";
    public const string ErrorPage = "noindex,nofollow";

    /// <summary>The main pages, in the sitemap's order.</summary>
    public static readonly IReadOnlyList<string> MainPages =
    [
        "/", "/problems", "/routes", "/routes/non-gtfs", "/routes/gtfs-stop-id-sloid", "/operators",
        "/data/analytics", "/data/export", "/data/changes",
    ];

    private const string DocsPath = "/docs";

    private readonly string? _configuredBase = Normalize(options.Value.BaseUrl);

    /// <summary>The site's absolute base address without a trailing slash: Site:BaseUrl, else the request's.</summary>
    public string BaseUrl(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _configuredBase ?? $"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}";
    }

    public string Absolute(HttpRequest request, string path) => BaseUrl(request) + path;

    public PageIndexing For(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (IsErrorPage(http))
        {
            return new PageIndexing(ErrorPage, null);
        }

        var path = http.Request.Path.Value ?? "/";
        var robots = IsIndexable(path) && !http.Request.QueryString.HasValue ? Index : NoIndex;
        return new PageIndexing(robots, Absolute(http.Request, http.Request.Path.ToUriComponent() is { Length: > 0 } p ? p : "/"));
    }

    /// <summary>A main page or a docs page, spelt exactly as the site links it (lower case, no trailing slash).</summary>
    public static bool IsIndexable(string path)
    {
        if (MainPages.Contains(path, StringComparer.Ordinal) || string.Equals(path, DocsPath, StringComparison.Ordinal))
        {
            return true;
        }

        return path.StartsWith(DocsPath + "/", StringComparison.Ordinal)
            && path.Length > DocsPath.Length + 1
            && !path.AsSpan(DocsPath.Length + 1).Contains('/');
    }

    // 4xx and 5xx answers, the status-code pages re-executed for them and the error page itself.
    private static bool IsErrorPage(HttpContext http) =>
        http.Response.StatusCode >= StatusCodes.Status400BadRequest
        || http.Features.Get<IStatusCodeReExecuteFeature>() is not null
        || http.Features.Get<IExceptionHandlerPathFeature>() is not null
        || string.Equals(http.Request.Path.Value, "/Error", StringComparison.OrdinalIgnoreCase);

    internal static string? Normalize(string? baseUrl) =>
        string.IsNullOrWhiteSpace(baseUrl) ? null : baseUrl.Trim().TrimEnd('/');

    /// <summary>An absolute http(s) address without query or fragment, or empty.</summary>
    internal static bool IsValidBaseUrl(string? baseUrl) =>
        Normalize(baseUrl) is not { } url
        || (Uri.TryCreate(url, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment));
}
