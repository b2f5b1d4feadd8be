using StopSync.Data.Routes;

namespace StopSync.Jobs.Sources.Osm;

/// <param name="Members">Member element ids: node ids as they are, ways as <c>way_&lt;id&gt;</c>.</param>
public sealed record OsmRouteRelation(string Id, IReadOnlyDictionary<string, string> Tags, IReadOnlyList<OsmRouteMember> Members)
{
    public static readonly IReadOnlySet<string> KeptTags = new HashSet<string>(StringComparer.Ordinal)
    {
        "type", "route", "name", "ref", "operator", "network", "from", "to", "via", "public_transport:version", "colour",
        "gtfs:route_id", "gtfs:feed", "ref_trips",
    };

    public string? Tag(string key) => Tags.TryGetValue(key, out var value) ? value.Trim() : null;

    public string? GtfsRouteId => Tag("gtfs:route_id") is { Length: > 0 } id ? id : null;

    public string? RouteIdNormalized => GtfsRouteId is { } id ? NormalizeRouteId(id) : null;

    /// <summary>The first trip id ending in <c>.H</c> (outbound) gives "0", <c>.R</c> (return) "1".</summary>
    public string? DirectionId
    {
        get
        {
            foreach (var trip in (Tag("ref_trips") ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (trip.EndsWith(".H", StringComparison.Ordinal))
                {
                    return "0";
                }

                if (trip.EndsWith(".R", StringComparison.Ordinal))
                {
                    return "1";
                }
            }

            return null;
        }
    }

    /// <summary>Timetable years change route ids every December: <c>-j25</c> and <c>-j26</c> both become <c>-jXX</c>.</summary>
    public static string NormalizeRouteId(string routeId) => RouteIdForms.Normalize(routeId);
}

public sealed record OsmRouteMember(string ElementId, string Role);
