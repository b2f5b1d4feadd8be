using StopSync.Jobs.Matching;

namespace StopSync.Jobs.Demo;

internal readonly record struct GeoPoint(double Lat, double Lon)
{
    private const double MetersPerDegreeLat = 111_320;

    /// <summary>The point <paramref name="meters"/> away towards <paramref name="bearingDegrees"/> (flat-earth, fine below a few km).</summary>
    public GeoPoint Offset(double meters, double bearingDegrees)
    {
        var bearing = bearingDegrees * Math.PI / 180;
        var dLat = meters * Math.Cos(bearing) / MetersPerDegreeLat;
        var dLon = meters * Math.Sin(bearing) / (MetersPerDegreeLat * Math.Cos(Lat * Math.PI / 180));
        return new GeoPoint(Lat + dLat, Lon + dLon);
    }

    public double DistanceMeters(GeoPoint other) => Haversine.DistanceMeters(Lat, Lon, other.Lat, other.Lon);

    public double BearingTo(GeoPoint other)
    {
        var dNorth = other.Lat - Lat;
        var dEast = (other.Lon - Lon) * Math.Cos(Lat * Math.PI / 180);
        var degrees = Math.Atan2(dEast, dNorth) * 180 / Math.PI;
        return degrees < 0 ? degrees + 360 : degrees;
    }
}

/// <summary>swisstopo's approximate WGS84 → LV95 formulas (about 1 m accuracy; enough for generated columns).</summary>
internal static class Lv95
{
    public static (double East, double North) FromWgs84(GeoPoint point)
    {
        var phi = ((point.Lat * 3600) - 169028.66) / 10000;
        var lambda = ((point.Lon * 3600) - 26782.5) / 10000;
        var east = 2600072.37 + (211455.93 * lambda) - (10938.51 * lambda * phi) - (0.36 * lambda * phi * phi) - (44.54 * lambda * lambda * lambda);
        var north = 1200147.07 + (308807.95 * phi) + (3745.25 * lambda * lambda) + (76.63 * phi * phi)
            - (194.56 * lambda * lambda * phi) + (119.79 * phi * phi * phi);
        return (east, north);
    }
}
