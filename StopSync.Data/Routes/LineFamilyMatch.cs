namespace StopSync.Data.Routes;

/// <summary>An ATLAS line family paired with an OSM one; <see cref="MatchMethod"/> names the tier (docs/07-matching.md#lines-and-itineraries).</summary>
public sealed class LineFamilyMatch
{
    public long Id { get; set; }
    public long AtlasLineFamilyId { get; set; }
    public LineFamily? AtlasLineFamily { get; set; }
    public long OsmLineFamilyId { get; set; }
    public LineFamily? OsmLineFamily { get; set; }
    public required string MatchMethod { get; set; }
    public double Score { get; set; }
}
