namespace StopSync.Jobs.Sources.Osm;

/// <summary>An OSM stop element: a node, or a way placed at its Overpass <c>center</c> with the id <c>way_&lt;id&gt;</c>.</summary>
public sealed record OsmElement(string Id, string ElementType, double Lat, double Lon, IReadOnlyDictionary<string, string> Tags)
{
    public string? Tag(string key) => Tags.TryGetValue(key, out var value) ? value.Trim() : null;

    public string UicRef => Tag("uic_ref") ?? "";

    public string LocalRef => Tag("local_ref") ?? Tag("ref") ?? "";

    /// <summary>The operator after alias normalisation (<see cref="OperatorNormalizer"/>); the raw tag stays in <see cref="Tags"/>.</summary>
    public string? Operator { get; init; }

    /// <summary>The element's version, where the input carries it (Overpass <c>out meta</c>); null otherwise.</summary>
    public int? Version { get; init; }

    /// <summary>The element's last edit (UTC), where the input carries it.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>The element's last editor (OSM display name), where the input carries it.</summary>
    public string? User { get; init; }

    /// <summary>Station-level elements are not boarding places: stop positions and aerialway stations never are.</summary>
    public bool IsStation =>
        Tag("public_transport") != "stop_position"
        && Tag("aerialway") != "station"
        && (Tag("public_transport") == "station" || Tag("railway") == "station");

    /// <summary>The kind shown on the map and in popups.</summary>
    public string NodeType => Tag("public_transport") switch
    {
        "platform" => "platform",
        "stop_position" => "stop_position",
        "station" when Tag("aerialway") == "station" => "aerialway",
        "station" => "railway_station",
        _ when Tag("railway") == "station" => "railway_station",
        _ when Tag("railway") == "tram_stop" => "tram_stop",
        _ when Tag("amenity") == "ferry_terminal" => "ferry_terminal",
        _ when Tag("aerialway") == "station" => "aerialway",
        _ when Tag("highway") == "bus_stop" => "platform",
        _ => "other",
    };
}
