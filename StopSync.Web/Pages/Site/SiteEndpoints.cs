using System.Text;
using System.Xml;
using Microsoft.Net.Http.Headers;
using StopSync.Web.Pages.Docs;

namespace StopSync.Web.Pages.Site;

/// <summary>robots.txt and sitemap.xml (docs/08-site.md, "Search engines").</summary>
public static class SiteEndpoints
{
    /// <summary>Both files change only with a deployment or the docs: an hour keeps crawlers and caches from asking often.</summary>
    public const string CacheControl = "public, max-age=3600";

    private const string SitemapNamespace = "http://www.sitemaps.org/schemas/sitemap/0.9";

    public static IServiceCollection AddSite(this IServiceCollection services)
    {
        services.AddOptions<SiteOptions>().BindConfiguration(SiteOptions.SectionName)
            .Validate(o => SitePages.IsValidBaseUrl(o.BaseUrl),
                "Site:BaseUrl must be an absolute http or https address without query, e.g. https://stops.example.org")
            .ValidateOnStart();
        services.AddSingleton<SitePages>();
        return services;
    }

    public static IEndpointRouteBuilder MapSiteEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/robots.txt", (HttpContext http, SitePages pages) =>
        {
            http.Response.Headers[HeaderNames.CacheControl] = CacheControl;
            var text = new StringBuilder()
                .Append("User-agent: *\n")
                .Append("Allow: /\n")
                .Append("Disallow: /api/\n")
                .Append("Sitemap: ").Append(pages.Absolute(http.Request, "/sitemap.xml")).Append('\n')
                .ToString();
            return Results.Text(text, "text/plain; charset=utf-8");
        }).ExcludeFromDescription();

        app.MapGet("/sitemap.xml", (HttpContext http, SitePages pages, DocsCatalog docs) =>
        {
            http.Response.Headers[HeaderNames.CacheControl] = CacheControl;
            return Results.Text(Sitemap(SitemapPaths(docs).Select(p => pages.Absolute(http.Request, p))), "application/xml; charset=utf-8");
        }).ExcludeFromDescription();
        return app;
    }

    /// <summary>The main pages, then one page per docs slug.</summary>
    public static IReadOnlyList<string> SitemapPaths(DocsCatalog docs)
    {
        ArgumentNullException.ThrowIfNull(docs);
        return [.. SitePages.MainPages.Concat(docs.Pages().Select(p => "/docs/" + p.Slug)).Distinct(StringComparer.Ordinal)];
    }

    private static string Sitemap(IEnumerable<string> urls)
    {
        var text = new StringBuilder();
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, OmitXmlDeclaration = false };
        using (var writer = XmlWriter.Create(new Utf8StringWriter(text), settings))
        {
            writer.WriteStartDocument();
            writer.WriteStartElement("urlset", SitemapNamespace);
            foreach (var url in urls)
            {
                writer.WriteStartElement("url", SitemapNamespace);
                writer.WriteElementString("loc", SitemapNamespace, url);
                writer.WriteEndElement();
            }

            writer.WriteEndElement();
            writer.WriteEndDocument();
        }

        return text.ToString();
    }

    // A StringWriter reports UTF-16, which the XML declaration would then name.
    private sealed class Utf8StringWriter(StringBuilder builder) : StringWriter(builder, System.Globalization.CultureInfo.InvariantCulture)
    {
        public override Encoding Encoding => Encoding.UTF8;
    }
}
