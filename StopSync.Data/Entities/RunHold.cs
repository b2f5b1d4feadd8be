using System.Globalization;
using System.Text.Json;
using StopSync.Data.Status;

namespace StopSync.Data.Entities;

/// <summary>
/// Why a run was held: its figures against those of the dataset that was live when it ran. Kept in the run's
/// statistics (<c>pipeline_runs.stats</c>, property <c>hold</c>) for the Data page and in the bundle's <c>held.json</c>.
/// </summary>
/// <param name="PublishedRunId">The run whose dataset was live, and stays live, when this run was held.</param>
public sealed record RunHold(Guid PublishedRunId, IReadOnlyList<ShrinkFigure> Figures)
{
    public const string StatsProperty = "hold";

    public bool IsHeld => Figures.Any(f => f.Exceeded);

    /// <summary>The figures over their limit, e.g. "OSM elements 76,331 → 37,753 (−50.5 %, limit 10 %)".</summary>
    public string Reason => string.Join("; ", Figures.Where(f => f.Exceeded).Select(f => f.Describe()));

    /// <summary>The hold recorded in a run's statistics, or null when the run was never held (or the JSON is not readable).</summary>
    public static RunHold? FromStats(string? stats)
    {
        if (string.IsNullOrWhiteSpace(stats))
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(stats);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(StatsProperty, out var hold)
                ? hold.Deserialize<RunHold>(PipelineStatusJson.Options)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>One figure of a new result against the published dataset.</summary>
/// <param name="Name">Stable id: <c>atlas_platforms</c>, <c>osm_elements</c>, <c>matches</c>.</param>
/// <param name="Label">As people read it: "ATLAS platforms", "OSM elements", "matches".</param>
/// <param name="LimitPercent">The largest shrink, in percent of <paramref name="Published"/>, that still publishes.</param>
public sealed record ShrinkFigure(string Name, string Label, long Published, long Candidate, double LimitPercent)
{
    private static readonly CultureInfo Figures = CultureInfo.GetCultureInfo("en-US");

    /// <summary>How much smaller the new figure is, in percent of the published one; 0 when it grew or nothing was published.</summary>
    public double ShrinkPercent => Published <= 0 || Candidate >= Published ? 0 : (Published - Candidate) * 100.0 / Published;

    /// <summary>"More than" the limit: a shrink of exactly the limit still publishes.</summary>
    public bool Exceeded => ShrinkPercent > LimitPercent;

    /// <summary>"OSM elements 76,331 → 37,753 (−50.5 %, limit 10 %)".</summary>
    public string Describe() =>
        string.Create(Figures, $"{Label} {Published:N0} \u2192 {Candidate:N0} ({FormatChange()}, limit {FormatLimit()})");

    /// <summary>The change against the published figure: "−50.5 %", "+2.0 %".</summary>
    public string FormatChange()
    {
        var change = Published <= 0 ? 0 : (Candidate - Published) * 100.0 / Published;
        // U+2212 MINUS SIGN, as in the figures the operators read.
        return string.Create(Figures, $"{(change < 0 ? "\u2212" : "+")}{Math.Abs(change):0.0} %");
    }

    public string FormatLimit() => string.Create(Figures, $"{LimitPercent:0.##} %");

    public static string FormatCount(long value) => value.ToString("N0", Figures);
}
