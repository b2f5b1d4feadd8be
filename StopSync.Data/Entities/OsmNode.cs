namespace StopSync.Data.Entities;

/// <summary>Ways carry the id <c>way_&lt;id&gt;</c> and sit at their centre.</summary>
public sealed class OsmNode
{
    public required string OsmNodeId { get; set; }
    public required string ElementType { get; set; }
    public double Lat { get; set; }
    public double Lon { get; set; }
    public string? Name { get; set; }
    public string? UicName { get; set; }
    public string? UicRef { get; set; }
    public string? LocalRef { get; set; }
    public string? Network { get; set; }
    public string? Operator { get; set; }
    public string? PublicTransport { get; set; }
    public string? Railway { get; set; }
    public string? Amenity { get; set; }
    public string? Aerialway { get; set; }
    public string? OsmNodeType { get; set; }

    /// <summary>The element's version, last edit time and last editor, where the input carries them (Overpass <c>out meta</c>).</summary>
    public int? Version { get; set; }
    public DateTimeOffset? Timestamp { get; set; }
    public string? User { get; set; }

    /// <summary>Two-letter canton code (ZH, BE, …) of the point; null outside every canton.</summary>
    public string? Canton { get; set; }

    /// <summary>Every tag of the element as a JSON object; OSM tags can hold anything, so pages encode them.</summary>
    public string Tags { get; set; } = "{}";
}
