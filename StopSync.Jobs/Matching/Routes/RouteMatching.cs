using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Sources.Gtfs;
using StopSync.Jobs.Sources.Osm;

namespace StopSync.Jobs.Matching.Routes;

/// <summary>The <c>route_matching</c> phase: after stop matching, whose result gives the OSM stops their identities.</summary>
public static class RouteMatching
{
    public static RouteMatchingOutput Run(GtfsReadResult gtfs, OsmReadResult osm, MatchingOutput stops) =>
        RouteMatcher.Match(WithOperatorAliases(AtlasRouteProducts.Build(gtfs), stops), OsmRouteProducts.Build(osm, stops));

    /// <summary>
    /// GTFS names an operator by its agency ("PostAuto AG"), ATLAS and most OSM mappers by its abbreviation ("PAG"): the
    /// metadata check takes the abbreviations of the ATLAS platforms a line calls at as names of its operator too.
    /// </summary>
    public static IReadOnlyList<LineFamily> WithOperatorAliases(IReadOnlyList<LineFamily> atlas, MatchingOutput stops)
    {
        var abbreviations = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var platform in stops.Matches.Select(m => m.Atlas).Concat(stops.UnmatchedAtlas.Select(u => u.Platform)))
        {
            if (platform.OperatorAbbreviation.Trim() is { Length: > 0 } abbreviation)
            {
                abbreviations.TryAdd(platform.Sloid, abbreviation);
            }
        }

        return [.. atlas.Select(family => family with
        {
            OperatorAliases = [.. family.Itineraries.SelectMany(i => i.Calls).SelectMany(c => c.SloidVariants)
                .Select(sloid => abbreviations.GetValueOrDefault(sloid))
                .Append(family.AgencyId)
                .OfType<string>()
                .Where(alias => alias.Length > 0)
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .Order(StringComparer.Ordinal)],
        })];
    }
}
