using System.Globalization;
using StopSync.Data.Exports;
using StopSync.Data.History;
using StopSync.Web.Pages.Map.Filters;

namespace StopSync.Web.Pages.Data;

/// <summary>
/// The parameters of /api/generate_report(_async) as text (query, form or JSON), checked here so that every bad value
/// answers 400 naming its parameter (docs/05-api.md, "Exports").
/// </summary>
public static class ExportRequestParser
{
    public sealed record Result(ExportRequest? Request, string? Parameter, string? Error);

    /// <summary>Parameters that belong to one report type only; sent with another they are an error, not ignored.</summary>
    private static readonly Dictionary<string, string> Own = new(StringComparer.Ordinal)
    {
        ["match_method"] = ExportReports.Distance,
        ["sources"] = ExportReports.Unmatched,
        ["problem_types"] = ExportReports.Problems,
        ["problem_type"] = ExportReports.Problems,
        ["priorities"] = ExportReports.Problems,
        ["priority"] = ExportReports.Problems,
        ["state"] = ExportReports.Problems,
        ["side"] = ExportReports.Changes,
        ["change_type"] = ExportReports.Changes,
    };

    public static Result Parse(IReadOnlyDictionary<string, string?> values, int maxRows)
    {
        ArgumentNullException.ThrowIfNull(values);
        string? Value(string name) => values.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

        var typeText = Value("report_type")?.ToLowerInvariant();
        if (typeText is null)
        {
            return Fail("report_type", $"report_type is required: one of {string.Join(", ", ExportReports.All)}.");
        }

        if (typeText == "summary")
        {
            return Fail("report_type", "report_type summary is a PDF report, which this site does not generate; the statistics are on /data/analytics.");
        }

        var impliedMethod = typeText switch
        {
            "exact_matches" => "exact",
            "name_matches" => "name",
            _ => null,
        };
        var type = ExportReports.DistanceAliases.Contains(typeText) ? ExportReports.Distance : typeText;
        if (!ExportReports.All.Contains(type))
        {
            return Fail("report_type",
                $"Invalid report_type provided: '{typeText}'; use one of {string.Join(", ", ExportReports.All)} (top_matches, exact_matches, name_matches = distance).");
        }

        foreach (var (name, owner) in Own)
        {
            if (owner != type && Value(name) is not null)
            {
                return Fail(name, $"{name} applies only to report_type {owner}.");
            }
        }

        var format = Value("format")?.ToLowerInvariant() ?? ExportFormats.Csv;
        if (!ExportFormats.All.Contains(format))
        {
            return Fail("format", $"format '{format}' is not offered; the formats are {string.Join(" and ", ExportFormats.All)} (a GIS opens both).");
        }

        var sorts = ExportReports.Sorts(type);
        var sort = Value("sort")?.ToLowerInvariant() ?? sorts[0];
        if (!sorts.Contains(sort))
        {
            return Fail("sort", $"sort for {type} must be one of {string.Join(", ", sorts)}; got '{sort}'.");
        }

        int? limit = null;
        var limitText = Value("limit");
        if (limitText is not null && !limitText.Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            if (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
            {
                return Fail("limit", $"limit must be a whole number from 1, or all; got '{limitText}'.");
            }

            if (n > maxRows)
            {
                return Fail("limit", $"limit {n} is above the cap of {maxRows} rows per export; narrow the filters or export in parts.");
            }

            limit = n;
        }

        var fields = Lower(Value("include_fields"));
        if (fields.FirstOrDefault(f => f is not ("atlas_coords" or "osm_coords")) is { } unknownField)
        {
            return Fail("include_fields", $"include_fields must be a comma list of atlas_coords, osm_coords; unknown: '{unknownField}'.");
        }

        var (cantons, unknownCanton) = Cantons.ParseList(Value("canton"));
        if (unknownCanton is not null)
        {
            return Fail("canton", Cantons.ListError(unknownCanton));
        }

        var request = new ExportRequest
        {
            ReportType = type,
            Format = format,
            Sort = sort,
            Limit = limit,
            AtlasCoords = fields.Contains("atlas_coords"),
            OsmCoords = fields.Contains("osm_coords"),
            AtlasOperators = [.. FilterQuery.Split(Value("atlas_operator"))],
            Cantons = [.. cantons],
        };

        switch (type)
        {
            case ExportReports.Distance:
                var methods = Lower(Value("match_method"));
                if (methods.Length == 0 && impliedMethod is not null)
                {
                    methods = [impliedMethod];
                }

                if (methods.FirstOrDefault(m => !FilterValues.MatchedMethods.Contains(m)) is { } unknownMethod)
                {
                    return Fail("match_method", $"match_method must be a comma list of {string.Join(", ", FilterValues.MatchedMethods)}; unknown: '{unknownMethod}'.");
                }

                return Ok(request with { MatchMethods = methods });
            case ExportReports.Unmatched:
                var sources = Lower(Value("sources"));
                if (sources.FirstOrDefault(s => s is not ("atlas" or "osm")) is { } unknownSource)
                {
                    return Fail("sources", $"sources must be a comma list of atlas, osm; unknown: '{unknownSource}'.");
                }

                return Ok(request with { Sources = sources });
            case ExportReports.Problems:
                return ParseProblems(request, Value("problem_types") ?? Value("problem_type"), Value("priorities") ?? Value("priority"), Value("state"));
            default:
                var sides = Lower(Value("side"));
                if (sides.FirstOrDefault(s => !ChangeCauses.All.Contains(s)) is { } unknownSide)
                {
                    return Fail("side", $"side must be a comma list of {string.Join(", ", ChangeCauses.All)}; unknown: '{unknownSide}'.");
                }

                var changeTypes = Lower(Value("change_type"));
                if (changeTypes.FirstOrDefault(t => !ChangeTypes.All.Contains(t)) is { } unknownChange)
                {
                    return Fail("change_type", $"change_type must be a comma list of {string.Join(", ", ChangeTypes.All)}; unknown: '{unknownChange}'.");
                }

                return Ok(request with { Sides = sides, ChangeTypes = changeTypes });
        }
    }

    // As /api/problems: "all" or a type list (isolated = unmatched), priorities 1-3, review states.
    private static Result ParseProblems(ExportRequest request, string? typesText, string? prioritiesText, string? statesText)
    {
        var types = new List<string>();
        foreach (var text in Lower(typesText))
        {
            if (text == "all")
            {
                continue;
            }

            var type = text == "isolated" ? "unmatched" : text;
            if (!ExportReports.ProblemTypes.Contains(type))
            {
                return Fail("problem_types", $"problem_types must be all or a comma list of {string.Join(", ", ExportReports.ProblemTypes)} (isolated = unmatched); unknown: '{text}'.");
            }

            if (!types.Contains(type))
            {
                types.Add(type);
            }
        }

        var priorities = new List<int>();
        foreach (var text in FilterQuery.Split(prioritiesText))
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var priority) || priority is < 1 or > 3)
            {
                return Fail("priorities", $"priorities must be a comma list of 1, 2, 3; got '{text}'.");
            }

            if (!priorities.Contains(priority))
            {
                priorities.Add(priority);
            }
        }

        var states = Lower(statesText);
        if (states.FirstOrDefault(s => !ExportReports.ReviewStates.Contains(s)) is { } unknownState)
        {
            return Fail("state", $"state must be a comma list of {string.Join(", ", ExportReports.ReviewStates)}; unknown: '{unknownState}'.");
        }

        return Ok(request with { ProblemTypes = [.. types], Priorities = [.. priorities], States = states });
    }

    private static string[] Lower(string? text) => [.. FilterQuery.Split(text).Select(v => v.ToLowerInvariant()).Distinct(StringComparer.Ordinal)];

    private static Result Ok(ExportRequest request) => new(request, null, null);

    private static Result Fail(string parameter, string error) => new(null, parameter, error);
}
