using System.Text.Json;
using System.Text.Json.Serialization;
using StopSync.Jobs.Matching.Engine;

namespace StopSync.Jobs.Bundles;

/// <summary>docs/04-pipeline.md#result-bundle: the hand-over between matching and publication.</summary>
public static class ResultBundleFormat
{
    public const int SchemaVersion = 1;
    public const string ManifestFile = "manifest.json";
    public const string ProfileId = "swiss";

    public const string SourceStops = "source_stops";
    public const string OsmNodes = "osm_nodes";
    public const string Matches = "matches";
    public const string Unmatched = "unmatched";
    public const string Groups = "groups";
    public const string Problems = "problems";
    public const string Routes = "routes";
    public const string Extensions = "extensions";
    public const string Diagnostics = "diagnostics";

    public static readonly IReadOnlyList<string> Sections = [SourceStops, OsmNodes, Matches, Unmatched, Groups, Problems, Routes, Extensions, Diagnostics];

    public const string SourceSide = "source";
    public const string OsmSide = "osm";
    public const string OsmStopUnitGroup = "osm_stop_unit";
    public const string AtlasDuplicateGroup = "atlas_duplicates";

    // Kinds of the routes section's rows, in the order they are written.
    public const string LineFamilyKind = "line_family";
    public const string LineFamilyMatchKind = "line_family_match";
    public const string ItineraryMatchKind = "itinerary_match";
    public const string RouteSummaryKind = "route_summary";

    /// <summary>The extension rows of the Swiss GTFS stops, one per stop with its resolution.</summary>
    public const string GtfsStopsKind = "gtfs_stops";

    private const string AtlasPrefix = "atlas:";
    private const string OsmNodePrefix = "osm:node:";
    private const string OsmWayPrefix = "osm:way:";
    private const string LegacyWayPrefix = "way_";

    public static string FileName(string section) => section + ".jsonl.gz";

    public static string SourceKey(string sloid) => AtlasPrefix + sloid;

    /// <summary>The pipeline's OSM id (<c>123</c> for a node, <c>way_123</c> for a way) as a bundle key.</summary>
    public static string OsmKey(string osmId) =>
        osmId.StartsWith(LegacyWayPrefix, StringComparison.Ordinal) ? OsmWayPrefix + osmId[LegacyWayPrefix.Length..] : OsmNodePrefix + osmId;

    public static bool TryParseSourceKey(string key, out string sloid)
    {
        sloid = key.StartsWith(AtlasPrefix, StringComparison.Ordinal) ? key[AtlasPrefix.Length..] : "";
        return sloid.Length > 0;
    }

    public static bool TryParseOsmKey(string key, out string osmId)
    {
        osmId = key.StartsWith(OsmNodePrefix, StringComparison.Ordinal) ? key[OsmNodePrefix.Length..]
            : key.StartsWith(OsmWayPrefix, StringComparison.Ordinal) && key.Length > OsmWayPrefix.Length ? LegacyWayPrefix + key[OsmWayPrefix.Length..]
            : "";
        return osmId.Length > 0;
    }

    /// <summary>snake_case names; dictionary keys (OSM tags) kept as they are; nulls left out of the rows.</summary>
    public static JsonSerializerOptions Json => BundleJsonContext.Default.Options;
}

/// <summary>Compile-time serializers for the bundle rows: a Swiss bundle has about 350,000 of them.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(BundleManifest))]
[JsonSerializable(typeof(SourceStopRow))]
[JsonSerializable(typeof(OsmNodeRow))]
[JsonSerializable(typeof(MatchRow))]
[JsonSerializable(typeof(UnmatchedRow))]
[JsonSerializable(typeof(GroupRow))]
[JsonSerializable(typeof(ProblemRow))]
[JsonSerializable(typeof(KindValueRow))]
[JsonSerializable(typeof(RouteRow))]
[JsonSerializable(typeof(ExtensionRow))]
[JsonSerializable(typeof(GtfsStopRow))]
[JsonSerializable(typeof(Matching.Routes.LineFamily))]
[JsonSerializable(typeof(Matching.Routes.LineFamilyMatch))]
[JsonSerializable(typeof(Matching.Routes.ItineraryMatch))]
[JsonSerializable(typeof(Matching.Routes.RouteMatchingSummary))]
internal sealed partial class BundleJsonContext : JsonSerializerContext;

public sealed record BundleManifest(
    int SchemaVersion,
    string EngineVersion,
    Guid RunId,
    DateTimeOffset GeneratedAt,
    string ProfileId,
    BundleMetadata Metadata,
    IReadOnlyDictionary<string, BundleFile> Files);

public sealed record BundleMetadata(BundleCapabilities Capabilities, string Profile, JsonElement Inputs, JsonElement Summary);

/// <summary>Optional views a consumer may offer (docs/04-pipeline.md#result-bundle).</summary>
/// <param name="Routes">The <c>routes</c> section holds line families (and their matches): route matching produced at least one family.</param>
/// <param name="GtfsIdentity">The <c>extensions</c> section holds <c>gtfs_stops</c> rows: the run read at least one Swiss GTFS stop.</param>
public sealed record BundleCapabilities(bool Routes, bool GtfsIdentity);

public sealed record BundleFile(string Name, long Rows, long Bytes, string Sha256);

/// <summary>The fields after <paramref name="Lon"/> are the reviewers' details (<see cref="Sources.Atlas.AtlasPlatformDetails"/>):
/// optional, absent from bundles written before them, left out when null.</summary>
internal sealed record SourceStopRow(
    string Key, string Sloid, string UicRef, string Designation, string DesignationOfficial,
    string OperatorAbbr, string OperatorSboid, string OperatorName, double Lat, double Lon,
    string? DesignationOperational = null, string? ParentServicePointSloid = null, string? ElementType = null,
    DateOnly? ValidFrom = null, DateOnly? ValidTo = null, double? CompassDirection = null,
    double? Lv95East = null, double? Lv95North = null, DateTime? EditionDate = null);

/// <param name="NodeId">The legacy id the site uses: <c>123</c> for a node, <c>way_123</c> for a way.</param>
/// <param name="Version">With <paramref name="Timestamp"/> and <paramref name="User"/>: the element's meta where the input had it;
/// optional, absent from bundles written before them.</param>
internal sealed record OsmNodeRow(
    string Key, string NodeId, string ElementType, double Lat, double Lon, string? Operator, IReadOnlyDictionary<string, string> Tags,
    int? Version = null, DateTimeOffset? Timestamp = null, string? User = null);

internal sealed record MatchRow(string SourceKey, string OsmKey, string MatchType, double DistanceM, string Notes, MatchEvidence Evidence);

/// <param name="Side"><c>source</c> or <c>osm</c>.</param>
internal sealed record UnmatchedRow(string Side, string Key, bool Isolated, bool EffectivelyMatched);

/// <param name="GroupType"><c>osm_stop_unit</c> (kind single/pair/trio) or <c>atlas_duplicates</c> (kind duplicate).</param>
internal sealed record GroupRow(string GroupId, string GroupType, string Kind, string? GroupKind, IReadOnlyList<GroupMemberRow> Members);

internal sealed record GroupMemberRow(string Key, string Role);

/// <param name="Evidence">What the problem rests on (docs/07-matching.md#evidence); optional, absent from bundles written before it.</param>
internal sealed record ProblemRow(
    string ProblemId, string ProblemType, int Priority, string? SourceKey, string? OsmKey, bool HasSourceDuplicate, bool HasOsmDuplicate,
    ProblemEvidence? Evidence = null);

/// <summary>The diagnostics section: a kind and any JSON value (routes and extensions have typed rows of their own).</summary>
internal sealed record KindValueRow(string Kind, JsonElement Value);
