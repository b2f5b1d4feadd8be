using System.Text.Json.Serialization;

namespace StopSync.Web.Pages.Map.StopCard;

/// <summary>The answer of <c>/api/stop_popup</c> (docs/05-api.md): both sides of one stops_matched row, in full.</summary>
public sealed record StopPopupResponse(StopCardView Stop);

/// <param name="ViewType">The side the card was opened from: the request's <c>view_type</c>, else ATLAS when the row has one.</param>
/// <param name="MissingOsmTags">Values the matched OSM element lacks and its ATLAS platform supplies; never one OSM already has.</param>
public sealed record StopCardView(
    long Id,
    string StopType,
    string? MatchType,
    string MatchExplanation,
    double? DistanceM,
    string? Canton,
    string ViewType,
    AtlasCard? Atlas,
    OsmCard? Osm,
    IReadOnlyList<OsmMatchView> OsmMatches,
    IReadOnlyList<AtlasMatchView> AtlasMatches,
    IReadOnlyList<StopProblemView> Problems,
    IReadOnlyList<AttributeComparison> Attributes,
    IReadOnlyDictionary<string, string> MissingOsmTags);

public sealed record AtlasCard(
    string Sloid,
    string? UicRef,
    string? Designation,
    string? DesignationOfficial,
    string? DesignationOperational,
    string? BusinessOrgAbbr,
    string? BusinessOrgName,
    string? BusinessOrgSboid,
    string? ParentServicePointSloid,
    string? ElementType,
    DateOnly? ValidFrom,
    DateOnly? ValidTo,
    double? CompassDirection,
    [property: JsonPropertyName("lv95_east")] double? Lv95East,
    [property: JsonPropertyName("lv95_north")] double? Lv95North,
    double Lat,
    double Lon,
    DateTime? EditionDate,
    string? Canton,
    string? RepresentativeSloid,
    IReadOnlyList<string> DuplicateGroupSloids,
    string? AtlasUrl);

/// <param name="OsmNodeId"><c>123</c> for a node, <c>way_45</c> for a way.</param>
/// <param name="Operator">The <c>operator</c> tag as mapped; comparisons use its alias-normalised form.</param>
/// <param name="LocalRef"><c>local_ref</c>, else <c>ref</c>, as the matching reads it.</param>
/// <param name="Tags">Every tag of the element; keys and values are data, so pages insert them as text.</param>
public sealed record OsmCard(
    string OsmNodeId,
    string ElementType,
    long OsmId,
    string? Name,
    string? UicName,
    string? UicRef,
    string? LocalRef,
    string? Network,
    string? Operator,
    string? OperatorWikidata,
    string? NetworkWikidata,
    string? OsmNodeType,
    double Lat,
    double Lon,
    int? Version,
    DateTimeOffset? Timestamp,
    string? User,
    string? Canton,
    IReadOnlyDictionary<string, string> Tags,
    string OsmUrl,
    StopUnitView? StopUnit);

/// <param name="GroupKind">Null for a single element.</param>
public sealed record StopUnitView(string StopKind, string? GroupKind, IReadOnlyList<StopUnitMemberView> Members);

public sealed record StopUnitMemberView(string NodeId, string MemberRole, string? Name, double Lat, double Lon);

public sealed record OsmMatchView(long Id, string OsmNodeId, string? Name, string? OsmNodeType, double? DistanceM, string? MatchType, double? Lat, double? Lon);

public sealed record AtlasMatchView(
    long Id, string Sloid, string? DesignationOfficial, string? Designation, string? UicRef, string? BusinessOrgAbbr,
    double? DistanceM, string? MatchType, double? Lat, double? Lon);

public sealed record StopProblemView(string ProblemType, int Priority, string Description);

/// <param name="Attribute"><c>uic_ref</c>, <c>local_ref</c>, <c>name</c> or <c>operator</c>.</param>
/// <param name="Differs">Both sides have a value and the values disagree, by the rule of the attributes problem.</param>
public sealed record AttributeComparison(string Attribute, string? Atlas, string? Osm, bool Differs);

/// <summary>The answer of <c>/api/stop_by_id</c>: the row to centre on and the side whose card to open.</summary>
public sealed record StopByIdResponse(StopMarkerRow Stop, double CenterLat, double CenterLon, string PopupViewType);

/// <summary>A marker row as <c>/api/data</c> sends it: nulls are left out.</summary>
public sealed record StopMarkerRow(
    long Id,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Sloid,
    string StopType,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? MatchType,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? OsmNodeId,
    double Lat,
    double Lon,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? AtlasLat,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? AtlasLon,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? OsmLat,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? OsmLon,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? DistanceM,
    bool HasAtlasDuplicate,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? OsmNodeType,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? ProblemPriority);
