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

    /// <summary>Every tag of the element as a JSON object; OSM tags can hold anything, so pages encode them.</summary>
    public string Tags { get; set; } = "{}";
}
