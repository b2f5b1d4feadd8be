using System.Text.Json;
using System.Text.RegularExpressions;
using StopSync.Data.Status;

namespace StopSync.Web.Infrastructure;

// The status is public, but the runner writes for an operator (exception text can name hosts, ports and paths), so
// visitors get it redacted and the administrator as written (docs/05-api.md, "GET /api/system/pipeline_status").
public static partial class PipelineStatusRedaction
{
    /// <summary>Longer texts are exception dumps rather than the runner's own one-line messages.</summary>
    public const int MaxTextLength = 160;

    public static async Task<PipelineStatusDocument> ForAsync(PipelineStatusDocument document, HttpContext http) =>
        await AdminPolicy.IsAdminAsync(http) ? document : ForVisitors(document);

    public static PipelineStatusDocument ForVisitors(PipelineStatusDocument document)
    {
        var copy = JsonSerializer.Deserialize<PipelineStatusDocument>(
            JsonSerializer.Serialize(document, PipelineStatusJson.Options), PipelineStatusJson.Options)!;
        var reason = FailureReason(copy.FailedPhase);
        // The runner's own causes are one path-free line ("database connection lost during load", a file name and
        // line); anything else is an exception dump and becomes the phase alone.
        if (!IsShortPlainText(copy.LastError))
        {
            copy.LastError = reason;
        }

        if (!IsShortPlainText(copy.Message))
        {
            copy.Message = copy.Status switch
            {
                PipelineStates.Failed => reason,
                PipelineStates.Running => "Pipeline update running",
                _ => "No update running",
            };
        }

        if (copy.LastSkipped is { } skipped && !IsShortPlainText(skipped.Message))
        {
            copy.LastSkipped = skipped with { Message = "Skipped: another run was active" };
        }

        foreach (var phase in copy.Phases)
        {
            var phaseReason = FailureReason(phase.Id);
            Redact(phase, phaseReason);
            foreach (var stage in phase.Stages)
            {
                Redact(stage, phaseReason);
            }
        }

        return copy;
    }

    public static bool IsShortPlainText(string? text) =>
        text is null || (text.Length <= MaxTextLength && !text.Contains('\n', StringComparison.Ordinal) && !FileSystemPath().IsMatch(text));

    private static void Redact(PhaseState state, string failureReason)
    {
        if (state.Status == PhaseStatus.Failed && (state.Detail is null || !IsShortPlainText(state.Detail)))
        {
            state.Detail = failureReason;
        }
        else if (!IsShortPlainText(state.Detail))
        {
            state.Detail = null;
        }
    }

    private static string FailureReason(string? phaseId) =>
        PipelinePhases.All.FirstOrDefault(p => p.Id == phaseId) is { Label: { } label } ? $"Failed during {label}" : "Failed";

    // An absolute path (/srv/…, C:\…, \\server\…, ~/…, ./…) or a relative one with at least two separators (data/bundles/…).
    [GeneratedRegex(@"(?:^|[\s'""(=:,])(?:[A-Za-z]:[\\/]|\\\\|~?/|\.{1,2}[\\/])\S|[\w.-]+[\\/][\w.-]+[\\/]")]
    private static partial Regex FileSystemPath();
}
