using System.Globalization;

namespace StopSync.Jobs.Demo;

internal sealed class OsmElementSpec(long id, bool isWay, GeoPoint position, SortedDictionary<string, string> tags)
{
    public long Id { get; } = id;
    public bool IsWay { get; } = isWay;
    public GeoPoint Position { get; } = position;
    public SortedDictionary<string, string> Tags { get; } = tags;
    public long[] NodeRefs { get; init; } = [];

    /// <summary>The id the pipeline and the ground truth use: <c>123</c> for a node, <c>way_123</c> for a way.</summary>
    public string Key => IsWay ? "way_" + Id.ToString(CultureInfo.InvariantCulture) : Id.ToString(CultureInfo.InvariantCulture);

    public string Type => IsWay ? "way" : "node";
}

/// <summary>The OSM side of one ATLAS platform: the element a route relation lists as platform, and its stop position.</summary>
internal sealed record PlatformCounterpart(OsmElementSpec? PlatformElement, OsmElementSpec? StopElement);

internal sealed record TruthRow(string Sloid, string OsmKey, string Case);

internal sealed record OsmRelationMember(OsmElementSpec Element, string Role);

internal sealed record OsmRelationSpec(long Id, int Version, string Timestamp, long Changeset, SortedDictionary<string, string> Tags, List<OsmRelationMember> Members);

/// <summary>A <c>type=route_master</c> relation: its own id, meta and tags in <see cref="Relation"/>, its route relations as members.</summary>
internal sealed record OsmRouteMasterSpec(OsmRelationSpec Relation, List<OsmRelationSpec> Routes);

internal sealed class OsmMap
{
    public List<OsmElementSpec> Nodes { get; } = [];
    public List<OsmElementSpec> Ways { get; } = [];
    /// <summary>Route relations only.</summary>
    public List<OsmRelationSpec> Relations { get; } = [];

    public List<OsmRouteMasterSpec> RouteMasters { get; } = [];

    /// <summary>Indexed by <see cref="Platform.Index"/>.</summary>
    public PlatformCounterpart[] Counterparts { get; init; } = [];

    public List<TruthRow> Truth { get; } = [];
}
