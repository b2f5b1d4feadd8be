using System.Text.Json.Serialization;

namespace StopSync.Web.Pages.Map;

/// <summary>
/// One marker of the review map (docs/05-api.md, "Map rows"). Null fields are left out of the JSON and coordinates are
/// rounded to 6 decimals (about 0.1 m), which keeps a 20000-row answer small.
/// </summary>
public sealed record MapRow
{
    public long Id { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Sloid { get; init; }

    public required string StopType { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MatchType { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? OsmNodeId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? AtlasLat { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? AtlasLon { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? OsmLat { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? OsmLon { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? DistanceM { get; init; }

    /// <summary>The point the map shows: the ATLAS position when there is one, else the OSM one.</summary>
    public double Lat { get; init; }

    public double Lon { get; init; }

    public bool HasAtlasDuplicate { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? OsmNodeType { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public short? ProblemPriority { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public GroupPartner? OsmGroupPartner { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<TrioLink>? OsmTrioLinks { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? IsTrioMiddleMatched { get; init; }

    /// <summary>Only in /api/top_matches: the ATLAS official designation, else the OSM name.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }
}

public sealed record GroupPartner(string PartnerNodeId, string GroupType, double PartnerOsmLat, double PartnerOsmLon);

public sealed record TrioLink(string PartnerNodeId, double PartnerOsmLat, double PartnerOsmLon, bool IsMiddle, bool PartnerIsMiddle);

public sealed record DataMeta(int Offset, int? Limit, int Returned, bool HasMore);

public sealed record DataWithMeta(IReadOnlyList<MapRow> Stops, DataMeta Meta);

public sealed record GlobalStats(
    long TotalAtlasStops, long MatchedAtlasStops, long TotalOsmStops, long MatchedOsmStops, long TotalOsmNodes,
    long MatchedOsmNodes, long MatchedPairsCount, long UnmatchedEntitiesCount);

public sealed record StopLocation(MapRow Stop, double CenterLat, double CenterLon, string PopupViewType)
{
    public static StopLocation Of(MapRow row) =>
        new(row, row.Lat, row.Lon, row.StopType == global::StopSync.Data.Entities.StopTypes.OsmUnmatched ? "osm" : "atlas");
}

public sealed record OperatorList(IReadOnlyList<string> Operators, int Total);

public sealed record CantonList(IReadOnlyList<Filters.Canton> Cantons);
