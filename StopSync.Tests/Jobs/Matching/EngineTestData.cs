using StopSync.Jobs.Matching;
using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Sources.Atlas;
using StopSync.Jobs.Sources.Osm;

namespace StopSync.Tests.Jobs.Matching;

/// <summary>The acceptance cases' notation: A(sloid, number, designation, name, lat, lon[, operator]), O(id, lat, lon, tags).</summary>
internal static class EngineTestData
{
    public static AtlasPlatform A(string sloid, string number, string designation, string name, double lat, double lon, string op = "") =>
        new(sloid, number, designation, name, op, lat, lon);

    public static OsmElement O(string id, double lat, double lon, params (string Key, string Value)[] tags)
    {
        var dictionary = tags.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
        return new OsmElement(id, id.StartsWith("way_", StringComparison.Ordinal) ? "way" : "node", lat, lon, dictionary)
        {
            Operator = dictionary.TryGetValue("operator", out var op) ? op.Trim() : null,
        };
    }

    public static (string, string) Platform => ("public_transport", "platform");

    public static (string, string) StopPosition => ("public_transport", "stop_position");

    public static (string, string) TramStop => ("railway", "tram_stop");

    public static (string, string) Uic(string value) => ("uic_ref", value);

    public static (string, string) Name(string value) => ("name", value);

    public static (string, string) UicName(string value) => ("uic_name", value);

    public static (string, string) LocalRef(string value) => ("local_ref", value);

    /// <summary>A route relation; <paramref name="direction"/> "0" or "1" becomes a ref_trips entry ending .H or .R.</summary>
    public static OsmRouteRelation Relation(string id, string gtfsRouteId, string? direction, params string[] members)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal) { ["type"] = "route", ["route"] = "bus", ["gtfs:route_id"] = gtfsRouteId };
        if (direction is not null)
        {
            tags["ref_trips"] = direction == "0" ? "1.TA.91-1.H" : "1.TA.91-1.R";
        }

        return new OsmRouteRelation(id, tags, [.. members.Select(m => new OsmRouteMember(m, "platform"))]);
    }

    public static AtlasRouteEvidence Evidence(string routeId, string? direction, string? directionName = null) =>
        new(routeId, OsmRouteRelation.NormalizeRouteId(routeId), direction, directionName);

    public static MatchingOutput Run(
        IEnumerable<AtlasPlatform> atlas,
        IEnumerable<OsmElement> osm,
        EngineStages stages = EngineStages.All,
        IEnumerable<OsmRouteRelation>? relations = null,
        Dictionary<string, IReadOnlyList<AtlasRouteEvidence>>? evidence = null,
        MatchingOptions? options = null) =>
        MatchingEngine.Run(
            new MatchingInput([.. atlas], [.. osm], relations?.ToList(), evidence),
            (options ?? MatchingOptions.Default) with { Stages = stages });

    public static List<(string Sloid, string OsmId, string Type)> Pairs(this MatchingOutput output) =>
        [.. output.Matches.Select(m => (m.Sloid, m.OsmId, m.MatchType))];

    public static double Distance(AtlasPlatform a, OsmElement o) => Haversine.DistanceMeters(a.Lat, a.Lon, o.Lat, o.Lon);

    public static StopUnit UnitOf(this MatchingOutput output, string osmId) => output.StopUnits.Single(u => u.Members.Any(m => m.OsmId == osmId));
}
