using System.Globalization;
using System.Text;
using System.Xml;

namespace StopSync.Jobs.Demo;

/// <summary>Streams the map as an Overpass answer: nodes (<c>out body</c>), ways (<c>out body center</c>), relations (<c>out meta</c>).</summary>
internal static class OsmWriter
{
    public static void Write(string path, OsmMap map)
    {
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, IndentChars = "  ", NewLineChars = "\n" };
        using var xml = XmlWriter.Create(path, settings);
        xml.WriteStartDocument();
        xml.WriteStartElement("osm");
        xml.WriteAttributeString("version", "0.6");
        xml.WriteAttributeString("generator", "StopSync dataset generator (Overpass API answer shape)");
        xml.WriteElementString("note", "Generated data in the shape of an Overpass API answer; not real OpenStreetMap data.");
        xml.WriteStartElement("meta");
        xml.WriteAttributeString("osm_base", "2026-11-29T00:00:00Z");
        xml.WriteEndElement();

        foreach (var node in map.Nodes)
        {
            xml.WriteStartElement("node");
            xml.WriteAttributeString("id", node.Id.ToString(CultureInfo.InvariantCulture));
            WriteLatLon(xml, node.Position);
            WriteTags(xml, node.Tags);
            xml.WriteEndElement();
        }

        foreach (var way in map.Ways)
        {
            xml.WriteStartElement("way");
            xml.WriteAttributeString("id", way.Id.ToString(CultureInfo.InvariantCulture));
            xml.WriteStartElement("center");
            WriteLatLon(xml, way.Position);
            xml.WriteEndElement();
            foreach (var nodeRef in way.NodeRefs)
            {
                xml.WriteStartElement("nd");
                xml.WriteAttributeString("ref", nodeRef.ToString(CultureInfo.InvariantCulture));
                xml.WriteEndElement();
            }

            WriteTags(xml, way.Tags);
            xml.WriteEndElement();
        }

        foreach (var relation in map.Relations)
        {
            xml.WriteStartElement("relation");
            xml.WriteAttributeString("id", relation.Id.ToString(CultureInfo.InvariantCulture));
            xml.WriteAttributeString("version", relation.Version.ToString(CultureInfo.InvariantCulture));
            xml.WriteAttributeString("timestamp", relation.Timestamp);
            xml.WriteAttributeString("changeset", relation.Changeset.ToString(CultureInfo.InvariantCulture));
            foreach (var member in relation.Members)
            {
                xml.WriteStartElement("member");
                xml.WriteAttributeString("type", member.Element.Type);
                xml.WriteAttributeString("ref", member.Element.Id.ToString(CultureInfo.InvariantCulture));
                xml.WriteAttributeString("role", member.Role);
                xml.WriteEndElement();
            }

            WriteTags(xml, relation.Tags);
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    private static void WriteLatLon(XmlWriter xml, GeoPoint position)
    {
        xml.WriteAttributeString("lat", position.Lat.ToString("F7", CultureInfo.InvariantCulture));
        xml.WriteAttributeString("lon", position.Lon.ToString("F7", CultureInfo.InvariantCulture));
    }

    private static void WriteTags(XmlWriter xml, SortedDictionary<string, string> tags)
    {
        foreach (var (key, value) in tags)
        {
            xml.WriteStartElement("tag");
            xml.WriteAttributeString("k", key);
            xml.WriteAttributeString("v", value);
            xml.WriteEndElement();
        }
    }
}
