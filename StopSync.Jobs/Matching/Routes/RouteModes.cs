namespace StopSync.Jobs.Matching.Routes;

/// <summary>One scale for GTFS route types and OSM route tags, so the metadata check compares like with like.</summary>
public static class RouteModes
{
    public const string Bus = "bus";
    public const string Tram = "tram";
    public const string Rail = "rail";
    public const string Metro = "metro";
    public const string Ferry = "ferry";
    public const string Aerialway = "aerialway";
    public const string Funicular = "funicular";
    public const string Other = "other";

    /// <summary>Basic GTFS types 0–12 and the extended (Google) types the Swiss feed uses (100–1700).</summary>
    public static string FromGtfsRouteType(string? routeType)
    {
        if (!int.TryParse(routeType?.Trim(), out var type))
        {
            return Other;
        }

        return type switch
        {
            0 or 5 => Tram,
            1 => Metro,
            2 or 12 => Rail,
            3 or 11 => Bus,
            4 => Ferry,
            6 => Aerialway,
            7 => Funicular,
            >= 100 and < 200 => Rail,
            >= 200 and < 300 => Bus,
            >= 400 and < 500 => Metro,
            >= 700 and < 900 => Bus,
            >= 900 and < 1000 => Tram,
            >= 1000 and < 1300 => Ferry,
            >= 1300 and < 1400 => Aerialway,
            1400 => Funicular,
            _ => Other,
        };
    }

    /// <summary>The <c>route</c> (or <c>route_master</c>) tag of an OSM relation.</summary>
    public static string FromOsmRoute(string? route) => route?.Trim() switch
    {
        "bus" or "trolleybus" or "coach" or "share_taxi" => Bus,
        "tram" or "light_rail" => Tram,
        "train" or "railway" or "rail" or "monorail" => Rail,
        "subway" => Metro,
        "ferry" or "boat" => Ferry,
        "aerialway" or "gondola" or "chair_lift" or "cable_car" => Aerialway,
        "funicular" => Funicular,
        _ => Other,
    };
}
