namespace StopSync.Data.Entities;

/// <summary>History of pipeline runs: written by the jobs host, read by the site.</summary>
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

    /// <summary>Counts and phase timings of the run as JSON.</summary>
    public string Stats { get; set; } = "{}";
}

/// <summary>Values of <see cref="PipelineRun.Status"/>.</summary>
public static class PipelineRunStatus
{
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Skipped = "skipped";

    /// <summary>
    /// Its result shrank too much against the published dataset (docs/04-pipeline.md, "Held runs"): not published, its
    /// bundle kept until an administrator publishes or discards it.
    /// </summary>
    public const string Held = "held";

    /// <summary>A held run an administrator published anyway; the publication itself is recorded as a run of its own.</summary>
    public const string Published = "published";

    /// <summary>A held run an administrator discarded; its bundle is deleted.</summary>
    public const string Discarded = "discarded";
}
