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
}
