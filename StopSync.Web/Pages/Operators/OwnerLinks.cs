using System.Globalization;

namespace StopSync.Web.Pages.Operators;

/// <summary>The addresses and number formats the operator and canton pages share.</summary>
public static class OwnerLinks
{
    /// <summary>How many OSM operator values a list row shows; the operator's page shows them all.</summary>
    public const int TopOsmOperators = 3;

    public static string Page(OwnerScope scope, string key) =>
        (scope == OwnerScope.Operator ? "/operators/" : "/cantons/") + Uri.EscapeDataString(key);

    /// <summary>The map and the problems queue take the same filter parameters (docs/05-api.md, "Filters").</summary>
    public static string Map(OwnerScope scope, string key) => "/" + Filter(scope, key);

    public static string Problems(OwnerScope scope, string key) => "/problems" + Filter(scope, key);

    public static string Changes(OwnerScope scope, string key) => "/data/changes" + Filter(scope, key);

    public static string Feed(OwnerScope scope, string key) => "/data/changes/feed.atom" + Filter(scope, key);

    public static string Filter(OwnerScope scope, string key) =>
        (scope == OwnerScope.Operator ? "?atlas_operator=" : "?canton=") + Uri.EscapeDataString(key);

    public static string Percent(double? rate) =>
        rate is { } r ? (r * 100).ToString("0.0", CultureInfo.InvariantCulture) + "\u00a0%" : "–";

    public static string Number(int n) => n.ToString("#,0", CultureInfo.InvariantCulture).Replace(",", "\u2009", StringComparison.Ordinal);
}
