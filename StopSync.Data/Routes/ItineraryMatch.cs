namespace StopSync.Data.Routes;

/// <summary>An ATLAS itinerary paired with an OSM one inside a matched family pair.</summary>
public sealed class ItineraryMatch
{
    public long Id { get; set; }
    public long LineFamilyMatchId { get; set; }
    public LineFamilyMatch? LineFamilyMatch { get; set; }
    public long AtlasItineraryId { get; set; }
    public Itinerary? AtlasItinerary { get; set; }
    public long OsmItineraryId { get; set; }
    public Itinerary? OsmItinerary { get; set; }
    public double DirectionScore { get; set; }
    public double StopScore { get; set; }

    /// <summary>Always null: shapes are not compared.</summary>
    public double? GeometryScore { get; set; }
    public double OverallScore { get; set; }
    public int MatchedStops { get; set; }
    public required string MatchReason { get; set; }
}
