using System.Globalization;
using System.Xml;
using Microsoft.Extensions.Logging;

namespace StopSync.Jobs.Pipeline.OsmImport;

/// <summary>Streams Overpass XML (<c>out body</c> / <c>out center</c>) into stop elements; relations are skipped for now.</summary>
public sealed class OverpassXmlReader(ILogger<OverpassXmlReader> logger)
{
    public OsmReadResult Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new SourceFormatException($"OSM file '{path}' does not exist.");
        }

        var nodes = new List<OsmElement>();
        var ways = new List<OsmElement>();
        var malformed = 0;
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, IgnoreWhitespace = true, IgnoreComments = true };
        try
        {
            using var xml = XmlReader.Create(path, settings);
            if (!xml.ReadToFollowing("osm"))
            {
                throw new SourceFormatException($"OSM file '{path}' has no <osm> root element.");
            }

            while (xml.Read())
            {
                if (xml.NodeType != XmlNodeType.Element || (xml.Name != "node" && xml.Name != "way"))
                {
                    continue;
                }

                var isWay = xml.Name == "way";
                var line = ((IXmlLineInfo)xml).LineNumber;
                var element = ReadElement(xml, isWay);
                if (element is null)
                {
                    malformed++;
                    logger.LogWarning("Skipping OSM {Kind} without usable coordinates at {File}:{Line}", isWay ? "way" : "node", path, line);
                    continue;
                }

                (isWay ? ways : nodes).Add(element);
            }
        }
        catch (XmlException ex)
        {
            throw new SourceFormatException($"OSM file '{path}' is not well-formed XML (line {ex.LineNumber}): {ex.Message}", ex);
        }

        // A way only stands for a stop when it is an aerialway station or carries a uic_ref that no node has.
        var nodeUics = nodes.Select(n => n.UicRef).Where(u => u.Length > 0).ToHashSet(StringComparer.Ordinal);
        var keptWays = ways.Where(w =>
            (w.Tag("aerialway") == "station" && w.Tag("public_transport") == "station")
            || (w.UicRef.Length > 0 && !nodeUics.Contains(w.UicRef)));
        return new OsmReadResult([.. nodes, .. keptWays], malformed);
    }

    private static OsmElement? ReadElement(XmlReader xml, bool isWay)
    {
        var id = xml.GetAttribute("id");
        double? lat = Parse(xml.GetAttribute("lat"));
        double? lon = Parse(xml.GetAttribute("lon"));
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!xml.IsEmptyElement)
        {
            var depth = xml.Depth;
            while (xml.Read() && xml.Depth > depth)
            {
                if (xml.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                if (xml.Name == "tag" && xml.GetAttribute("k") is { } key)
                {
                    tags[key] = xml.GetAttribute("v") ?? "";
                }
                else if (xml.Name == "center")
                {
                    lat = Parse(xml.GetAttribute("lat"));
                    lon = Parse(xml.GetAttribute("lon"));
                }
            }
        }

        if (string.IsNullOrEmpty(id) || lat is not { } la || lon is not { } lo)
        {
            return null;
        }

        return new OsmElement(isWay ? $"way_{id}" : id, isWay ? "way" : "node", la, lo, tags);
    }

    private static double? Parse(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null;
}

public sealed record OsmReadResult(IReadOnlyList<OsmElement> Elements, int Malformed);
