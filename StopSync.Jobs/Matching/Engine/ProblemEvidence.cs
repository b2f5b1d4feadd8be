using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace StopSync.Jobs.Matching.Engine;

/// <summary>
/// Only what a problem rests on (docs/07-matching.md#problems, "Evidence"): two runs with equal evidence for the same problem
/// key show the same problem, so a reviewer's decision still applies. Each type fills its own properties; the others stay
/// null and are left out of the JSON.
/// </summary>
/// <param name="DistanceBucket">distance: one of <see cref="DistanceBuckets"/>.</param>
/// <param name="Differences">attributes: one entry per differing attribute, in the order of <see cref="ProblemEvidence.Attributes"/>.</param>
/// <param name="Side">unmatched and duplicates: <c>atlas</c> or <c>osm</c>.</param>
/// <param name="Isolated">unmatched: nothing of the other side within 50 m.</param>
/// <param name="Members">duplicates: the group's SLOIDs or OSM ids, sorted ordinally.</param>
/// <param name="Alignment">contradicts_route_matching: <c>token_contradiction</c> or <c>direction_contradiction</c>.</param>
/// <param name="Line">Route problems: the line as the pages show it (the family's display route id).</param>
/// <param name="AtlasFamily">Route problems: the timetable family by its normalised route id, the same in every timetable year.</param>
/// <param name="OsmFamily">Route problems: the OSM family id.</param>
/// <param name="Kind">route_membership: <c>missing_in_osm</c>, <c>extra_in_osm</c>, <c>wrong_order</c> or <c>other_platform</c>.</param>
public sealed record ProblemEvidence(
    string? DistanceBucket = null,
    IReadOnlyList<AttributeDifference>? Differences = null,
    string? Side = null,
    bool? Isolated = null,
    IReadOnlyList<string>? Members = null,
    string? Alignment = null,
    string? Line = null,
    string? AtlasFamily = null,
    string? OsmFamily = null,
    string? Kind = null)
{
    public const string AtlasSide = "atlas";
    public const string OsmSide = "osm";
    public const string TokenContradiction = "token_contradiction";
    public const string DirectionContradiction = "direction_contradiction";

    /// <summary>The compared attributes, named by their OSM tag, in the order the rule checks them (most critical first).</summary>
    public static IReadOnlyList<string> Attributes { get; } = ["uic_ref", "uic_name", "local_ref", "operator"];

    /// <summary>Upper bounds (inclusive) of the distance buckets; above the last one is <c>1000+</c>. Coarse on purpose:
    /// a point nudged by a metre keeps its decision, one moved into another class of error asks for another look.</summary>
    private static readonly int[] BucketBounds = [15, 25, 50, 80, 150, 300, 1000];

    public static IReadOnlyList<string> DistanceBuckets { get; } = BuildBucketNames();

    public static ProblemEvidence ForDistance(double meters) => new(DistanceBucket: Bucket(meters));

    /// <summary>Lower bound exclusive, upper inclusive: 25 m is <c>15-25</c>, 25.01 m is <c>25-50</c>; 0 m is <c>0-15</c>.</summary>
    public static string Bucket(double meters)
    {
        for (var k = 0; k < BucketBounds.Length; k++)
        {
            if (meters <= BucketBounds[k])
            {
                return DistanceBuckets[k];
            }
        }

        return DistanceBuckets[^1];
    }

    /// <summary>Canonical compact JSON (snake_case, nulls left out): what <c>problems.evidence</c> stores.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, EvidenceJsonContext.Default.ProblemEvidence);

    public static ProblemEvidence? FromJson(string json) => JsonSerializer.Deserialize(json, EvidenceJsonContext.Default.ProblemEvidence);

    public bool Equals(ProblemEvidence? other) =>
        other is not null
        && DistanceBucket == other.DistanceBucket
        && Side == other.Side
        && Isolated == other.Isolated
        && Alignment == other.Alignment
        && Line == other.Line
        && AtlasFamily == other.AtlasFamily
        && OsmFamily == other.OsmFamily
        && Kind == other.Kind
        && SameSequence(Differences, other.Differences)
        && SameSequence(Members, other.Members);

    public override int GetHashCode() =>
        HashCode.Combine(DistanceBucket, Side, Isolated, Alignment, Differences?.Count, Members?.Count, HashCode.Combine(Line, AtlasFamily, OsmFamily, Kind));

    private static bool SameSequence<T>(IReadOnlyList<T>? a, IReadOnlyList<T>? b) =>
        a is null ? b is null : b is not null && a.SequenceEqual(b);

    private static string[] BuildBucketNames()
    {
        var names = new string[BucketBounds.Length + 1];
        var lower = 0;
        for (var k = 0; k < BucketBounds.Length; k++)
        {
            names[k] = string.Create(CultureInfo.InvariantCulture, $"{lower}-{BucketBounds[k]}");
            lower = BucketBounds[k];
        }

        names[^1] = string.Create(CultureInfo.InvariantCulture, $"{lower}+");
        return names;
    }
}

/// <param name="Attribute">The OSM tag compared: uic_ref, uic_name, local_ref or operator; for route_metadata ref,
/// operator, network or mode.</param>
/// <param name="Atlas">The ATLAS value (number, official designation, designation, operator abbreviation), trimmed.</param>
/// <param name="Osm">The OSM value, trimmed.</param>
public sealed record AttributeDifference(string Attribute, string Atlas, string Osm);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ProblemEvidence))]
internal sealed partial class EvidenceJsonContext : JsonSerializerContext;
