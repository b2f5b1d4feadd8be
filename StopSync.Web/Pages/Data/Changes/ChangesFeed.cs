using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using StopSync.Web.Infrastructure;
using StopSync.Web.Pages.Map.Filters;

namespace StopSync.Web.Pages.Data.Changes;

/// <summary>
/// The Atom feed (RFC 4287) of one ATLAS operator's or one canton's changes: one entry per publication that changed
/// something in the scope (docs/10-history.md, "Changes page, stop card and feeds"). Text constructs only, so every
/// value from the inputs (an OSM tag can hold markup) is escaped by the writer and never read as HTML.
/// </summary>
public static class ChangesFeed
{
    public const string ContentType = "application/atom+xml; charset=utf-8";

    private const string AtomNamespace = "http://www.w3.org/2005/Atom";

    // The namespace of the feed's name-based ids (RFC 4122 version 5); fixed, so that ids stay the same across deployments.
    private static readonly Guid IdNamespace = new("3f1d6c52-8a4e-5b8f-9c0d-2e7a41b6d9f3");

    /// <summary>The feed's title words for its scope: "ABC", "canton ZH (Zürich)".</summary>
    public static string ScopeLabel(FeedScope scope) => scope.Kind == FeedScope.Operator
        ? scope.Key
        : $"canton {scope.Key}" + (Cantons.All.FirstOrDefault(c => c.Code == scope.Key) is { } canton ? $" ({canton.Name})" : "");

    /// <summary>The feed's address below the site root, e.g. <c>/data/changes/feed.atom?canton=ZH</c>.</summary>
    public static string Path(FeedScope scope) => $"/data/changes/feed.atom?{scope.Kind}={Uri.EscapeDataString(scope.Key)}";

    /// <summary>The changes page filtered to the scope (and to one run, when given).</summary>
    public static string PagePath(FeedScope scope, Guid? run = null) =>
        "/data/changes?" + (run is { } id ? $"run={id:D}&" : "") + $"{scope.Kind}={Uri.EscapeDataString(scope.Key)}";

    /// <param name="baseUrl">Scheme, host and path base of the site, without a trailing slash.</param>
    /// <param name="updated">When the feed last changed: the latest publication (entries come and go only with publications).</param>
    public static byte[] Write(FeedScope scope, IReadOnlyList<FeedRun> runs, string baseUrl, DateTimeOffset updated)
    {
        var label = ScopeLabel(scope);
        using var stream = new MemoryStream();
        using (var xml = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("feed", AtomNamespace);
            Element(xml, "id", Urn($"feed|{scope.Kind}|{scope.Key}"));
            Element(xml, "title", $"StopSync: changes to {label}");
            Element(xml, "subtitle", $"What changed in ATLAS and OpenStreetMap for {label} at each publication, and which side caused it.");
            Element(xml, "updated", Timestamp(updated));
            Link(xml, "self", AtomContentTypeWithoutCharset, baseUrl + Path(scope));
            Link(xml, "alternate", "text/html", baseUrl + PagePath(scope));
            xml.WriteStartElement("author");
            Element(xml, "name", "StopSync");
            xml.WriteEndElement();
            Element(xml, "generator", "StopSync");
            foreach (var run in runs)
            {
                var date = SwissTime.Format(run.PublishedAt)[..10];
                var summary = Summary(run);
                xml.WriteStartElement("entry");
                Element(xml, "id", Urn($"{run.RunId:D}|{scope.Kind}|{scope.Key}"));
                Element(xml, "title", $"{run.Total.ToString(CultureInfo.InvariantCulture)} {(run.Total == 1 ? "change" : "changes")} " +
                    (scope.Kind == FeedScope.Operator ? $"to {label}" : $"in {label}") + $" on {date}");
                Element(xml, "updated", Timestamp(run.PublishedAt));
                Element(xml, "published", Timestamp(run.PublishedAt));
                Link(xml, "alternate", "text/html", baseUrl + PagePath(scope, run.RunId));
                xml.WriteStartElement("summary");
                xml.WriteAttributeString("type", "text");
                xml.WriteString(Clean(summary));
                xml.WriteEndElement();
                xml.WriteStartElement("content");
                xml.WriteAttributeString("type", "text");
                xml.WriteString(Clean(Content(run, summary)));
                xml.WriteEndElement();
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            xml.WriteEndDocument();
        }

        return stream.ToArray();
    }

    /// <summary>"12 changes. Match gained: 3 (OSM 2, ATLAS 1). Problem opened: 1 (matching 1)."</summary>
    public static string Summary(FeedRun run)
    {
        var text = new StringBuilder($"{run.Total.ToString(CultureInfo.InvariantCulture)} {(run.Total == 1 ? "change" : "changes")}.");
        foreach (var type in run.Counts.GroupBy(c => c.ChangeType))
        {
            text.Append(' ').Append(ChangeText.TypeLabel(type.Key)).Append(": ").Append(type.Sum(c => c.Count).ToString(CultureInfo.InvariantCulture))
                .Append(" (").AppendJoin(", ", type.Select(c => $"{ChangeText.SideLabel(c.Cause)} {c.Count.ToString(CultureInfo.InvariantCulture)}")).Append(").");
        }

        return text.ToString();
    }

    private static string Content(FeedRun run, string summary)
    {
        var text = new StringBuilder(summary).Append("\n\n");
        foreach (var change in run.FirstChanges)
        {
            var what = string.Join(", ", new[] { change.Name, change.Sloid, change.OsmNodeId is { } osm ? "OSM " + osm : null }.Where(v => !string.IsNullOrEmpty(v)));
            text.Append("- ").Append(what.Length > 0 ? what + ": " : "").Append(change.Description).Append('\n');
        }

        if (run.Total > run.FirstChanges.Count)
        {
            text.Append("… and ").Append((run.Total - run.FirstChanges.Count).ToString(CultureInfo.InvariantCulture)).Append(" more on the changes page.\n");
        }

        return text.ToString();
    }

    // The type of the self link, as RFC 4287 examples give it.
    private const string AtomContentTypeWithoutCharset = "application/atom+xml";

    private static void Element(XmlWriter xml, string name, string value) => xml.WriteElementString(name, AtomNamespace, Clean(value));

    private static void Link(XmlWriter xml, string rel, string type, string href)
    {
        xml.WriteStartElement("link");
        xml.WriteAttributeString("rel", rel);
        xml.WriteAttributeString("type", type);
        xml.WriteAttributeString("href", href);
        xml.WriteEndElement();
    }

    private static string Timestamp(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    // XML 1.0 cannot carry most control characters at all, even escaped; input data could hold them.
    private static string Clean(string value)
    {
        if (value.All(XmlConvert.IsXmlChar))
        {
            return value;
        }

        var text = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (XmlConvert.IsXmlChar(value[i]))
            {
                text.Append(value[i]);
            }
            else if (i + 1 < value.Length && XmlConvert.IsXmlSurrogatePair(value[i + 1], value[i]))
            {
                text.Append(value, i, 2);
                i++;
            }
            else
            {
                text.Append('\uFFFD');
            }
        }

        return text.ToString();
    }

    /// <summary>A name-based UUID (RFC 4122 version 5): the same name gives the same id in every deployment.</summary>
    public static string Urn(string name)
    {
        Span<byte> input = stackalloc byte[16];
        IdNamespace.TryWriteBytes(input, bigEndian: true, out _);
#pragma warning disable CA5350 // RFC 4122 defines version 5 ids with SHA-1; they are names, no secret or integrity rests on them.
        var bytes = SHA1.HashData([.. input, .. Encoding.UTF8.GetBytes(name)]).AsSpan(0, 16).ToArray();
#pragma warning restore CA5350
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return "urn:uuid:" + new Guid(bytes, bigEndian: true).ToString("D");
    }
}
