using System.Text.Json;
using System.Text.Json.Serialization;
using StopSync.Data.Entities;
using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Sources.Atlas;
using StopSync.Jobs.Sources.Gtfs;
using StopSync.Jobs.Sources.Osm;

namespace StopSync.Jobs.Runs;

// Without phase_seconds this is also the bundle's metadata.summary. Parts a run does not have are left out of the JSON,
// so the keys stay those the anonymous objects of earlier releases wrote (docs/04-pipeline.md, "ETA").
public sealed record RunStats
{
    public required Guid RunId { get; init; }

    public required string Mode { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<SourceInputStats>? Sources { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AtlasFilterCounts? AtlasFiltering { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? AtlasPlatforms { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? AtlasDuplicateGroups { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public OsmReadCounts? Osm { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? OsmElements { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public GtfsReadCounts? Gtfs { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? SloidsWithRoutes { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MatchingSummary? Matching { get; init; }

    // Line families, itineraries, their matches and the route problems by type (docs/04-pipeline.md, "Route matching").
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Matching.Routes.RouteMatchingSummary? Routes { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, double>? TimingsSeconds { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public BundleReference? Bundle { get; init; }

    // Import runs: the statistics of the run that wrote the bundle.
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Summary { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RunHold? Hold { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Guid? HeldRunId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, double>? PhaseSeconds { get; init; }

    // What the publication changed against the one before it (docs/10-history.md, "What changed"); absent when it did not publish.
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public History.Changes.ChangeSummary? Changes { get; init; }

    // What the publication did to the reviewers' decisions (docs/09-review.md); absent when the run did not publish.
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Review.ReapplicationCounts? Decisions { get; init; }

    public static RunStats Empty(Guid runId, string mode) => new() { RunId = runId, Mode = mode };

    public string ToJson() => JsonSerializer.Serialize(this, StatsJson.Options);
}

// Also the bundle's metadata.inputs.
public sealed record SourceInputStats(string Source, string Outcome, long Bytes, string? Etag, string? LastModified);

public sealed record BundleReference(string Path, Guid RunId, DateTimeOffset GeneratedAt, string EngineVersion);
