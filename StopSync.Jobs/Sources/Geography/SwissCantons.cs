using System.Text.Json;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.Distance;
using StopSync.Data.Geo;

namespace StopSync.Jobs.Sources.Geography;

/// <summary>
/// The canton of a point (docs/06-sources.md#cantons), from the generalised canton boundaries of the npm package
/// swiss-maps, embedded at build time. Works in a local metric plane, like <see cref="SwissBorder"/>, so that the
/// tolerance is a distance in metres. Thread-safe once constructed.
/// </summary>
public sealed class SwissCantons
{
    /// <summary>
    /// A point outside every canton but this close to one gets the nearest canton: lakes on a border, the generalised
    /// boundaries (off by up to a few hundred metres) and the 1.5 km tolerance of <see cref="SwissBorder"/>.
    /// </summary>
    public const double NearestToleranceMeters = 2_000;

    /// <summary>Two-letter codes in the order of the BFS canton numbers: <c>Codes[n - 1]</c> is canton number n.</summary>
    public static readonly IReadOnlyList<string> Codes =
    [
        "ZH", "BE", "LU", "UR", "SZ", "OW", "NW", "GL", "ZG", "FR", "SO", "BS", "BL",
        "SH", "AR", "AI", "SG", "GR", "AG", "TG", "TI", "VD", "VS", "NE", "GE", "JU",
    ];

    private const string ResourceName = "StopSync.Jobs.Sources.Geography.ch-combined.json";
    private const double MetersPerDegreeLat = 110_574;
    private static readonly double MetersPerDegreeLon = 111_320 * Math.Cos(46.8 * Math.PI / 180);

    private readonly STRtree<Canton> _index = new();
    private readonly Envelope _extent = new();

    public SwissCantons()
    {
        using var stream = typeof(SwissCantons).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing.");
        using var json = JsonDocument.Parse(stream);
        var cantons = Decode(json.RootElement);
        foreach (var (code, geometry) in cantons)
        {
            var canton = new Canton(code, geometry);
            // One empty-space query builds each locator's index now, so concurrent readers never race to build it.
            canton.Locator.Locate(new Coordinate(0, 0));
            // Each polygon of a canton is indexed on its own: a point then meets only the polygons around it.
            for (var i = 0; i < geometry.NumGeometries; i++)
            {
                _index.Insert(geometry.GetGeometryN(i).EnvelopeInternal, canton);
            }

            _extent.ExpandToInclude(geometry.EnvelopeInternal);
        }

        _extent.ExpandBy(NearestToleranceMeters);
        _index.Build();
        Count = cantons.Select(c => c.Code).Distinct(StringComparer.Ordinal).Count();
    }

    /// <summary>How many cantons the boundary data holds (26).</summary>
    public int Count { get; }

    /// <summary>The two-letter code of the canton holding the point, else of the nearest within 2 km, else null.</summary>
    public string? CantonOf(double lat, double lon)
    {
        var point = new Coordinate(lon * MetersPerDegreeLon, lat * MetersPerDegreeLat);
        if (!_extent.Contains(point))
        {
            return null;
        }

        var candidates = _index.Query(new Envelope(point));
        foreach (var canton in candidates)
        {
            if (canton.Locator.Locate(point) != Location.Exterior)
            {
                return canton.Code;
            }
        }

        return Nearest(point);
    }

    private string? Nearest(Coordinate point)
    {
        var around = new Envelope(point);
        around.ExpandBy(NearestToleranceMeters);
        var probe = Srid.Factory.CreatePoint(point);
        string? best = null;
        var bestDistance = NearestToleranceMeters;
        foreach (var canton in _index.Query(around).Distinct())
        {
            var distance = canton.Distance.Distance(probe);
            if (distance <= bestDistance)
            {
                (best, bestDistance) = (canton.Code, distance);
            }
        }

        return best;
    }

    /// <summary>
    /// TopoJSON: the shared arcs are delta-encoded integer positions (quantised) that the transform scales back to
    /// degrees; a ring lists arc indices, <c>~i</c> (negative) meaning arc i reversed, and consecutive arcs share their
    /// joining point.
    /// </summary>
    private static List<(string Code, Geometry Geometry)> Decode(JsonElement root)
    {
        var cantons = new List<(string, Geometry)>();
        var transform = root.GetProperty("transform");
        var scale = transform.GetProperty("scale");
        var translate = transform.GetProperty("translate");
        var (sx, sy) = (scale[0].GetDouble(), scale[1].GetDouble());
        var (tx, ty) = (translate[0].GetDouble(), translate[1].GetDouble());
        var arcs = new List<Coordinate[]>();
        foreach (var arc in root.GetProperty("arcs").EnumerateArray())
        {
            var points = new Coordinate[arc.GetArrayLength()];
            long x = 0, y = 0;
            var k = 0;
            foreach (var position in arc.EnumerateArray())
            {
                x += position[0].GetInt64();
                y += position[1].GetInt64();
                points[k++] = new Coordinate(((x * sx) + tx) * MetersPerDegreeLon, ((y * sy) + ty) * MetersPerDegreeLat);
            }

            arcs.Add(points);
        }

        foreach (var item in root.GetProperty("objects").GetProperty("cantons").GetProperty("geometries").EnumerateArray())
        {
            var number = item.GetProperty("id").GetInt32();
            if (number is < 1 or > 26)
            {
                throw new InvalidOperationException($"{ResourceName}: canton id {number} is not a BFS canton number (1..26).");
            }

            var code = Codes[number - 1];
            var parts = item.GetProperty("arcs");
            Polygon[] polygons = item.GetProperty("type").GetString() switch
            {
                "Polygon" => [Polygon(parts, arcs)],
                "MultiPolygon" => [.. parts.EnumerateArray().Select(p => Polygon(p, arcs))],
                var other => throw new InvalidOperationException($"{ResourceName}: canton {code} is a {other}, not a (multi)polygon."),
            };
            cantons.Add((code, polygons.Length == 1 ? polygons[0] : Srid.Factory.CreateMultiPolygon(polygons)));
        }

        return cantons;
    }

    private static Polygon Polygon(JsonElement rings, List<Coordinate[]> arcs)
    {
        var linear = rings.EnumerateArray().Select(r => Srid.Factory.CreateLinearRing(Ring(r, arcs))).ToList();
        return Srid.Factory.CreatePolygon(linear[0], [.. linear.Skip(1)]);
    }

    private static Coordinate[] Ring(JsonElement indices, List<Coordinate[]> arcs)
    {
        var ring = new List<Coordinate>();
        foreach (var value in indices.EnumerateArray())
        {
            var index = value.GetInt32();
            var arc = arcs[index < 0 ? ~index : index];
            var start = ring.Count == 0 ? 0 : 1;
            for (var i = start; i < arc.Length; i++)
            {
                ring.Add(arc[index < 0 ? arc.Length - 1 - i : i].Copy());
            }
        }

        return [.. ring];
    }

    private sealed class Canton(string code, Geometry geometry)
    {
        public string Code { get; } = code;
        public IndexedPointInAreaLocator Locator { get; } = new(geometry);
        public IndexedFacetDistance Distance { get; } = new(geometry);
    }
}
