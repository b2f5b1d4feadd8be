namespace StopSync.Data.Entities;

/// <summary>A stop unit of docs/07-matching.md; every published OSM element belongs to exactly one.</summary>
public sealed class OsmStop
{
    public long Id { get; set; }

    public required string StopKind { get; set; }

    /// <summary>Null for singles.</summary>
    public string? GroupKind { get; set; }

    /// <summary>The member the matching stages see.</summary>
    public required string RepresentativeNodeId { get; set; }

    public List<OsmStopMember> Members { get; set; } = [];
}

public sealed class OsmStopMember
{
    public long OsmStopId { get; set; }

    public required string NodeId { get; set; }

    public required string MemberRole { get; set; }
}
