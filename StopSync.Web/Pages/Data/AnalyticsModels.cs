using System.Text.Json;
using System.Text.Json.Serialization;

namespace StopSync.Web.Pages.Data;

/// <summary>
/// Whose figures: the whole dataset, one ATLAS operator (its abbreviation) or one canton (its code), as the rows of
/// <c>publication_statistics</c> are keyed (docs/10-history.md, "Statistics").
/// </summary>
public sealed record AnalyticsScope(string Kind, string Key)
{
    public const int MaxKeyLength = 128;

    public static readonly AnalyticsScope All = new("all", "");

    /// <summary>The form of the <c>scope</c> parameter: <c>all</c>, <c>operator:SBB</c>, <c>canton:ZH</c>.</summary>
    public override string ToString() => Kind == All.Kind ? All.Kind : $"{Kind}:{Key}";

    /// <summary>Missing or empty means the whole dataset; the error says what is wrong, for a 400 naming the parameter.</summary>
    public static bool TryParse(string? text, out AnalyticsScope scope, out string? error)
    {
        scope = All;
        error = null;
        if (string.IsNullOrEmpty(text) || text == All.Kind)
        {
            return true;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var kind = colon < 0 ? text : text[..colon];
        var key = colon < 0 ? "" : text[(colon + 1)..];
        if (kind is not ("operator" or "canton"))
        {
            error = "scope is 'all', 'operator:<ATLAS operator abbreviation>' or 'canton:<canton code>'.";
            return false;
        }

        if (key.Length == 0 || key.Length > MaxKeyLength)
        {
            error = $"the {kind} of scope is 1 to {MaxKeyLength} characters, e.g. '{kind}:{(kind == "canton" ? "ZH" : "SBB")}'.";
            return false;
        }

        scope = new AnalyticsScope(kind, key);
        return true;
    }
}

/// <summary>The figures of one scope in the live publication and its trend over every kept publication.</summary>
public sealed record AnalyticsReport(
    AnalyticsScope Scope,
    string? ScopeName,
    Guid RunId,
    DateTimeOffset PublishedAt,
    AnalyticsFigures Current,
    IReadOnlyList<AnalyticsTrendPoint> Trend);

/// <summary>One <c>publication_statistics</c> row with its <c>details</c> unpacked.</summary>
public sealed record AnalyticsFigures(
    int AtlasPlatforms,
    int AtlasMatched,
    int AtlasEffectivelyMatched,
    int AtlasUnmatched,
    int OsmNodes,
    int OsmMatched,
    int OsmUnmatched,
    int Problems,
    int ProblemsP1,
    int ProblemsP2,
    int ProblemsP3,
    [property: JsonPropertyName("within_50m")] int? Within50M,
    IReadOnlyList<MatchMethodFigures> MatchMethods,
    UnmatchedFigures? Unmatched,
    IReadOnlyList<ProblemTypeFigures> ProblemTypes,
    IReadOnlyList<StopUnitFigures> StopUnits)
{
    /// <summary>Matched ATLAS platforms over all ATLAS platforms, as the matching summary defines it (docs/07-matching.md).</summary>
    public double? MatchRate => AnalyticsRates.Of(AtlasMatched, AtlasPlatforms);
}

/// <summary>Distances in metres; null when no pair of the method has one.</summary>
public sealed record MatchMethodFigures(string Method, int Count, double? DistanceMean, double? DistanceMedian, double? DistanceP95);

/// <summary>"Isolated": no counterpart of the other side within 50 m.</summary>
public sealed record UnmatchedFigures(int AtlasIsolated, int AtlasWithCounterpartNearby, int OsmIsolated, int OsmWithCounterpartNearby);

public sealed record ProblemTypeFigures(string Type, int Total, int P1, int P2, int P3);

public sealed record StopUnitFigures(string Kind, int Count);

/// <summary>One publication of the trend, oldest first.</summary>
public sealed record AnalyticsTrendPoint(
    Guid RunId,
    DateTimeOffset PublishedAt,
    int AtlasPlatforms,
    int AtlasMatched,
    int OsmNodes,
    int OsmMatched,
    int Problems,
    int ProblemsP1,
    int ProblemsP2,
    int ProblemsP3)
{
    public double? MatchRate => AnalyticsRates.Of(AtlasMatched, AtlasPlatforms);
}

/// <summary>
/// The answer of <c>GET /api/analytics</c>: with figures, or <see cref="Available"/> false with <see cref="Reason"/>
/// before the first publication or when the live one has no row for the scope. One shape for both, so the API's
/// description names every field.
/// </summary>
public sealed record AnalyticsResponse(
    bool Available,
    string Scope,
    string? ScopeName,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? RunId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? PublishedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] AnalyticsFigures? Current,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<AnalyticsTrendPoint>? Trend,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason)
{
    public static AnalyticsResponse From(AnalyticsReport report) =>
        new(true, report.Scope.ToString(), report.ScopeName, report.RunId, report.PublishedAt, report.Current, report.Trend, null);

    public static AnalyticsResponse Unavailable(AnalyticsScope scope, string reason) =>
        new(false, scope.ToString(), null, null, null, null, null, reason);
}

public static class AnalyticsRates
{
    /// <summary>A fraction rounded to 6 places, so the JSON carries no float noise; null without a denominator.</summary>
    public static double? Of(int part, int whole) => whole <= 0 ? null : Math.Round((double)part / whole, 6);
}

/// <summary>
/// Reads <c>publication_statistics.details</c>. The rows are written by the jobs host; a publication written before a
/// field existed, or a malformed document, gives empty parts rather than a failing page.
/// </summary>
public static class AnalyticsDetails
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static (int? Within50M, IReadOnlyList<MatchMethodFigures> Methods, UnmatchedFigures? Unmatched,
        IReadOnlyList<ProblemTypeFigures> ProblemTypes, IReadOnlyList<StopUnitFigures> StopUnits) Parse(string? json)
    {
        Document? document = null;
        if (!string.IsNullOrWhiteSpace(json))
        {
            try
            {
                document = JsonSerializer.Deserialize<Document>(json, Options);
            }
            catch (JsonException)
            {
                document = null;
            }
        }

        return (document?.Within50M,
            [.. (document?.MatchMethods ?? []).Where(m => m?.Method is not null).Select(m => m!)],
            document?.Unmatched,
            [.. (document?.ProblemTypes ?? []).Where(p => p?.Type is not null).Select(p => p!)],
            [.. (document?.StopUnits ?? []).Where(s => s?.Kind is not null).Select(s => s!)]);
    }

    private sealed record Document(
        List<MatchMethodFigures?>? MatchMethods,
        UnmatchedFigures? Unmatched,
        List<ProblemTypeFigures?>? ProblemTypes,
        List<StopUnitFigures?>? StopUnits,
        [property: JsonPropertyName("within_50m")] int? Within50M);
}

/// <summary>The page's number formats; js/data/analytics.js writes the charts' labels the same way.</summary>
public static class AnalyticsFormat
{
    private static readonly System.Globalization.CultureInfo English = System.Globalization.CultureInfo.GetCultureInfo("en-US");

    public static string Count(int value) => value.ToString("N0", English);

    public static string Count(int? value) => value is { } v ? Count(v) : "–";

    /// <summary>A fraction as a percentage with one decimal: "92.4 %".</summary>
    public static string Percent(double? fraction) => fraction is { } f ? (f * 100).ToString("0.0", English) + " %" : "–";

    public static string Share(int part, int whole) => Percent(AnalyticsRates.Of(part, whole));

    /// <summary>
    /// A method, type or kind name (snake_case, up to 40 characters) that may wrap after each underscore on a phone;
    /// each part is HTML-encoded.
    /// </summary>
    public static Microsoft.AspNetCore.Html.IHtmlContent Breakable(string name) =>
        new Microsoft.AspNetCore.Html.HtmlString(string.Join("_<wbr>", name.Split('_').Select(System.Net.WebUtility.HtmlEncode)));

    /// <summary>Metres with one decimal, without the unit: the table's caption names it.</summary>
    public static string Metres(double? metres) => metres is { } m ? m.ToString("0.0", English) : "–";
}
