using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Ganss.Xss;
using Markdig;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Microsoft.Extensions.Options;

namespace StopSync.Web.Pages.Docs;

public sealed class DocsOptions
{
    public const string SectionName = "Docs";

    public string Path { get; set; } = System.IO.Path.Combine(AppContext.BaseDirectory, "docs");
}

// Files only, no database or Redis, so the docs stay readable during every update. Slugs drop the file name's leading
// number: numbers may change, URLs stay.
public sealed partial class DocsCatalog(IOptions<DocsOptions> options)
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();
    private readonly HtmlSanitizer _sanitizer = CreateSanitizer();
    private readonly ConcurrentDictionary<string, (DateTime Modified, string Html)> _rendered = new(StringComparer.Ordinal);

    public IReadOnlyList<DocPage> Pages()
    {
        var folder = options.Value.Path;
        if (!Directory.Exists(folder))
        {
            return [];
        }

        return Directory.EnumerateFiles(folder, "*.md")
            .Order(StringComparer.Ordinal)
            .Select(file => new DocPage(Slug(System.IO.Path.GetFileNameWithoutExtension(file)), Title(file), file))
            .ToList();
    }

    public DocPage? Find(string? slug)
    {
        var pages = Pages();
        return string.IsNullOrEmpty(slug) ? (pages.Count > 0 ? pages[0] : null) : pages.FirstOrDefault(p => p.Slug == slug);
    }

    public string Render(DocPage page)
    {
        var modified = File.GetLastWriteTimeUtc(page.File);
        if (_rendered.TryGetValue(page.File, out var cached) && cached.Modified == modified)
        {
            return cached.Html;
        }

        var document = Markdown.Parse(File.ReadAllText(page.File), Pipeline);
        foreach (var link in document.Descendants<LinkInline>())
        {
            // Links between documentation files become links between docs pages.
            if (link.Url is { } url && !url.Contains("://", StringComparison.Ordinal) && url.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
            {
                link.Url = "/docs/" + Slug(System.IO.Path.GetFileNameWithoutExtension(url));
            }
        }

        foreach (var heading in document.Descendants<HeadingBlock>())
        {
            heading.GetAttributes().AddClass("doc-heading");
        }

        var html = _sanitizer.Sanitize(document.ToHtml(Pipeline));
        _rendered[page.File] = (modified, html);
        return html;
    }

    public static string Slug(string fileName) =>
        NonAlphanumeric().Replace(LeadingNumber().Replace(fileName, ""), "_").ToLowerInvariant().Trim('_');

    private static string Title(string file)
    {
        foreach (var line in File.ReadLines(file))
        {
            if (line.StartsWith("# ", StringComparison.Ordinal))
            {
                return line[2..].Trim();
            }
        }

        return System.IO.Path.GetFileNameWithoutExtension(file);
    }

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedAttributes.Add("class");
        sanitizer.AllowedAttributes.Add("id");
        return sanitizer;
    }

    [GeneratedRegex(@"^\d+[-_. ]*")]
    private static partial Regex LeadingNumber();

    [GeneratedRegex("[^A-Za-z0-9]+")]
    private static partial Regex NonAlphanumeric();
}

public sealed record DocPage(string Slug, string Title, string File);
