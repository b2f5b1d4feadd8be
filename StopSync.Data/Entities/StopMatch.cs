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

    // Copied from atlas_stops, osm_nodes, osm_stops and problems at publication so that the map's filters
    // (docs/08-site.md, "Filters") are one indexed table scan, not four joins per request.

    /// <summary>Canton of <see cref="Geom"/>, the point the map shows.</summary>
    public string? Canton { get; set; }

    public string? AtlasOperator { get; set; }
    public string? OsmOperator { get; set; }

    /// <summary><see cref="OsmNode.OsmNodeType"/> of the OSM side.</summary>
    public string? OsmNodeType { get; set; }

    /// <summary>The OSM side's stop unit group kind (osm_pair_uic, osm_trio, …); null for singles and rows without OSM.</summary>
    public string? OsmGroupKind { get; set; }

    /// <summary>The ATLAS side belongs to an ATLAS duplicate group.</summary>
    public bool HasAtlasDuplicate { get; set; }

    /// <summary>The most urgent priority among the row's problems (1 most urgent); null without problems.</summary>
    public short? ProblemPriority { get; set; }
    public List<Problem> Problems { get; set; } = [];
}

public static class StopTypes
{
    public const string Matched = "matched";
    public const string EffectivelyMatched = "effectively_matched";
    public const string AtlasUnmatched = "atlas_unmatched";
    public const string OsmUnmatched = "osm_unmatched";
}
