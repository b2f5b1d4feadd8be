using System.Text.RegularExpressions;
using StopSync.Data.Routes;

namespace StopSync.Web.Pages.Map.Filters;

/// <summary>
/// The map's line filter (docs/05-api.md, "Filters"): one line named by its display route id, its GTFS route id or its
/// normalised id, optionally narrowed to one direction with the search token's form <c>&lt;id&gt; dir:0</c>.
/// </summary>
/// <param name="RouteId">As sent, without the <c>route:</c> prefix and the direction.</param>
/// <param name="NormalizedId">The timetable-year segment replaced the way the publication normalises route ids.</param>
/// <param name="Direction">"0", "1" or null for both.</param>
public sealed partial record RouteFilter(string RouteId, string NormalizedId, string? Direction)
{
    /// <summary>Longer than any Swiss route id or OSM ref; a longer value is a mistake, not a line.</summary>
    public const int MaxLength = 100;

    public const string Prefix = "route:";

    /// <summary>The value as the map's URL and the search token write it.</summary>
    public string Token => Direction is null ? RouteId : $"{RouteId} dir:{Direction}";

    /// <summary>Absent or blank text is no filter (<paramref name="filter"/> null, no error).</summary>
    public static bool TryParse(string? text, out RouteFilter? filter, out string? error)
    {
        filter = null;
        error = null;
        var value = text?.Trim() ?? "";
        if (value.Length == 0)
        {
            return true;
        }

        if (value.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            value = value[Prefix.Length..].Trim();
        }

        string? direction = null;
        var dir = DirectionSuffix().Match(value);
        if (dir.Success)
        {
            direction = dir.Groups[1].Value;
            if (direction is not ("0" or "1"))
            {
                error = $"route takes a direction as ' dir:0' or ' dir:1'; got 'dir:{Shorten(direction)}'";
                return false;
            }

            value = value[..dir.Index].TrimEnd();
        }

        if (value.Length == 0)
        {
            error = "route must name a line: a display route id (91-10-A), a GTFS route id (91-10-A-j26-1) or an OSM ref, optionally followed by ' dir:0' or ' dir:1'";
            return false;
        }

        if (value.Length > MaxLength || value.Any(char.IsControl))
        {
            error = $"route must be at most {MaxLength} printable characters; got '{Shorten(value)}'";
            return false;
        }

        filter = new RouteFilter(value, Normalize(value), direction);
        return true;
    }

    /// <summary>
    /// Route ids change their year segment every December (<c>-j25</c>, <c>-j26</c>): both become <c>-jXX</c>, as the
    /// publication writes <c>normalized_route_id</c> (docs/07-matching.md), so last year's id still finds the line.
    /// </summary>
    public static string Normalize(string routeId) => RouteIdForms.Normalize(routeId);

    /// <summary>
    /// The ids of the line families the filter names (either side, by any of its three ids) and of their matched
    /// counterparts, as a SQL sub-select on the two parameters given.
    /// </summary>
    public static string FamiliesSql(string idParameter, string normalizedParameter)
    {
        var named = $"f.display_route_id = {idParameter} OR f.gtfs_route_id = {idParameter} OR f.normalized_route_id = {normalizedParameter}";
        return $"SELECT f.id FROM line_families f WHERE {named} "
            + $"UNION SELECT f.matched_family_id FROM line_families f WHERE ({named}) AND f.matched_family_id IS NOT NULL";
    }

    /// <summary>The itineraries of those families, in the direction asked for if any (OSM relations without one never match it).</summary>
    public static string ItinerariesSql(string idParameter, string normalizedParameter, string? directionParameter) =>
        $"SELECT i.id FROM itineraries i WHERE i.line_family_id IN ({FamiliesSql(idParameter, normalizedParameter)})"
        + (directionParameter is null ? "" : $" AND i.direction_id = {directionParameter}");

    private static string Shorten(string value) => value.Length <= 60 ? value : value[..60] + "…";

    [GeneratedRegex(@"(?:^|\s+)dir:(\S*)$", RegexOptions.IgnoreCase)]
    private static partial Regex DirectionSuffix();
}
