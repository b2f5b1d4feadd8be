using System.ComponentModel;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StopSync.Web.Infrastructure;

namespace StopSync.Web.Pages.Problems.Exports;

/// <summary>Hand-off of decided fixes: osmChange, JOSM batch and ATLAS corrections per operator (docs/09-review.md, "Hand-off").</summary>
public static class ExportEndpoints
{
    public const string Tag = "Exports";
    public const string OsmChangePath = "/api/exports/osm-fixes.osc";
    public const string JosmPath = "/api/exports/osm-fixes.osm";
    public const string AtlasCsvPath = "/api/exports/atlas-corrections.csv";

    /// <summary>JOSM's remote control, on the mapper's own machine; it fetches the file and opens it as a layer.</summary>
    public const string JosmImport = "http://127.0.0.1:8111/import?url=";

    private static readonly string[] GetAndHead = [HttpMethods.Get, HttpMethods.Head];
    private static readonly TimeZoneInfo Zurich = TimeZoneInfo.FindSystemTimeZoneById("Europe/Zurich");

    public static IServiceCollection AddFixExports(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<OsmFixReader>();
        services.AddSingleton<AtlasCorrectionReader>();
        return services;
    }

    public static IEndpointRouteBuilder MapExportEndpoints(this IEndpointRouteBuilder app)
    {
        // Anyone may read the exports: they hold only what the public pages show.
        var api = app.MapGroup("/api/exports").WithTags(Tag).RequireRateLimiting(RateLimitPolicies.Exports);
        api.MapMethods("/osm-fixes.osc", GetAndHead, GetOsmChangeAsync).WithName("GetOsmFixesOsmChange")
            .WithSummary("The decided OSM fixes as an osmChange 0.6 file, for a mapper to review and upload with their own account.");
        api.MapMethods("/osm-fixes.osm", GetAndHead, GetJosmFileAsync).WithName("GetOsmFixesJosm")
            .WithSummary("The same fixes as a JOSM data file (upload=\"true\", action=\"modify\") for JOSM's remote-control import.");
        api.MapMethods("/osm-fixes", GetAndHead, GetOsmFixSummaryAsync).WithName("GetOsmFixesSummary")
            .WithSummary("What the OSM export holds: node count, ways left out, other fixes left out, and the JOSM import link.");
        api.MapMethods("/atlas-corrections", GetAndHead, GetAtlasOperatorsAsync).WithName("GetAtlasCorrectionOperators")
            .WithSummary("ATLAS operators with decided ATLAS corrections, with their count and the link to their CSV.");
        api.MapMethods("/atlas-corrections.csv", GetAndHead, GetAtlasCsvAsync).WithName("GetAtlasCorrectionsCsv")
            .WithSummary("The decided ATLAS corrections of one operator as CSV, one line per platform and attribute.");
        return app;
    }

    internal static async Task<FileContentHttpResult> GetOsmChangeAsync(OsmFixReader reader, TimeProvider clock, CancellationToken ct) =>
        TypedResults.File(OsmFixFiles.OsmChange(await reader.ReadAsync(ct)), "application/xml", FileName("osm-fixes", "osc", clock));

    internal static async Task<FileContentHttpResult> GetJosmFileAsync(OsmFixReader reader, TimeProvider clock, CancellationToken ct) =>
        TypedResults.File(OsmFixFiles.Josm(await reader.ReadAsync(ct)), "application/xml", FileName("osm-fixes", "osm", clock));

    internal static async Task<Ok<OsmFixSummary>> GetOsmFixSummaryAsync(HttpRequest request, OsmFixReader reader, CancellationToken ct)
    {
        var fixes = await reader.ReadAsync(ct);
        var josmFile = UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, JosmPath);
        return TypedResults.Ok(new OsmFixSummary(
            fixes.Nodes.Count,
            fixes.SkippedWays,
            [.. fixes.Skipped.Select(s => new SkippedFixJson(s.OsmId, s.Reason))],
            fixes.Decisions,
            OsmChangePath,
            JosmPath,
            JosmImport + Uri.EscapeDataString(josmFile)));
    }

    internal static async Task<Ok<AtlasCorrectionOperators>> GetAtlasOperatorsAsync(AtlasCorrectionReader reader, CancellationToken ct)
    {
        var operators = await reader.OperatorsAsync(ct);
        return TypedResults.Ok(new AtlasCorrectionOperators(
            [.. operators.Select(o => new AtlasCorrectionOperator(o.AtlasOperator, o.Decisions, CsvLink(o.AtlasOperator)))],
            operators.Sum(o => o.Decisions)));
    }

    internal static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetAtlasCsvAsync(
        [FromQuery(Name = "atlas_operator"), Description("The ATLAS operator abbreviation (business organisation), e.g. SBB; required.")] string? atlasOperator,
        AtlasCorrectionReader reader, TimeProvider clock, CancellationToken ct)
    {
        var op = atlasOperator?.Trim();
        if (string.IsNullOrEmpty(op))
        {
            return Invalid("atlas_operator", "atlas_operator is required: the ATLAS operator abbreviation whose corrections to export (see /api/exports/atlas-corrections).");
        }

        if (!await reader.IsKnownOperatorAsync(op, ct))
        {
            return Invalid("atlas_operator", $"atlas_operator '{op}' is no ATLAS operator of the published data or of a decision.");
        }

        var csv = AtlasCorrectionsCsv.Write(await reader.CorrectionsAsync(op, ct));
        return TypedResults.File(new UTF8Encoding(false).GetBytes(csv), "text/csv; charset=utf-8",
            FileName("atlas-corrections-" + SafeFileName(op), "csv", clock));
    }

    internal static string CsvLink(string atlasOperator) => $"{AtlasCsvPath}?atlas_operator={Uri.EscapeDataString(atlasOperator)}";

    /// <summary>Dated by the Swiss calendar day, when the data owners and mappers receive it.</summary>
    private static string FileName(string name, string extension, TimeProvider clock) =>
        $"stopsync-{name}-{TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Zurich).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.{extension}";

    // Operator abbreviations are short words, but they come from the data: only letters, digits and '-' reach the header.
    private static string SafeFileName(string value) =>
        string.Concat(value.Select(c => char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '_'));

    private static ProblemHttpResult Invalid(string parameter, string detail) =>
        ErrorResponses.InvalidParameter(parameter, detail);
}

/// <param name="Nodes">Nodes in the osmChange and JOSM files.</param>
/// <param name="SkippedWays">Ways with a decided fix, left out of both files (site ids, <c>way_123</c>).</param>
/// <param name="Skipped">Other decided fixes left out, with the reason.</param>
/// <param name="Decisions">Decided osm_wrong decisions that choose at least one tag value.</param>
public sealed record OsmFixSummary(
    int Nodes,
    IReadOnlyList<string> SkippedWays,
    IReadOnlyList<SkippedFixJson> Skipped,
    int Decisions,
    string OscUrl,
    string OsmUrl,
    string JosmImportUrl);

public sealed record SkippedFixJson(string OsmId, string Reason);

public sealed record AtlasCorrectionOperators(IReadOnlyList<AtlasCorrectionOperator> Operators, int Total);

public sealed record AtlasCorrectionOperator(string AtlasOperator, int Decisions, string CsvUrl);
