namespace StopSync.Data.Entities;

/// <summary>
/// An OSM stop as the matching sees it: a single element, a platform with its stop position (pair), or a platform
/// pair with the stop position between them (trio). Every published OSM element belongs to exactly one.
/// </summary>
public sealed class OsmStop
{
    public long Id { get; set; }

    /// <summary><c>single</c>, <c>pair</c> or <c>trio</c>.</summary>
    public required string StopKind { get; set; }

    /// <summary>How a pair or trio was formed (<c>osm_pair_uic</c>, <c>osm_pair_name</c>, <c>osm_trio</c>, …); null for singles.</summary>
    public string? GroupKind { get; set; }

    /// <summary>The member the matching stages see.</summary>
    public required string RepresentativeNodeId { get; set; }

    public List<OsmStopMember> Members { get; set; } = [];
}

/// <summary>One OSM element of an <see cref="OsmStop"/>.</summary>
public sealed class OsmStopMember
{
    public long OsmStopId { get; set; }

    public required string NodeId { get; set; }

    /// <summary><c>single</c>, <c>pair_a</c> (the representative), <c>pair_b</c>, <c>trio_middle</c> or <c>trio_side</c>.</summary>
    public required string MemberRole { get; set; }
}
