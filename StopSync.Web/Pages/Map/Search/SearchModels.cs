namespace StopSync.Web.Pages.Map.Search;

/// <summary>The answer of <c>/api/search</c>: ATLAS hits and OSM hits, best first, at most 200 each.</summary>
public sealed record SearchResults(IReadOnlyList<SearchHit> Atlas, IReadOnlyList<SearchHit> Osm)
{
    public static SearchResults Empty { get; } = new([], []);
}

/// <param name="Id">The stops_matched row to open: the side's match (the nearest first), else its unmatched row.</param>
/// <param name="ViewType"><c>atlas</c> for ATLAS hits, <c>osm</c> for OSM hits: the card side to open.</param>
public sealed record SearchHit(
    long Id, string? Sloid, string? OsmNodeId, string? Name, string? UicRef, string? LocalRef, string? Operator, string StopType,
    double Lat, double Lon, string ViewType);
