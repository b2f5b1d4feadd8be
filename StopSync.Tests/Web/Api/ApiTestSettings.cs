using StopSync.Web.Infrastructure;

namespace StopSync.Tests.Web.Api;

internal static class ApiTestSettings
{
    /// <summary>Limits no test reaches, so that only the rate limit tests ever see 429; counters under the test's prefix.</summary>
    public static Dictionary<string, string?> GenerousRateLimits(string prefix) =>
        RateLimitSettings(prefix + "ratelimit:", permits: 100_000);

    public static Dictionary<string, string?> RateLimitSettings(string keyPrefix, int permits, string window = "00:01:00")
    {
        var settings = new Dictionary<string, string?> { ["RateLimits:KeyPrefix"] = keyPrefix };
        foreach (var name in new[] { "Data", "GlobalStats", "RandomStop", "Search", "StopById", "TopMatches", "Operators", "StopPopup", "PipelineStatus", "Problems", "ProblemStats", "Decisions", "Exports", "RouteStops", "RouteOperators", "GtfsStops", "Changes", "ReportAsync", "ReportProgress", "ReportDownload", "ReportCancel", "ReportSync", "Default" })
        {
            settings[$"RateLimits:{name}:PermitLimit"] = permits.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings[$"RateLimits:{name}:Window"] = window;
        }

        return settings;
    }
}
