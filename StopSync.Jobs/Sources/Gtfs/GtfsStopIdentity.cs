using StopSync.Data.Routes;

namespace StopSync.Jobs.Sources.Gtfs;

/// <summary>The id and platform rules of docs/06-sources.md#gtfs-timetable.</summary>
public static class GtfsStopIdentity
{
    private const string SwissUicPrefix = "85";

    public static bool HasSwissPrefix(string stopId, string? originalStopId, string? didok) =>
        StartsSwiss(didok) || StartsSwiss(originalStopId) || StartsSwiss(stopId);

    /// <summary>SLOID-style ids (<c>ch:1:sloid:10:1:1</c>) carry no UIC, so for them the number comes from didok.</summary>
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
    public static string NormalizeRouteId(string routeId) => RouteIdForms.Normalize(routeId);

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

}
