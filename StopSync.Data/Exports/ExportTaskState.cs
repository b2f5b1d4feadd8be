namespace StopSync.Data.Exports;

/// <summary>The states of an export task, in the order they are reached (error and cancelled end it early).</summary>
public static class ExportStatuses
{
    public const string Starting = "starting";
    public const string Processing = "processing";
    public const string Finalizing = "finalizing";
    public const string Completed = "completed";
    public const string Error = "error";
    public const string Cancelled = "cancelled";

    public static bool IsFinished(string status) => status is Completed or Error or Cancelled;
}

/// <summary>What /api/report_progress answers for a task (snake_case JSON).</summary>
/// <param name="EtaSeconds">Remaining rows ÷ the rate observed so far; null until the first chunk.</param>
/// <param name="FileName">The download's file name, <c>&lt;type&gt;_&lt;sort&gt;_&lt;task8&gt;.csv|geojson</c>.</param>
public sealed record ExportTaskState(
    string TaskId,
    string Status,
    long Processed,
    long Total,
    double? EtaSeconds,
    string? Error,
    DateTimeOffset CreatedAt,
    string FileName,
    string ReportType,
    string Format);
