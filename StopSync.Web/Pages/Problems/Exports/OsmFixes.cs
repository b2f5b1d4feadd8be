using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;
using Npgsql;
using NpgsqlTypes;

namespace StopSync.Web.Pages.Problems.Exports;

/// <summary>One OSM node as it is published, with the tags reviewers chose applied (docs/09-review.md, "Hand-off").</summary>
/// <param name="Tags">Every tag of the node after the change, sorted by key.</param>
/// <param name="Changed">The keys whose value the fix sets or changes, sorted.</param>
public sealed record OsmNodeFix(long Id, int Version, double Lat, double Lon, IReadOnlyList<KeyValuePair<string, string>> Tags, IReadOnlyList<string> Changed);

/// <param name="OsmId">In the site's form: <c>123</c> or <c>way_123</c>.</param>
public sealed record SkippedFix(string OsmId, string Reason);

/// <param name="SkippedWays">Ways with a decided fix, not exported (see <see cref="OsmFixReader"/>).</param>
/// <param name="Skipped">Other decided fixes that cannot be written, with the reason.</param>
public sealed record OsmFixSet(IReadOnlyList<OsmNodeFix> Nodes, IReadOnlyList<string> SkippedWays, IReadOnlyList<SkippedFix> Skipped, int Decisions);

/// <summary>
/// Reads the decided OSM fixes: <c>osm_wrong</c> decisions in state <c>decided</c> whose chosen values name OSM tags,
/// applied to the element as <c>osm_nodes</c> holds it now. Ways are not exported: an osmChange way must list its node
/// references, which StopSync does not store, and a way written without them would delete its geometry.
/// </summary>
public sealed class OsmFixReader(NpgsqlDataSource dataSource)
{
    /// <summary>The OSM tags a reviewer can choose a value for (the attributes evidence of docs/09-review.md).</summary>
    public static readonly IReadOnlyList<string> FixableTags = ["uic_ref", "uic_name", "local_ref", "operator"];

    public const string NotPublished = "not in the published OSM data";
    public const string NoVersion = "the published data carries no version for it";
    public const string SeveralElements = "the decision names several OSM elements";
    public const string Unchanged = "its tags already have the chosen values";

    public async Task<OsmFixSet> ReadAsync(CancellationToken ct)
    {
        var decisions = await DecisionsAsync(ct);
        var skipped = new List<SkippedFix>();
        // Per element, the chosen tags in decision order (oldest first), so that the newest decision wins a tag.
        var chosen = new SortedDictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (osmIds, pairOsmId, values) in decisions)
        {
            var target = pairOsmId ?? (osmIds.Length == 1 ? osmIds[0] : null);
            if (target is null)
            {
                skipped.AddRange(osmIds.Select(id => new SkippedFix(id, SeveralElements)));
                continue;
            }

            if (!chosen.TryGetValue(target, out var tags))
            {
                tags = new Dictionary<string, string>(StringComparer.Ordinal);
                chosen[target] = tags;
            }

            foreach (var (key, value) in values)
            {
                tags[key] = value;
            }
        }

        var published = await PublishedAsync([.. chosen.Keys], ct);
        var nodes = new List<OsmNodeFix>();
        var ways = new List<string>();
        foreach (var (osmId, tags) in chosen)
        {
            if (!published.TryGetValue(osmId, out var element))
            {
                skipped.Add(new SkippedFix(osmId, NotPublished));
            }
            else if (element.ElementType == "way" || osmId.StartsWith("way_", StringComparison.Ordinal))
            {
                ways.Add(osmId);
            }
            else if (element.Version is not { } version || !long.TryParse(osmId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                skipped.Add(new SkippedFix(osmId, NoVersion));
            }
            else
            {
                var after = new SortedDictionary<string, string>(element.Tags, StringComparer.Ordinal);
                var changed = new List<string>();
                foreach (var (key, value) in tags)
                {
                    if (!after.TryGetValue(key, out var current) || current != value)
                    {
                        after[key] = value;
                        changed.Add(key);
                    }
                }

                if (changed.Count == 0)
                {
                    skipped.Add(new SkippedFix(osmId, Unchanged));
                    continue;
                }

                changed.Sort(StringComparer.Ordinal);
                nodes.Add(new OsmNodeFix(id, version, element.Lat, element.Lon, [.. after], changed));
            }
        }

        nodes.Sort((a, b) => a.Id.CompareTo(b.Id));
        return new OsmFixSet(nodes, ways, skipped, decisions.Count);
    }

    private async Task<List<(string[] OsmIds, string? PairOsmId, List<KeyValuePair<string, string>> Values)>> DecisionsAsync(CancellationToken ct)
    {
        const string sql = """
            SELECT d.osm_ids, d.pair_osm_id, d.chosen_values::text
            FROM review.decisions d
            WHERE d.kind = 'osm_wrong' AND d.state = 'decided' AND jsonb_typeof(d.chosen_values) = 'object'
            ORDER BY d.decided_at, d.id
            """;
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var result = new List<(string[], string?, List<KeyValuePair<string, string>>)>();
        while (await reader.ReadAsync(ct))
        {
            var values = TagValues(reader.GetString(2));
            if (values.Count > 0)
            {
                result.Add((reader.GetFieldValue<string[]>(0), reader.IsDBNull(1) ? null : reader.GetString(1), values));
            }
        }

        return result;
    }

    /// <summary>Only known tags with a non-empty text value: an empty value would delete the tag, which no reviewer chose here.</summary>
    internal static List<KeyValuePair<string, string>> TagValues(string json)
    {
        using var document = JsonDocument.Parse(json);
        var values = new List<KeyValuePair<string, string>>();
        foreach (var key in FixableTags)
        {
            if (document.RootElement.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String
                && value.GetString() is { } text && text.Trim().Length > 0)
            {
                values.Add(new(key, text.Trim()));
            }
        }

        return values;
    }

    private async Task<Dictionary<string, PublishedElement>> PublishedAsync(string[] ids, CancellationToken ct)
    {
        const string sql = "SELECT osm_node_id, element_type, version, lat, lon, tags::text FROM osm_nodes WHERE osm_node_id = ANY(@ids)";
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = ids });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var result = new Dictionary<string, PublishedElement>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
        {
            var tags = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(5)) ?? [];
            result[reader.GetString(0)] = new PublishedElement(
                reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetInt32(2), reader.GetDouble(3), reader.GetDouble(4), tags);
        }

        return result;
    }

    private sealed record PublishedElement(string ElementType, int? Version, double Lat, double Lon, Dictionary<string, string> Tags);
}

/// <summary>The two files of the OSM hand-off, written with <see cref="XmlWriter"/> so that every value is escaped.</summary>
public static class OsmFixFiles
{
    public const string Generator = "StopSync";

    /// <summary>osmChange 0.6: one <c>&lt;modify&gt;</c> per node, for upload with the mapper's own account.</summary>
    public static byte[] OsmChange(OsmFixSet fixes)
    {
        ArgumentNullException.ThrowIfNull(fixes);
        return Write(xml =>
        {
            xml.WriteStartElement("osmChange");
            xml.WriteAttributeString("version", "0.6");
            xml.WriteAttributeString("generator", Generator);
            SkippedWaysComment(xml, fixes);
            foreach (var node in fixes.Nodes)
            {
                xml.WriteStartElement("modify");
                Node(xml, node, action: null);
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        });
    }

    /// <summary>The same nodes as a JOSM data file: <c>action="modify"</c> marks each for upload.</summary>
    public static byte[] Josm(OsmFixSet fixes)
    {
        ArgumentNullException.ThrowIfNull(fixes);
        return Write(xml =>
        {
            xml.WriteStartElement("osm");
            xml.WriteAttributeString("version", "0.6");
            xml.WriteAttributeString("generator", Generator);
            xml.WriteAttributeString("upload", "true");
            SkippedWaysComment(xml, fixes);
            foreach (var node in fixes.Nodes)
            {
                Node(xml, node, action: "modify");
            }

            xml.WriteEndElement();
        });
    }

    private static void Node(XmlWriter xml, OsmNodeFix node, string? action)
    {
        xml.WriteStartElement("node");
        xml.WriteAttributeString("id", node.Id.ToString(CultureInfo.InvariantCulture));
        if (action is not null)
        {
            xml.WriteAttributeString("action", action);
        }

        xml.WriteAttributeString("version", node.Version.ToString(CultureInfo.InvariantCulture));
        // OSM stores coordinates to 7 decimals; "R" gives back exactly the published double.
        xml.WriteAttributeString("lat", node.Lat.ToString("R", CultureInfo.InvariantCulture));
        xml.WriteAttributeString("lon", node.Lon.ToString("R", CultureInfo.InvariantCulture));
        foreach (var (key, value) in node.Tags)
        {
            xml.WriteStartElement("tag");
            xml.WriteAttributeString("k", key);
            xml.WriteAttributeString("v", value);
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }

    private static void SkippedWaysComment(XmlWriter xml, OsmFixSet fixes)
    {
        if (fixes.SkippedWays.Count > 0)
        {
            // Digits only: a comment must never hold "--".
            var ways = fixes.SkippedWays.Select(w => "way/" + string.Concat(w.Where(char.IsAsciiDigit)));
            xml.WriteComment($" not exported: ways ({string.Join(", ", ways)}): an osmChange way " +
                "needs its node list, which StopSync does not store; fix them in an editor ");
        }
    }

    private static byte[] Write(Action<XmlWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            xml.WriteStartDocument();
            body(xml);
            xml.WriteEndDocument();
        }

        return buffer.ToArray();
    }
}
