namespace StopSync.Jobs.Matching;

/// <summary>The one distance formula, so a distance found by a radius query equals the one recorded for the match.</summary>
public static class Haversine
{
    public const double EarthRadiusMeters = 6_371_000;
    public const double DegreesToRadians = Math.PI / 180;

    public static double DistanceMeters(double lat1, double lon1, double lat2, double lon2)
    {
        var (phi1, phi2) = (lat1 * DegreesToRadians, lat2 * DegreesToRadians);
        return DistanceMeters(phi1, lon1 * DegreesToRadians, Math.Cos(phi1), phi2, lon2 * DegreesToRadians, Math.Cos(phi2));
    }

    /// <summary>On radians, with the latitudes' cosines precomputed (the spatial index keeps them per point).</summary>
    public static double DistanceMeters(double lat1, double lon1, double cos1, double lat2, double lon2, double cos2)
    {
        var sinLat = Math.Sin((lat2 - lat1) / 2);
        var sinLon = Math.Sin((lon2 - lon1) / 2);
        var a = (sinLat * sinLat) + (cos1 * cos2 * sinLon * sinLon);
        return 2 * EarthRadiusMeters * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }
}
