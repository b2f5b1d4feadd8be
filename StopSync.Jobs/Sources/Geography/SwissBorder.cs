using System.Text.Json;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;
using StopSync.Data.Geo;

namespace StopSync.Jobs.Sources.Geography;

/// <summary>Widened in a local metric plane, where a buffer is isotropic (docs/06-sources.md#the-swiss-border).</summary>
public sealed class SwissBorder
{
    public const double ToleranceMeters = 1_500;
    private const double MetersPerDegreeLat = 110_574;
    private static readonly double MetersPerDegreeLon = 111_320 * Math.Cos(46.8 * Math.PI / 180);
    private const string ResourceName = "StopSync.Jobs.Sources.Geography.switzerland.geojson";

    private static readonly JsonSerializerOptions GeoJson = new() { Converters = { new GeoJsonConverterFactory(Srid.Factory) } };

    private readonly IndexedPointInAreaLocator _locator;
    private readonly Envelope _envelope;

    public SwissBorder()
        : this(ToleranceMeters)
    {
    }

    private SwissBorder(double toleranceMeters)
    {
        var metric = Load().Copy();
        metric.Apply(new ToMetric());
        var area = metric.Buffer(toleranceMeters);
        _envelope = area.EnvelopeInternal;
        _locator = new IndexedPointInAreaLocator(area);
    }

    /// <summary>The border moved by <paramref name="meters"/>: outwards when positive, inwards when negative.</summary>
    public static SwissBorder WithTolerance(double meters) => new(meters);

    public bool Contains(double lat, double lon)
    {
        var point = new Coordinate(lon * MetersPerDegreeLon, lat * MetersPerDegreeLat);
        return _envelope.Contains(point) && _locator.Locate(point) != Location.Exterior;
    }

    private static Geometry Load()
    {
        using var stream = typeof(SwissBorder).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing.");
        var feature = JsonSerializer.Deserialize<IFeature>(stream, GeoJson)
            ?? throw new InvalidOperationException($"{ResourceName} holds no GeoJSON feature.");
        return feature.Geometry;
    }

    private sealed class ToMetric : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;
        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count; i++)
            {
                seq.SetX(i, seq.GetX(i) * MetersPerDegreeLon);
                seq.SetY(i, seq.GetY(i) * MetersPerDegreeLat);
            }
        }
    }
}
