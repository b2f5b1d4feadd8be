using System.Text.RegularExpressions;

namespace StopSync.Jobs.Sources.Gtfs;

/// <summary>The UIC number and platform a Swiss GTFS stop carries in its ids (matching-spec §1.3).</summary>
public static partial class GtfsStopIdentity
{
    private const string SwissUicPrefix = "85";

    /// <summary>
    /// A stop is Swiss by id when its didok, original_stop_id or stop_id starts with the Swiss UIC country code 85;
    /// the border test comes after this.
    /// </summary>
    public static bool HasSwissPrefix(string stopId, string? originalStopId, string? didok) =>
        StartsSwiss(didok) || StartsSwiss(originalStopId) || StartsSwiss(stopId);

    /// <summary>
    /// Splits an id into at most three ':' parts: part 0, when all digits, is the UIC number and part 2 the local ref
    /// (<c>8503000:0:1</c> → 8503000 / "1"). A UIC-based original_stop_id overrides both (its local ref only when
    /// non-empty), a numeric didok overrides the number, and stop_code fills a number still missing. SLOID-style ids
    /// (<c>ch:1:sloid:10:1:1</c>) are not UIC-based, so for them the number comes from didok.
    /// </summary>
    public static (string? UicNumber, string? LocalRef) Parse(string stopId, string? originalStopId, string? didok, string? stopCode)
    {
        var (uic, localRef) = ParseUicBased(stopId);
        var (originalUic, originalLocalRef) = ParseUicBased(originalStopId);
        if (originalUic is not null)
        {
            uic = originalUic;
            localRef = originalLocalRef ?? localRef;
        }

        if (IsAllDigits(didok))
        {
            uic = didok;
        }

        return (uic ?? stopCode, localRef);
    }

    /// <summary>
    /// Platform spelling as ATLAS designations use it: trimmed, <c>10000</c> → 1 and <c>10001</c> → 2, leading zeros
    /// stripped unless nothing would remain ("0" stays "0"). Null for null or blank input.
    /// </summary>
    public static string? NormalizePlatform(string? value)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        switch (text)
        {
            case "10000":
                return "1";
            case "10001":
                return "2";
            default:
                var stripped = text.TrimStart('0');
                return stripped.Length == 0 ? text : stripped;
        }
    }

    /// <summary>location_type 1 is a station; a platform code or local ref makes a platform; a parent a child stop.</summary>
    public static GtfsIdentityLevel LevelOf(string? locationType, string? platformCode, string? normalizedLocalRef, string? parentStation)
    {
        if (locationType == "1")
        {
            return GtfsIdentityLevel.Station;
        }

        if (NormalizePlatform(platformCode) is not null || !string.IsNullOrEmpty(normalizedLocalRef))
        {
            return GtfsIdentityLevel.Platform;
        }

        return string.IsNullOrEmpty(parentStation) ? GtfsIdentityLevel.Stop : GtfsIdentityLevel.ChildStop;
    }

    /// <summary>Replaces every timetable-year marker <c>-j&lt;digits&gt;</c> with <c>-jXX</c>, so a line keeps one id across years.</summary>
    public static string NormalizeRouteId(string routeId) => TimetableYearMarker().Replace(routeId, "-jXX");

    private static (string? Uic, string? LocalRef) ParseUicBased(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return (null, null);
        }

        var parts = id.Split(':', 3);
        if (!IsAllDigits(parts[0]))
        {
            return (null, null);
        }

        return (parts[0], parts.Length == 3 && parts[2].Length > 0 ? parts[2] : null);
    }

    private static bool StartsSwiss(string? value) => value is not null && value.StartsWith(SwissUicPrefix, StringComparison.Ordinal);

    private static bool IsAllDigits(string? value) => !string.IsNullOrEmpty(value) && !value.AsSpan().ContainsAnyExceptInRange('0', '9');

    [GeneratedRegex("-j[0-9]+", RegexOptions.CultureInvariant)]
    private static partial Regex TimetableYearMarker();
}
