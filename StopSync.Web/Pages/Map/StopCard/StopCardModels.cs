using System.Text.Json.Serialization;

namespace StopSync.Web.Pages.Map.StopCard;

/// <summary>The answer of <c>/api/stop_popup</c> (docs/05-api.md): both sides of one stops_matched row, in full.</summary>
public sealed record StopPopupResponse(StopCardView Stop);

/// <param name="ViewType">The side the card was opened from: the request's <c>view_type</c>, else ATLAS when the row has one.</param>
/// <param name="MissingOsmTags">Values the matched OSM element lacks and its ATLAS platform supplies; never one OSM already has.</param>
/// <param name="Changes">The live publication's changes to the row's SLOID or OSM element against the previous one; empty when none.</param>
/// <param name="ChangesUrl">The changes page filtered to the stop's ATLAS operator (else its canton); null without changes.</param>
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
    IReadOnlyDictionary<string, string> MissingOsmTags,
    StopLines Lines,
    IReadOnlyList<StopChangeView> Changes,
    string? ChangesUrl);

/// <summary>One line of the card's "Changed since last run" (docs/08-site.md, "The stop card").</summary>
/// <param name="Text">The change in words, e.g. "OSM edited by anna (v12): name 'A' → 'B'"; data, so inserted as text.</param>
public sealed record StopChangeView(string ChangeType, string Cause, string Text, string? Sloid, string? OsmNodeId);

/// <summary>The lines calling at the row's stop (docs/05-api.md, "Stop card"): ATLAS by its SLOID, OSM by its element.</summary>
public sealed record StopLines(LineSide Atlas, LineSide Osm)
{
    public static readonly StopLines None = new(LineSide.None, LineSide.None);
}

/// <param name="Total">Every line calling there; <see cref="Lines"/> holds the first <c>StopCardQueries.MaxLines</c>.</param>
public sealed record LineSide(IReadOnlyList<LineView> Lines, int Total)
{
    public static readonly LineSide None = new([], 0);
}

/// <summary>One line family calling at the stop.</summary>
/// <param name="Id">The family's <c>line_families.id</c> in the live publication.</param>
/// <param name="DisplayRouteId">What the route filter (<c>route=</c>) and <c>/routes?q=</c> take.</param>
/// <param name="Name">The public name (GTFS route_short_name / long name, OSM name of the route_master or its relations).</param>
/// <param name="IsNonGtfs">OSM only: a line without a timetable counterpart, left out of route matching.</param>
/// <param name="Directions">The itineraries calling here, one entry per direction and headsign.</param>
/// <param name="MatchedTo">The other side's family when the line is matched, else null.</param>
public sealed record LineView(
    long Id,
    string SourceFamilyId,
    string DisplayRouteId,
    string? Ref,
    string Mode,
    string? Name,
    string? Operator,
    bool IsNonGtfs,
    IReadOnlyList<LineDirection> Directions,
    LineCounterpart? MatchedTo);

/// <param name="DirectionId">"0", "1" or null when the source does not say.</param>
/// <param name="Headsign">ATLAS the trips' headsign, OSM the relation's <c>to</c>; else the last stop's name.</param>
/// <param name="Matched">Some itinerary of this direction and headsign is matched to one of the other side.</param>
public sealed record LineDirection(string? DirectionId, string? Headsign, bool Matched);

/// <param name="MatchMethod">The family tier that paired them (exact_gtfs_route_id, normalized_route_id, display_route_id, ref_and_stops).</param>
public sealed record LineCounterpart(long Id, string SourceFamilyId, string DisplayRouteId, string? Ref, string? Name, string? MatchMethod);

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
/// <param name="Bounds">identifier_type=route: the box around every stop of the line, for the map to fit; else left out.</param>
public sealed record StopByIdResponse(
    StopMarkerRow Stop, double CenterLat, double CenterLon, string PopupViewType,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RouteBounds? Bounds = null);

public sealed record RouteBounds(double MinLat, double MinLon, double MaxLat, double MaxLon);

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
