namespace StopSync.Web.Pages.Site;

/// <summary>Site (docs/08-site.md, "Search engines").</summary>
public sealed class SiteOptions
{
    public const string SectionName = "Site";

    /// <summary>
    /// The public address of the site (scheme, host and any path prefix, e.g. <c>https://stops.example.org</c>) used in
    /// canonical links, robots.txt and the sitemap. Empty: taken from each request, which is right unless a proxy
    /// rewrites the host.
    /// </summary>
    public string? BaseUrl { get; set; }
}
