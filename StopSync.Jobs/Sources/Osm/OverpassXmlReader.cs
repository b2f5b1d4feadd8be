using System.Globalization;
using System.Xml;
using Microsoft.Extensions.Logging;

namespace StopSync.Jobs.Sources.Osm;

/// <summary>The reading rules of docs/06-sources.md#openstreetmap-overpass-xml, as a stream.</summary>
public sealed class OverpassXmlReader(OperatorNormalizer operators, ILogger<OverpassXmlReader> logger)
{
    private const int MaxLoggedExamples = 5;

    public OsmReadResult Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new SourceFormatException($"OSM file '{path}' does not exist.");
        }

        if (new FileInfo(path).Length == 0)
        {
            throw new SourceFormatException($"OSM file '{path}' is empty.");
        }

        var state = new ParseState(path, logger);
        // Element and attribute names come back as these very string instances, so they compare by reference.
        var names = new Names(new NameTable());
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit, IgnoreWhitespace = true, IgnoreComments = true, NameTable = names.Table,
        };
        try
        {
            using var xml = XmlReader.Create(path, settings);
            if (!xml.ReadToFollowing("osm"))
            {
                throw new SourceFormatException($"OSM file '{path}' has no <osm> root element.");
            }

            while (xml.Read())
            {
                if (xml.NodeType != XmlNodeType.Element || xml.Depth != 1)
                {
                    continue;
                }

                var name = xml.LocalName;
                if (ReferenceEquals(name, names.Node))
                {
                    state.AddNode(ReadElement(xml, names, out _));
                    continue;
                }

                switch (name)
                {
                    case "way":
                        state.AddWay(ReadElement(xml, names, out var refs), refs);
                        break;
                    case "relation":
                        state.AddRelation(ReadElement(xml, names, out _));
                        break;
                    case "remark":
                        // Overpass reports timeouts and out-of-memory as a remark inside an otherwise valid answer.
                        var remark = xml.ReadElementContentAsString();
                        if (remark.Contains("error", StringComparison.OrdinalIgnoreCase))
                        {
                            throw new SourceFormatException($"OSM file '{path}' is an incomplete Overpass answer: {remark.Trim()}");
                        }

                        break;
                }
            }
        }
        catch (XmlException ex)
        {
            throw new SourceFormatException($"OSM file '{path}' is not well-formed XML (line {ex.LineNumber}): {ex.Message}", ex);
        }

        return state.Finish(operators);
    }

    private static RawElement ReadElement(XmlReader xml, Names names, out List<string> nodeRefs)
    {
        var line = ((IXmlLineInfo)xml).LineNumber;
        var raw = new RawElement(xml.LocalName, xml.GetAttribute(names.Id), Parse(xml.GetAttribute(names.Lat)), Parse(xml.GetAttribute(names.Lon)), line)
        {
            Version = ParseVersion(xml.GetAttribute(names.Version)),
            Timestamp = ParseTimestamp(xml.GetAttribute(names.Timestamp)),
            User = NullIfEmpty(xml.GetAttribute(names.User)),
        };
        nodeRefs = [];
        if (xml.IsEmptyElement)
        {
            return raw;
        }

        var depth = xml.Depth;
        while (xml.Read() && xml.Depth > depth)
        {
            if (xml.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            var name = xml.LocalName;
            if (ReferenceEquals(name, names.Tag))
            {
                if (xml.GetAttribute(names.K) is { } key)
                {
                    raw.Tags[key] = xml.GetAttribute(names.V) ?? "";
                }

                continue;
            }

            switch (name)
            {
                case "center":
                    raw.Lat = Parse(xml.GetAttribute("lat"));
                    raw.Lon = Parse(xml.GetAttribute("lon"));
                    break;
                case "nd" when xml.GetAttribute("ref") is { } nodeRef:
                    nodeRefs.Add(nodeRef);
                    break;
                case "member" when xml.GetAttribute("ref") is { } memberRef:
                    var type = xml.GetAttribute("type");
                    if (type is "node" or "way")
                    {
                        raw.Members.Add(new OsmRouteMember(type == "way" ? $"way_{memberRef}" : memberRef, xml.GetAttribute("role") ?? ""));
                    }
                    else if (type == "relation")
                    {
                        raw.RelationMembers.Add(memberRef);
                    }

                    break;
            }
        }

        return raw;
    }

    private sealed class Names(NameTable table)
    {
        public NameTable Table { get; } = table;
        public string Node { get; } = table.Add("node");
        public string Tag { get; } = table.Add("tag");
        public string Id { get; } = table.Add("id");
        public string Lat { get; } = table.Add("lat");
        public string Lon { get; } = table.Add("lon");
        public string K { get; } = table.Add("k");
        public string V { get; } = table.Add("v");
        public string Version { get; } = table.Add("version");
        public string Timestamp { get; } = table.Add("timestamp");
        public string User { get; } = table.Add("user");
    }

    private static double? Parse(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null;

    // Meta attributes only inform reviewers: an unreadable one is left out (null), never a reason to drop the element.
    private static int? ParseVersion(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : null;

    private static DateTimeOffset? ParseTimestamp(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private sealed class RawElement(string kind, string? id, double? lat, double? lon, int line)
    {
        public string Kind { get; } = kind;
        public string? Id { get; } = id;
        public double? Lat { get; set; } = lat;
        public double? Lon { get; set; } = lon;
        public int Line { get; } = line;
        public int? Version { get; init; }
        public DateTimeOffset? Timestamp { get; init; }
        public string? User { get; init; }
        public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);
        public List<OsmRouteMember> Members { get; } = [];
        public List<string> RelationMembers { get; } = [];
    }

    private sealed class ParseState(string path, ILogger logger)
    {
        private readonly List<RawElement> _nodes = [];
        private readonly List<(RawElement Way, List<string> Refs)> _ways = [];
        private readonly List<OsmRouteRelation> _relations = [];
        private readonly List<OsmRouteMaster> _routeMasters = [];
        private int _malformed;
        private int _skippedRelations;

        public void AddNode(RawElement node)
        {
            if (string.IsNullOrEmpty(node.Id) || node.Lat is null || node.Lon is null)
            {
                Malformed(node, "no id or no valid lat/lon");
                return;
            }

            _nodes.Add(node);
        }

        public void AddWay(RawElement way, List<string> refs)
        {
            if (string.IsNullOrEmpty(way.Id))
            {
                Malformed(way, "no id");
                return;
            }

            _ways.Add((way, refs));
        }

        public void AddRelation(RawElement relation)
        {
            if (string.IsNullOrEmpty(relation.Id))
            {
                Malformed(relation, "no id");
                return;
            }

            var type = relation.Tags.GetValueOrDefault("type");
            // Hiking routes share stops with nothing the timetable knows.
            if (type == "route_master" && relation.Tags.GetValueOrDefault("route_master") != "hiking")
            {
                var masterTags = relation.Tags.Where(t => OsmRouteMaster.KeptTags.Contains(t.Key)).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
                _routeMasters.Add(new OsmRouteMaster(relation.Id, masterTags, relation.RelationMembers));
                return;
            }

            if (type != "route" || relation.Tags.GetValueOrDefault("route") == "hiking")
            {
                _skippedRelations++;
                return;
            }

            var kept = relation.Tags.Where(t => OsmRouteRelation.KeptTags.Contains(t.Key)).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
            _relations.Add(new OsmRouteRelation(relation.Id, kept, relation.Members));
        }

        public OsmReadResult Finish(OperatorNormalizer operators)
        {
            var elements = _nodes.Select(n => Create(n, n.Lat!.Value, n.Lon!.Value, operators)).ToList();
            var nodeUics = elements.Select(n => n.UicRef).Where(u => u.Length > 0).ToHashSet(StringComparer.Ordinal);
            var nodePositions = elements.ToDictionary(e => e.Id, e => (e.Lat, e.Lon), StringComparer.Ordinal);
            var waysRead = 0;
            foreach (var (way, refs) in _ways)
            {
                waysRead++;
                var aerialwayStation = way.Tags.GetValueOrDefault("aerialway") == "station" && way.Tags.GetValueOrDefault("public_transport") == "station";
                var uic = way.Tags.GetValueOrDefault("uic_ref")?.Trim() ?? "";
                // A way stands for a stop only as an aerialway station, or with a uic_ref that no node carries.
                if (!aerialwayStation && (uic.Length == 0 || nodeUics.Contains(uic)))
                {
                    continue;
                }

                if (way.Lat is null || way.Lon is null)
                {
                    var known = refs.Where(nodePositions.ContainsKey).Select(r => nodePositions[r]).ToList();
                    if (known.Count == 0)
                    {
                        Malformed(way, "no center and no member node with a position");
                        continue;
                    }

                    way.Lat = known.Average(p => p.Lat);
                    way.Lon = known.Average(p => p.Lon);
                }

                elements.Add(Create(way, way.Lat.Value, way.Lon!.Value, operators));
            }

            return new OsmReadResult(elements, _relations, new OsmReadCounts(_nodes.Count, waysRead, _relations.Count, _skippedRelations, _malformed)
            {
                RouteMasters = _routeMasters.Count,
            })
            {
                RouteMasters = _routeMasters,
            };
        }

        private static OsmElement Create(RawElement raw, double lat, double lon, OperatorNormalizer operators)
        {
            var isWay = raw.Kind == "way";
            return new OsmElement(isWay ? $"way_{raw.Id}" : raw.Id!, isWay ? "way" : "node", lat, lon, raw.Tags)
            {
                Operator = operators.Normalize(raw.Tags.GetValueOrDefault("operator")),
                Version = raw.Version,
                Timestamp = raw.Timestamp,
                User = raw.User,
            };
        }

        private void Malformed(RawElement element, string reason)
        {
            _malformed++;
            if (_malformed <= MaxLoggedExamples)
            {
                logger.LogWarning("Skipping OSM {Kind} at {File}:{Line}: {Reason}", element.Kind, path, element.Line, reason);
            }
        }
    }
}

public sealed record OsmReadResult(IReadOnlyList<OsmElement> Elements, IReadOnlyList<OsmRouteRelation> Relations, OsmReadCounts Counts)
{
    public int Malformed => Counts.Malformed;

    /// <summary>The <c>type=route_master</c> relations, in file order; route matching groups their member routes into one line.</summary>
    public IReadOnlyList<OsmRouteMaster> RouteMasters { get; init; } = [];
}

/// <param name="SkippedRelations">Relations that are neither a route nor a route master, and hiking ones.</param>
public sealed record OsmReadCounts(int Nodes, int Ways, int RouteRelations, int SkippedRelations, int Malformed)
{
    public int RouteMasters { get; init; }
}
