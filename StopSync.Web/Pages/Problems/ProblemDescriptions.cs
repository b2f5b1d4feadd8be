using System.Globalization;
using System.Text.Json;

namespace StopSync.Web.Pages.Problems;

/// <summary>
/// What exactly is wrong, in one line, built from a problem's evidence (docs/09-review.md, "Evidence"), e.g.
/// "OSM uic_ref 8503000, ATLAS number 8503001". Evidence that is missing or of an unknown shape gives a generic line
/// for the type, so a description never fails.
/// </summary>
public static class ProblemDescriptions
{
    /// <summary>The ATLAS attribute each OSM tag of the attributes evidence is compared with.</summary>
    private static readonly Dictionary<string, string> AtlasNames = new(StringComparer.Ordinal)
    {
        ["uic_ref"] = "number",
        ["uic_name"] = "official designation",
        ["local_ref"] = "designation",
        ["operator"] = "operator",
    };

    public static string Describe(string problemType, JsonElement? evidence, double? distanceM)
    {
        var text = evidence is { ValueKind: JsonValueKind.Object } e
            ? problemType switch
            {
                ProblemTypes.Attributes => Attributes(e),
                ProblemTypes.Distance => Distance(e, distanceM),
                ProblemTypes.Unmatched => Unmatched(e),
                ProblemTypes.Duplicates => Duplicates(e),
                ProblemTypes.ContradictsRouteMatching => RouteContradiction(e),
                ProblemTypes.RouteUnmatched => RouteUnmatched(e),
                ProblemTypes.RouteMetadata => RouteMetadata(e),
                ProblemTypes.RouteMembership => RouteMembership(e),
                _ => null,
            }
            : null;
        return text ?? Generic(problemType, distanceM);
    }

    private static string? Attributes(JsonElement evidence)
    {
        if (!evidence.TryGetProperty("differences", out var differences) || differences.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var parts = new List<string>();
        foreach (var difference in differences.EnumerateArray())
        {
            if (difference.ValueKind != JsonValueKind.Object || Text(difference, "attribute") is not { } attribute)
            {
                continue;
            }

            var atlasName = AtlasNames.GetValueOrDefault(attribute, attribute);
            parts.Add($"OSM {attribute} {Value(difference, "osm")}, ATLAS {atlasName} {Value(difference, "atlas")}");
        }

        return parts.Count == 0 ? null : string.Join("; ", parts);
    }

    private static string? Distance(JsonElement evidence, double? distanceM)
    {
        if (Text(evidence, "distance_bucket") is not { } bucket)
        {
            return null;
        }

        var range = bucket.EndsWith('+') ? $"over {bucket[..^1]} m" : bucket.Replace("-", "–", StringComparison.Ordinal) + " m";
        return distanceM is { } d
            ? $"ATLAS and OSM {Metres(d)} m apart ({range})"
            : $"ATLAS and OSM {range} apart";
    }

    private static string? Unmatched(JsonElement evidence)
    {
        var side = Text(evidence, "side");
        if (side is not ("atlas" or "osm") || !evidence.TryGetProperty("isolated", out var isolated)
            || isolated.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return null;
        }

        var other = side == "atlas" ? "OSM" : "ATLAS";
        return isolated.GetBoolean()
            ? $"No {other} counterpart within 50 m"
            : $"An {other} counterpart is nearby but not matched";
    }

    private static string? Duplicates(JsonElement evidence)
    {
        var side = Text(evidence, "side");
        if (side is not ("atlas" or "osm") || !evidence.TryGetProperty("members", out var members) || members.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var ids = members.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.String).Select(m => m.GetString()!).ToList();
        return ids.Count == 0 ? null : $"{(side == "atlas" ? "ATLAS" : "OSM")} duplicates: {string.Join(", ", ids)}";
    }

    private static string? RouteContradiction(JsonElement evidence) => Text(evidence, "alignment") switch
    {
        "token_contradiction" => "The route matching contradicts this match: the routes' stop names disagree",
        "direction_contradiction" => "The route matching contradicts this match: the routes run in other directions",
        _ => null,
    };

    // The line as the evidence names it: its display route id, else a family id.
    private static string? Line(JsonElement evidence) =>
        Text(evidence, "line") ?? Text(evidence, "atlas_family") ?? Text(evidence, "osm_family");

    private static string? RouteUnmatched(JsonElement evidence)
    {
        if (Line(evidence) is not { } line)
        {
            return null;
        }

        var side = Text(evidence, "side")
            ?? (Text(evidence, "atlas_family") is not null && Text(evidence, "osm_family") is null ? "atlas"
                : Text(evidence, "osm_family") is not null && Text(evidence, "atlas_family") is null ? "osm" : null);
        var stops = evidence.TryGetProperty("stop_count", out var count) && count.ValueKind == JsonValueKind.Number && count.TryGetInt32(out var n)
            ? $" ({n} {(n == 1 ? "stop" : "stops")})"
            : "";
        return side switch
        {
            "atlas" => $"Line {line}{stops}: the timetable line has no OSM route",
            "osm" => $"Line {line}{stops}: the OSM route's gtfs:route_id names no timetable line",
            _ => $"Line {line}{stops}: no counterpart on the other side",
        };
    }

    private static string? RouteMetadata(JsonElement evidence)
    {
        if (Line(evidence) is not { } line)
        {
            return null;
        }

        var parts = new List<string>();
        if (evidence.TryGetProperty("differences", out var differences) && differences.ValueKind == JsonValueKind.Array)
        {
            foreach (var difference in differences.EnumerateArray())
            {
                if (difference.ValueKind == JsonValueKind.Object && Text(difference, "attribute") is { } attribute)
                {
                    parts.Add($"{attribute} ATLAS {Value(difference, "atlas")}, OSM {Value(difference, "osm")}");
                }
            }
        }

        return parts.Count == 0
            ? $"Line {line}: the timetable line and its OSM route differ in ref, operator, network or mode"
            : $"Line {line}: " + string.Join("; ", parts);
    }

    private static string? RouteMembership(JsonElement evidence)
    {
        if (Line(evidence) is not { } line)
        {
            return null;
        }

        return Text(evidence, "kind") switch
        {
            "missing_in_osm" => $"Line {line}: the timetable calls at this stop, the OSM route does not",
            "extra_in_osm" => $"Line {line}: the OSM route calls at this stop, the timetable does not",
            "wrong_order" => $"Line {line}: the OSM route calls at this stop out of the timetable's order",
            "other_platform" => $"Line {line}: the OSM route uses another platform of this station than the timetable",
            _ => $"Line {line}: the OSM route's stops differ from the timetable's",
        };
    }

    private static string Generic(string problemType, double? distanceM) => problemType switch
    {
        ProblemTypes.Distance => distanceM is { } d ? $"ATLAS and OSM {Metres(d)} m apart" : "ATLAS and OSM positions are far apart",
        ProblemTypes.Unmatched => "No counterpart matched",
        ProblemTypes.Attributes => "ATLAS and OSM attributes differ",
        ProblemTypes.ContradictsRouteMatching => "The route matching contradicts this match",
        ProblemTypes.Duplicates => "Duplicate entries",
        ProblemTypes.RouteUnmatched => "A line has no counterpart on the other side",
        ProblemTypes.RouteMetadata => "A matched line's ref, operator, network or mode differ",
        ProblemTypes.RouteMembership => "The OSM route's stops differ from the timetable's",
        _ => $"Problem: {problemType}",
    };

    private static string Metres(double d) => Math.Round(d).ToString("0", CultureInfo.InvariantCulture);

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // A missing value is spelled out: "OSM local_ref (none)" says more than an empty gap.
    private static string Value(JsonElement difference, string name) =>
        Text(difference, name) is { Length: > 0 } value ? value : "(none)";
}
