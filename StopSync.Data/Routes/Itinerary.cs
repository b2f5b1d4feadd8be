namespace StopSync.Data.Routes;

/// <summary>One ordered stop sequence of a line family: a GTFS stop pattern or an OSM route relation.</summary>
public sealed class Itinerary
{
    public long Id { get; set; }
    public long LineFamilyId { get; set; }
    public LineFamily? LineFamily { get; set; }
    public required string Source { get; set; }

    /// <summary>Stable across runs: ATLAS <c>route_id|direction|pattern hash</c>, OSM the relation id.</summary>
    public required string SourceItineraryId { get; set; }

    /// <summary>"0", "1" or null when the source does not say.</summary>
    public string? DirectionId { get; set; }
    public string? Headsign { get; set; }
    public string? FromName { get; set; }
    public string? ToName { get; set; }
    public string? DisplayName { get; set; }
    public int TripCount { get; set; }
    public int StopCount { get; set; }
    public string? RelationId { get; set; }

    /// <summary>The other side's itinerary when matched; copied from <see cref="ItineraryMatch"/>.</summary>
    public long? MatchedItineraryId { get; set; }

    public List<StopCall> StopCalls { get; set; } = [];
}
