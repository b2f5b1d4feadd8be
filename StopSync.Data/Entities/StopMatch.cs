using NetTopologySuite.Geometries;

namespace StopSync.Data.Entities;

/// <summary>The map reads <see cref="Geom"/>: the ATLAS point when there is one, else the OSM point.</summary>
public sealed class StopMatch
{
    public long Id { get; set; }
    public string? Sloid { get; set; }
    public required string StopType { get; set; }
    public string? MatchType { get; set; }
    public double? AtlasLat { get; set; }
    public double? AtlasLon { get; set; }
    public string? OsmNodeId { get; set; }
    public double? OsmLat { get; set; }
    public double? OsmLon { get; set; }
    public double? DistanceM { get; set; }
    public string? MatchingNotes { get; set; }
    public required Point Geom { get; set; }
    public List<Problem> Problems { get; set; } = [];
}

public static class StopTypes
{
    public const string Matched = "matched";
    public const string EffectivelyMatched = "effectively_matched";
    public const string AtlasUnmatched = "atlas_unmatched";
    public const string OsmUnmatched = "osm_unmatched";
}
