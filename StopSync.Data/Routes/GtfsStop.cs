using NetTopologySuite.Geometries;

namespace StopSync.Data.Routes;

/// <summary>A Swiss GTFS stop and the ATLAS platform(s) it resolved to (docs/06-sources.md, GTFS identity).</summary>
public sealed class GtfsStop
{
    public required string StopId { get; set; }
    public required string StopName { get; set; }
    public double Lat { get; set; }
    public double Lon { get; set; }
    public required Point Geom { get; set; }
    public string? StopCode { get; set; }
    public string? UicNumber { get; set; }
    public string? LocalRef { get; set; }
    public string? NormalizedLocalRef { get; set; }
    public string? PlatformCode { get; set; }
    public string? OriginalStopId { get; set; }
    public string? LocationType { get; set; }
    public string? ParentStation { get; set; }

    /// <summary>station, platform, child_stop or stop.</summary>
    public required string IdentityLevel { get; set; }

    /// <summary>original_stop_id, uic_platform, coordinate_proximity, unique_number or unmatched.</summary>
    public required string ResolutionMethod { get; set; }
    public double Confidence { get; set; }
    public double? DistanceM { get; set; }

    /// <summary>The first of <see cref="ResolvedSloids"/>; null when unmatched.</summary>
    public string? ResolvedSloid { get; set; }
    public List<string> ResolvedSloids { get; set; } = [];
}
