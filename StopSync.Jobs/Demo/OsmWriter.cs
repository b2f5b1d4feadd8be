using System.Globalization;
using System.Text;
using System.Xml;

namespace StopSync.Jobs.Demo;

/// <summary>Streams the map as an Overpass answer: nodes (<c>out meta</c>), ways (<c>out meta center</c>), route relations then route masters (<c>out meta</c>).</summary>
internal static class OsmWriter
{
    // Made-up mapper names: the generated data is not OpenStreetMap's, so no real contributor is named.
    private static readonly string[] Mappers =
    [
        "bahnhof_mapper", "haltestellen_ch", "tram_fan_zh", "postauto_scout", "ligne_verte", "fermata_ti", "schiff_ahoi",
        "gondelbahn", "stop_surveyor", "velo_und_bus",
    ];

    private static readonly DateTimeOffset OldestEdit = new(2012, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private const int EditSpanSeconds = 14 * 365 * 24 * 3600;

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
            WriteMeta(xml, node.Id);
            WriteTags(xml, node.Tags);
            xml.WriteEndElement();
        }

        foreach (var way in map.Ways)
        {
            xml.WriteStartElement("way");
            xml.WriteAttributeString("id", way.Id.ToString(CultureInfo.InvariantCulture));
            WriteMeta(xml, way.Id);
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
            WriteRelation(xml, relation, relation.Members.Select(m => (m.Element.Type, m.Element.Id, m.Role)));
        }

        // After the routes, as Overpass prints a union: the route masters the query pulls as the routes' parents.
        foreach (var master in map.RouteMasters)
        {
            WriteRelation(xml, master.Relation, master.Routes.Select(r => ("relation", r.Id, "")));
        }

        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    private static void WriteRelation(XmlWriter xml, OsmRelationSpec relation, IEnumerable<(string Type, long Id, string Role)> members)
    {
        xml.WriteStartElement("relation");
        xml.WriteAttributeString("id", relation.Id.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("version", relation.Version.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("timestamp", relation.Timestamp);
        xml.WriteAttributeString("changeset", relation.Changeset.ToString(CultureInfo.InvariantCulture));
        foreach (var (type, id, role) in members)
        {
            xml.WriteStartElement("member");
            xml.WriteAttributeString("type", type);
            xml.WriteAttributeString("ref", id.ToString(CultureInfo.InvariantCulture));
            xml.WriteAttributeString("role", role);
            xml.WriteEndElement();
        }

        WriteTags(xml, relation.Tags);
        xml.WriteEndElement();
    }

    /// <summary>
    /// Version, edit time and editor derived from the id alone (not from the generator's random stream), so adding them
    /// changed no other generated value and the same id always gets the same meta.
    /// </summary>
    private static void WriteMeta(XmlWriter xml, long id)
    {
        var hash = Mix((ulong)id);
        var version = 1 + (int)(hash % 12);
        var timestamp = OldestEdit.AddSeconds((long)((hash >> 8) % EditSpanSeconds));
        xml.WriteAttributeString("version", version.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("timestamp", timestamp.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        xml.WriteAttributeString("changeset", (10_000_000 + ((hash >> 20) % 150_000_000)).ToString(CultureInfo.InvariantCulture));
        var mapper = (int)((hash >> 40) % (ulong)Mappers.Length);
        xml.WriteAttributeString("uid", (1_000 + mapper).ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("user", Mappers[mapper]);
    }

    // SplitMix64's finaliser: consecutive ids get unrelated values.
    private static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EB;
        return x ^ (x >> 31);
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
