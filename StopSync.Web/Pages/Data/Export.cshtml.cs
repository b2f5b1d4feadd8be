using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Npgsql;
using StopSync.Data.Exports;
using StopSync.Data.History;
using StopSync.Web.Pages.Map;
using StopSync.Web.Pages.Map.Filters;

namespace StopSync.Web.Pages.Data;

/// <summary>
/// The export form (docs/08-site.md, "Export"). Without script it asks /api/generate_report, which streams the file; the
/// page's module starts /api/generate_report_async instead and shows the progress of long exports.
/// </summary>
public sealed class ExportModel(NpgsqlDataSource dataSource, IOptions<ExportOptions> options) : PageModel
{
    public bool Published { get; private set; }
    public IReadOnlyList<string> Operators { get; private set; } = [];
    public IReadOnlyList<Canton> CantonList => Cantons.All;
    public IReadOnlyList<string> MatchMethods => FilterValues.MatchedMethods;
    public IReadOnlyList<string> ProblemTypes => ExportReports.ProblemTypes;
    public IReadOnlyList<string> ChangeTypeList => ChangeTypes.All;
    public IReadOnlyList<string> Sides => ChangeCauses.All;
    public int MaxRows => options.Value.MaxRows;
    public int InlineRows => options.Value.InlineRows;

    /// <summary>
    /// Values of the query string preselect the form, so that other pages can link "export these"; the problems page's
    /// names (problem_type, priority) are taken as well.
    /// </summary>
    public IReadOnlySet<string> Selected(string name) =>
        FilterQuery.Split(Request.Query[name].ToString())
            .Concat(Aliases.TryGetValue(name, out var alias) ? FilterQuery.Split(Request.Query[alias].ToString()) : [])
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["problem_types"] = "problem_type",
        ["priorities"] = "priority",
    };

    public string? Value(string name) => Request.Query.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.ToString().Trim() : null;

    public string ReportType => Value("report_type") is { } t && ExportReports.All.Contains(t) ? t : ExportReports.Problems;

    public static IReadOnlyList<string> Sorts(string reportType) => ExportReports.Sorts(reportType);

    public async Task OnGetAsync(CancellationToken ct)
    {
        Published = await PublishedRun.IdAsync(dataSource, ct) is not null;
        if (!Published)
        {
            return;
        }

        await using var command = dataSource.CreateCommand(
            "SELECT DISTINCT atlas_operator FROM stops_matched WHERE atlas_operator IS NOT NULL AND atlas_operator <> '' ORDER BY 1");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var operators = new List<string>();
        while (await reader.ReadAsync(ct))
        {
            operators.Add(reader.GetString(0));
        }

        Operators = operators;
    }

    /// <summary>A sort value as words for the select.</summary>
    public static string SortLabel(string sort) => sort switch
    {
        "distance_desc" => "Largest distance first",
        "distance_asc" => "Smallest distance first",
        "operator_asc" => "ATLAS operator A–Z",
        "operator_desc" => "ATLAS operator Z–A",
        "priority_desc" => "Most urgent first (P1 → P3)",
        "priority_asc" => "Least urgent first (P3 → P1)",
        "source" => "ATLAS rows, then OSM rows",
        "change" => "In the order recorded",
        _ => sort,
    };
}
