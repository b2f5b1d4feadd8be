using System.Text.Json;
using System.Text.Json.Serialization;

namespace StopSync.Data.Status;

/// <summary>
/// The status document of webapp-spec §2.1, served as JSON by <c>/api/system/pipeline_status</c>. Property names are
/// snake_case on the wire (<see cref="PipelineStatusJson.Options"/>).
/// </summary>
public sealed class PipelineStatusDocument
{
    public string Status { get; set; } = PipelineStates.Idle;
    public string Phase { get; set; } = PipelineStates.Idle;
    public string Message { get; set; } = "No update running";
    public bool BlockingMaintenance { get; set; }
    public DateTimeOffset? MaintenanceStartedAt { get; set; }
    public long? Processed { get; set; }
    public long? Total { get; set; }
    public double? EtaSeconds { get; set; }
    public Guid? RunId { get; set; }
    public string? Trigger { get; set; }
    public string? Mode { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? PhaseStartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }
    public List<PhaseHistoryEntry> PhaseHistory { get; set; } = [];

    /// <summary>The progress plan: every phase in order with its state (webapp-spec §2.5).</summary>
    public List<PhaseState> Phases { get; set; } = [];

    public DateTimeOffset? LastSuccessAt { get; set; }
    public string? LastError { get; set; }
    public string? FailedPhase { get; set; }
    public bool DatasetPublished { get; set; }
    public DateTimeOffset? NextRunAt { get; set; }

    /// <summary>The last trigger that found a run active and was skipped.</summary>
    public SkippedTrigger? LastSkipped { get; set; }

    /// <summary>
    /// Ends the run as failed, for the runner and for the watchdog alike: running phases and sub-stages become
    /// <c>failed</c> with <paramref name="error"/>, phases never reached <c>skipped</c>.
    /// </summary>
    /// <param name="elapsedSeconds">A running phase's or sub-stage's time so far, when known (the watchdog does not know it).</param>
    /// <returns>The phases that were running, now failed.</returns>
    public List<PhaseState> MarkFailed(string error, string message, string notReached, DateTimeOffset now, Func<string, double?> elapsedSeconds)
    {
        void Fail(PhaseState state)
        {
            state.Status = PhaseStatus.Failed;
            state.FinishedAt = now;
            state.DurationSeconds = elapsedSeconds(state.Id) is { } seconds ? Math.Round(seconds, 3) : state.DurationSeconds;
            state.Detail = error;
        }

        var failed = new List<PhaseState>();
        FailedPhase = Phases.FirstOrDefault(p => p.Status == PhaseStatus.Running)?.Id ?? Phase;
        foreach (var phase in Phases)
        {
            foreach (var stage in phase.Stages.Where(s => s.Status == PhaseStatus.Running))
            {
                Fail(stage);
            }

            if (phase.Status == PhaseStatus.Running)
            {
                Fail(phase);
                failed.Add(phase);
            }
            else if (phase.Status == PhaseStatus.Waiting)
            {
                phase.Status = PhaseStatus.Skipped;
                phase.Detail = notReached;
            }
        }

        Status = PipelineStates.Failed;
        Phase = PipelineStates.Failed;
        Processed = null;
        Total = null;
        LastError = error;
        Message = message;
        FinishedAt = now;
        return failed;
    }
}

public sealed record PhaseHistoryEntry(string Phase, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, double DurationSeconds, string Status);

public sealed class PhaseState
{
    public required string Id { get; init; }
    public required string Label { get; init; }
    public string Status { get; set; } = PhaseStatus.Waiting;
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public double? DurationSeconds { get; set; }
    public string? Detail { get; set; }

    /// <summary>Determinate progress where the work has a known size (rows loaded of rows to load); null otherwise.</summary>
    public long? Processed { get; set; }

    public long? Total { get; set; }

    public Dictionary<string, long> Counts { get; set; } = [];

    /// <summary>Sub-stages (<c>database.validate</c>, <c>database.load</c>, …) in the order they started; empty on sub-stages.</summary>
    public List<PhaseState> Stages { get; set; } = [];
}

public sealed record SkippedTrigger(DateTimeOffset At, string Trigger, string Message);

public static class PipelineStates
{
    public const string Idle = "idle";
    public const string Running = "running";
    public const string Failed = "failed";

    /// <summary>The run ended held: its result shrank too much, the previous dataset stays live until an administrator decides.</summary>
    public const string Held = "held";
}

public static class PhaseStatus
{
    public const string Waiting = "waiting";
    public const string Running = "running";
    public const string Complete = "complete";
    public const string Reused = "reused";
    public const string Skipped = "skipped";
    public const string Failed = "failed";

    /// <summary>The phase where a held run stopped (<c>database</c>, after validation): nothing was staged.</summary>
    public const string Held = "held";
}

/// <summary>The phases of a run in their fixed order, with the labels the site shows.</summary>
public static class PipelinePhases
{
    public const string SourceCheck = "source_check";
    public const string SourceFiles = "source_files";
    public const string MatchingInputs = "matching_inputs";
    public const string StopMatching = "stop_matching";
    public const string RouteMatching = "route_matching";
    public const string Bundle = "bundle";
    public const string Database = "database";
    public const string Publish = "publish";

    public static readonly IReadOnlyList<(string Id, string Label)> All =
    [
        (SourceCheck, "Check sources"),
        (SourceFiles, "Prepare source files"),
        (MatchingInputs, "Load matching inputs"),
        (StopMatching, "Stop matching"),
        (RouteMatching, "Route matching"),
        (Bundle, "Build result bundle"),
        (Database, "Stage database"),
        (Publish, "Publish dataset"),
    ];

    public static List<PhaseState> Plan() => [.. All.Select(p => new PhaseState { Id = p.Id, Label = p.Label })];
}

public static class PipelineStatusJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };
}
