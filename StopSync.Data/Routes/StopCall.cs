namespace StopSync.Data.Routes;

/// <summary>One stop of an itinerary, in order, with the identities the alignment compared (docs/07-matching.md#lines-and-itineraries).</summary>
public sealed class StopCall
{
    public long Id { get; set; }
    public long ItineraryId { get; set; }
    public Itinerary? Itinerary { get; set; }

    /// <summary>1, 2, 3… in itinerary order.</summary>
    public int StopSequence { get; set; }

    /// <summary>ATLAS the GTFS stop_id; OSM the element id (<c>123</c> or <c>way_123</c>).</summary>
    public required string SourceStopId { get; set; }
    public string? Sloid { get; set; }
    public List<string> SloidVariants { get; set; } = [];
    public string? OsmNodeId { get; set; }
    public List<string> StopKeys { get; set; } = [];
    public required string StopLabel { get; set; }
    public string? UicRef { get; set; }
    public string? PlatformCode { get; set; }
    public double Lat { get; set; }
    public double Lon { get; set; }

    /// <summary>OSM the member role; null on the ATLAS side.</summary>
    public string? MemberRole { get; set; }
}
