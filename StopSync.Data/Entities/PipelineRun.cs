namespace StopSync.Data.Entities;

public sealed class PipelineRun
{
    public Guid Id { get; set; }
    public required string Trigger { get; set; }
    public required string Mode { get; set; }
    public required string Status { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string? Message { get; set; }
    public string? Error { get; set; }

    // RunStats as snake_case JSON (docs/04-pipeline.md, "ETA").
    public string Stats { get; set; } = "{}";
}

public static class PipelineRunStatus
{
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Skipped = "skipped";

    // Shrank too much against the published dataset: not published, bundle kept (docs/04-pipeline.md, "Held runs").
    public const string Held = "held";

    // What an administrator made of a held run; "publish anyway" is itself recorded as a run of its own.
    public const string Published = "published";
    public const string Discarded = "discarded";
}
