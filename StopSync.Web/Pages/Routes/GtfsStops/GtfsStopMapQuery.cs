using System.ComponentModel;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;

namespace StopSync.Web.Pages.Routes.GtfsStops;

/// <summary>What the map asks for, once every parameter passed (docs/05-api.md, "GET /api/routes/gtfs-stop-id-sloid/map").</summary>
public sealed record GtfsMapRequest(
    double MinLat, double MinLon, double MaxLat, double MaxLon, int? Zoom, int? Limit, bool IncludeMatches,
    bool Matched, bool Unmatched, IReadOnlyList<string> Methods, GtfsSearchEcho? Search)
{
    public bool IsOverview => Zoom is null or < GtfsStopMapQuery.DetailFromZoom;
}

/// <summary>A refused parameter: its name and why.</summary>
public sealed record ParameterError(string Parameter, string Detail);

/// <summary>The query string of /map; parsed here rather than bound, so that every bad value gets a 400 naming its parameter.</summary>
public sealed record GtfsStopMapQuery
{
    /// <summary>Below this zoom the map is an overview of a sample; from it the stops of the view.</summary>
    public const int DetailFromZoom = 11;

    public const int OverviewLimit = 3000;
    public const int DetailLimit = 5000;
    public const int MaxLimit = 10_000;
    public const int MaxZoom = 24;
    public const int MaxMethodValues = 20;
    public const int MaxValueLength = 100;

    public static readonly IReadOnlyList<string> Statuses = ["matched", "unmatched"];

    [FromQuery(Name = "min_lat"), Description("South edge (WGS 84 degrees), required.")]
    public string? MinLat { get; init; }

    [FromQuery(Name = "min_lon"), Description("West edge (degrees), required.")]
    public string? MinLon { get; init; }

    [FromQuery(Name = "max_lat"), Description("North edge (degrees), required.")]
    public string? MaxLat { get; init; }

    [FromQuery(Name = "max_lon"), Description("East edge (degrees), required.")]
    public string? MaxLon { get; init; }

    [FromQuery(Name = "zoom"), Description("The map's zoom, 0-24: below 11 an overview (at most 3000 stops per side, half matched, half unmatched), from 11 the detail (at most 5000 per side).")]
    public string? Zoom { get; init; }

    [FromQuery(Name = "limit"), Description("Stops per side at most, 1-10000, or 'all'; replaces the zoom's cap.")]
    public string? Limit { get; init; }

    [FromQuery(Name = "include_matches"), Description("1 (default) or 0: the lines between each GTFS stop and its SLOIDs.")]
    public string? IncludeMatches { get; init; }

    [FromQuery(Name = "status"), Description("matched and/or unmatched (repeat or comma list); both when absent.")]
    public string[]? Status { get; init; }

    [FromQuery(Name = "match_method"), Description("GTFS resolution methods to keep (repeat or comma list, at most 20): original_stop_id, uic_platform, coordinate_proximity, unique_number, unmatched.")]
    public string[]? MatchMethod { get; init; }

    [FromQuery(Name = "search_kind"), Description("With search_value: sloid, uic or stop_id; the stops found are always in the answer.")]
    public string? SearchKind { get; init; }

    [FromQuery(Name = "kind"), Description("Short form of search_kind.")]
    public string? Kind { get; init; }

    [FromQuery(Name = "search_value"), Description("The identifier to look up exactly, at most 255 characters.")]
    public string? SearchValue { get; init; }

    [FromQuery(Name = "value"), Description("Short form of search_value.")]
    public string? Value { get; init; }

    public (GtfsMapRequest? Request, ParameterError? Error) Parse()
    {
        var corners = new[] { ("min_lat", MinLat, 90.0), ("min_lon", MinLon, 180.0), ("max_lat", MaxLat, 90.0), ("max_lon", MaxLon, 180.0) };
        var values = new double[4];
        for (var i = 0; i < corners.Length; i++)
        {
            var (name, text, range) = corners[i];
            if (string.IsNullOrWhiteSpace(text))
            {
                return Fail(name, $"{name} is required: send min_lat, min_lon, max_lat and max_lon");
            }

            if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
            {
                return Fail(name, $"{name} must be a finite number of degrees; got '{GtfsStopText.Shorten(text)}'");
            }

            if (Math.Abs(values[i]) > range)
            {
                return Fail(name, $"{name} must be between -{range} and {range}; got '{GtfsStopText.Shorten(text)}'");
            }
        }

        if (values[0] >= values[2])
        {
            return Fail("max_lat", "max_lat must be greater than min_lat");
        }

        if (values[1] >= values[3])
        {
            return Fail("max_lon", "max_lon must be greater than min_lon");
        }

        int? zoom = null;
        if (!string.IsNullOrWhiteSpace(Zoom))
        {
            if (!int.TryParse(Zoom.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var z) || z > MaxZoom)
            {
                return Fail("zoom", $"zoom must be a whole number between 0 and {MaxZoom}; got '{GtfsStopText.Shorten(Zoom)}'");
            }

            zoom = z;
        }

        int? limit = zoom is >= DetailFromZoom ? DetailLimit : OverviewLimit;
        if (!string.IsNullOrWhiteSpace(Limit))
        {
            if (Limit.Trim().Equals("all", StringComparison.OrdinalIgnoreCase))
            {
                limit = null;
            }
            else if (!int.TryParse(Limit.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 1 or > MaxLimit)
            {
                return Fail("limit", $"limit must be a whole number between 1 and {MaxLimit}, or 'all'; got '{GtfsStopText.Shorten(Limit)}'");
            }
            else
            {
                limit = n;
            }
        }

        var includeMatches = true;
        if (!string.IsNullOrWhiteSpace(IncludeMatches))
        {
            switch (IncludeMatches.Trim().ToLowerInvariant())
            {
                case "1" or "true":
                    break;
                case "0" or "false":
                    includeMatches = false;
                    break;
                default:
                    return Fail("include_matches", $"include_matches must be 1 or 0; got '{GtfsStopText.Shorten(IncludeMatches)}'");
            }
        }

        var statuses = SplitList(Status);
        if (statuses.FirstOrDefault(s => !Statuses.Contains(s)) is { } badStatus)
        {
            return Fail("status", $"status must be matched or unmatched (repeat or comma list); got '{GtfsStopText.Shorten(badStatus)}'");
        }

        var methods = SplitList(MatchMethod);
        if (methods.Count > MaxMethodValues)
        {
            return Fail("match_method", $"match_method takes at most {MaxMethodValues} values; got {methods.Count}");
        }

        if (methods.FirstOrDefault(m => m.Length > MaxValueLength) is { } longMethod)
        {
            return Fail("match_method", $"each match_method value has at most {MaxValueLength} characters; got one of {longMethod.Length}");
        }

        if (methods.FirstOrDefault(m => !GtfsResolutionMethods.All.Contains(m)) is { } badMethod)
        {
            return Fail("match_method", $"match_method must be one of {string.Join(", ", GtfsResolutionMethods.All)}; got '{GtfsStopText.Shorten(badMethod)}'");
        }

        var (search, searchError) = GtfsSearchInput.Parse(SearchKind, Kind, SearchValue, Value, required: false);
        if (searchError is not null)
        {
            return (null, searchError);
        }

        return (new GtfsMapRequest(
            values[0], values[1], values[2], values[3], zoom, limit, includeMatches,
            Matched: statuses.Count == 0 || statuses.Contains("matched"),
            Unmatched: statuses.Count == 0 || statuses.Contains("unmatched"),
            [.. methods.Distinct(StringComparer.Ordinal)], search), null);
    }

    // Repeated parameters and comma lists alike; empty entries are dropped, values compared lower-case.
    private static List<string> SplitList(string[]? raw) =>
        raw is null
            ? []
            : [.. raw.SelectMany(v => (v ?? "").Split(',')).Select(v => v.Trim().ToLowerInvariant()).Where(v => v.Length > 0)];

    private static (GtfsMapRequest?, ParameterError?) Fail(string parameter, string detail) => (null, new ParameterError(parameter, detail));
}

/// <summary>search_kind/kind and search_value/value of /map and /search.</summary>
public static class GtfsSearchInput
{
    public const int MaxValueLength = 255;

    /// <summary><c>sloid</c>: an ATLAS platform; <c>uic</c>: every platform and GTFS stop of a UIC number; <c>stop_id</c>: a GTFS stop.</summary>
    public static readonly IReadOnlyList<string> Kinds = ["sloid", "uic", "stop_id"];

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sloid"] = "sloid",
        ["uic"] = "uic",
        ["uic_number"] = "uic",
        ["stop_id"] = "stop_id",
        ["gtfs_stop_id"] = "stop_id",
        ["gtfs"] = "stop_id",
    };

    public static (GtfsSearchEcho? Search, ParameterError? Error) Parse(string? searchKind, string? kind, string? searchValue, string? value, bool required)
    {
        var (kindName, kindText) = !string.IsNullOrWhiteSpace(searchKind) ? ("search_kind", searchKind) : ("kind", kind);
        var (valueName, valueText) = !string.IsNullOrWhiteSpace(searchValue) ? ("search_value", searchValue) : ("value", value);
        var hasKind = !string.IsNullOrWhiteSpace(kindText);
        var hasValue = !string.IsNullOrWhiteSpace(valueText);
        if (!hasKind && !hasValue && !required)
        {
            return (null, null);
        }

        if (!hasKind)
        {
            return (null, new ParameterError("search_kind", $"search_kind is required with search_value: one of {string.Join(", ", Kinds)}"));
        }

        if (!Aliases.TryGetValue(kindText!.Trim(), out var normalized))
        {
            return (null, new ParameterError(kindName, $"{kindName} must be one of {string.Join(", ", Kinds)}; got '{GtfsStopText.Shorten(kindText)}'"));
        }

        if (!hasValue)
        {
            return (null, new ParameterError("search_value", "search_value is required with search_kind: the identifier to look up"));
        }

        var trimmed = valueText!.Trim();
        if (trimmed.Length > MaxValueLength)
        {
            return (null, new ParameterError(valueName, $"{valueName} has at most {MaxValueLength} characters; got {trimmed.Length}"));
        }

        return (new GtfsSearchEcho(normalized, trimmed), null);
    }
}

public static class GtfsStopText
{
    /// <summary>Echoed values are cut, so a long hostile parameter does not come back whole in the error.</summary>
    public static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
