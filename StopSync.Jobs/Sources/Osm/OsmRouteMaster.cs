namespace StopSync.Jobs.Sources.Osm;

/// <summary>
/// A <c>type=route_master</c> relation: the line that groups a route relation per direction or variant
/// (docs/06-sources.md#openstreetmap-overpass-xml).
/// </summary>
/// <param name="RouteIds">Ids of its relation members, in member order; they may name relations the answer does not hold.</param>
public sealed record OsmRouteMaster(string Id, IReadOnlyDictionary<string, string> Tags, IReadOnlyList<string> RouteIds)
{
    /// <summary>The route relations' kept tags, with <c>route_master</c> (the mode) instead of <c>route</c>.</summary>
    public static readonly IReadOnlySet<string> KeptTags = new HashSet<string>(OsmRouteRelation.KeptTags.Append("route_master"), StringComparer.Ordinal);

    public string? Tag(string key) => Tags.TryGetValue(key, out var value) ? value.Trim() : null;
}
