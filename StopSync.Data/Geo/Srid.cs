using NetTopologySuite;
using NetTopologySuite.Geometries;

namespace StopSync.Data.Geo;

public static class Srid
{
    /// <summary>WGS 84 longitude/latitude, the SRID of every stored geometry.</summary>
    public const int Wgs84 = 4326;

    /// <summary>The one factory for stored points: X is longitude, Y is latitude.</summary>
    public static GeometryFactory Factory { get; } = NtsGeometryServices.Instance.CreateGeometryFactory(Wgs84);

    public static Point Point(double lat, double lon) => Factory.CreatePoint(new Coordinate(lon, lat));
}
