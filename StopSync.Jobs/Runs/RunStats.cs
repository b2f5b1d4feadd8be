using System.Text.Json;
using System.Text.Json.Serialization;
using StopSync.Data.Entities;
using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Sources.Atlas;
using StopSync.Jobs.Sources.Gtfs;
using StopSync.Jobs.Sources.Osm;

namespace StopSync.Jobs.Runs;

/// <summary>
/// A run's statistics as stored in <c>pipeline_runs.stats</c> (<see cref="StatsJson.Options"/>: snake_case keys). A
/// full or match-import run records what it read and matched, and the same object, without <c>phase_seconds</c>, is its
/// bundle's <c>metadata.summary</c>; an import run records the bundle it published; every run that started records
/// <c>phase_seconds</c>, which the ETA and the Data page read. Parts a run does not have are left out of the JSON, so
/// the keys are those the anonymous objects of earlier releases wrote.
/// </summary>
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

    /// <summary>Seconds of the reading, matching and bundle steps (<c>atlas_read</c>, <c>matching</c>, …).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, double>? TimingsSeconds { get; init; }

    /// <summary>Import runs: the bundle published.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public BundleReference? Bundle { get; init; }

    /// <summary>Import runs: the statistics of the run that wrote the bundle (its <c>metadata.summary</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Summary { get; init; }

    /// <summary>Held runs: the figures that held the run (docs/04-pipeline.md, "Held runs"); the Data page shows them.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RunHold? Hold { get; init; }

    /// <summary>Import runs that published a held run's bundle: that run.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Guid? HeldRunId { get; init; }

    /// <summary>Seconds per phase id; reused and skipped phases count zero.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, double>? PhaseSeconds { get; init; }

    /// <summary>What a run knows before it has read anything: who it is.</summary>
    public static RunStats Empty(Guid runId, string mode) => new() { RunId = runId, Mode = mode };

    public string ToJson() => JsonSerializer.Serialize(this, StatsJson.Options);
}

/// <summary>One source as a run used it; also the bundle's <c>metadata.inputs</c>.</summary>
public sealed record SourceInputStats(string Source, string Outcome, long Bytes, string? Etag, string? LastModified);

/// <summary>The bundle an import run published.</summary>
public sealed record BundleReference(string Path, Guid RunId, DateTimeOffset GeneratedAt, string EngineVersion);
