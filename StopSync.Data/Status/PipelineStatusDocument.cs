using System.Text.Json;
using System.Text.Json.Serialization;

namespace StopSync.Data.Status;

// Served at /api/system/pipeline_status, snake_case on the wire (PipelineStatusJson). Fields: docs/04-pipeline.md,
// "Runs: one at a time, live status", and docs/05-api.md, "GET /api/system/pipeline_status".
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
    public List<PhaseState> Phases { get; set; } = [];
    public DateTimeOffset? LastSuccessAt { get; set; }
    public string? LastError { get; set; }
    public string? FailedPhase { get; set; }
    public bool DatasetPublished { get; set; }
    public DateTimeOffset? NextRunAt { get; set; }
    public SkippedTrigger? LastSkipped { get; set; }

    // Shared by the runner and the watchdog so both end a run alike. elapsedSeconds returns null where the time so far
    // is unknown (always, for the watchdog). Returns the phases that were running.
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

    // Null unless the work has a known size (bytes downloaded, rows loaded).
    public long? Processed { get; set; }
    public long? Total { get; set; }
    public Dictionary<string, long> Counts { get; set; } = [];

    // In the order they started; always empty on a sub-stage.
    public List<PhaseState> Stages { get; set; } = [];
}

public sealed record SkippedTrigger(DateTimeOffset At, string Trigger, string Message);

public static class PipelineStates
{
    public const string Idle = "idle";
    public const string Running = "running";
    public const string Failed = "failed";
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

    // Only on database: a held run stops there after validation, before anything is staged.
    public const string Held = "held";
}

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
