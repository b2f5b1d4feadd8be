using System.Globalization;
using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Sources.Atlas;
using StopSync.Jobs.Sources.Osm;
using static StopSync.Tests.Jobs.Matching.EngineTestData;

namespace StopSync.Tests.Jobs.Matching;

/// <summary>
/// Random but reproducible stop networks in Switzerland's shape, with the cases real data shows: stations of one to
/// five platforms around dense town centres, platforms with and without their stop positions, missing or wrong
/// uic_ref and local_ref, ATLAS duplicates, trios, tram stops, ways, station nodes, OSM-only and ATLAS-only stops, and
/// lines as route relations with timetable evidence. Property tests run the engine on it.
/// </summary>
internal sealed class SyntheticStopNetwork
{
    private const double MetersPerDegreeLat = 111_195;
    private readonly Random _random;
    private readonly List<AtlasPlatform> _atlas = [];
    private readonly List<OsmElement> _nodes = [];
    private readonly List<OsmElement> _ways = [];
    private readonly List<OsmRouteRelation> _relations = [];
    private readonly Dictionary<string, IReadOnlyList<AtlasRouteEvidence>> _evidence = new(StringComparer.Ordinal);
    private long _nextOsmId = 1_000_000;

    private SyntheticStopNetwork(int seed) => _random = new Random(seed);

    public static MatchingInput Generate(int seed, int stations)
    {
        var network = new SyntheticStopNetwork(seed);
        var towns = Enumerable.Range(0, Math.Max(1, stations / 60))
            .Select(_ => (Lat: network.Between(46.0, 47.6), Lon: network.Between(6.2, 10.2)))
            .ToList();
        var lineStops = new List<(string Sloid, List<string> OsmIds)>();
        for (var k = 0; k < stations; k++)
        {
            var town = towns[network._random.Next(towns.Count)];
            var spread = network._random.NextDouble() < 0.7 ? 1_500 : 6_000;
            var (lat, lon) = Offset(town.Lat, town.Lon, network.Gaussian() * spread, network.Gaussian() * spread);
            network.AddStation(k, lat, lon, lineStops);
        }

        network.AddLines(lineStops);
        return new MatchingInput(network._atlas, [.. network._nodes, .. network._ways], network._relations, network._evidence);
    }

    private void AddStation(int k, double lat, double lon, List<(string, List<string>)> lineStops)
    {
        var uic = (8_500_000 + k).ToString(CultureInfo.InvariantCulture);
        var name = $"Town{k % 97}, Stop {k}";
        var shortName = $"Stop {k % 41}";
        var kind = _random.NextDouble();
        if (kind < 0.04)
        {
            AddTrio(k, uic, name, lat, lon);
            return;
        }

        var platforms = kind < 0.5 ? 2 : 1 + _random.Next(5);
        var tram = _random.NextDouble() < 0.08;
        if (_random.NextDouble() < 0.1)
        {
            AddNode(lat, lon, ("public_transport", "station"), ("railway", "station"), Uic(uic), Name(name));
        }

        for (var p = 1; p <= platforms; p++)
        {
            var code = p.ToString(CultureInfo.InvariantCulture);
            var (pLat, pLon) = Offset(lat, lon, p * 9.0, _random.NextDouble() * 6);
            var sloid = $"ch:1:sloid:{k}:{code}";
            var designation = _random.NextDouble() < 0.2 ? "" : code;
            _atlas.Add(A(sloid, _random.NextDouble() < 0.02 ? "" : uic, designation, name, pLat, pLon, _random.NextDouble() < 0.3 ? "SBB" : "PAG"));
            if (_random.NextDouble() < 0.03)
            {
                _atlas.Add(A(sloid + "0", uic, designation, name, pLat + 0.00001, pLon, "PAG"));
            }

            var draw = _random.NextDouble();
            if (draw < 0.06)
            {
                continue; // ATLAS only
            }

            var members = new List<string>();
            var offset = draw < 0.85 ? 1 + (_random.NextDouble() * 8) : 20 + (_random.NextDouble() * 100);
            var (oLat, oLon) = Offset(pLat, pLon, Gaussian() * offset, Gaussian() * offset);
            var tags = new List<(string, string)> { tram ? TramStop : Platform, Name(_random.NextDouble() < 0.5 ? shortName : name) };
            if (_random.NextDouble() < 0.75)
            {
                tags.Add(Uic(_random.NextDouble() < 0.03 ? (8_500_000 + k + 1).ToString(CultureInfo.InvariantCulture) : uic));
            }

            if (_random.NextDouble() < 0.6)
            {
                tags.Add(UicName(name));
            }

            if (_random.NextDouble() < 0.7)
            {
                tags.Add(LocalRef(_random.NextDouble() < 0.05 ? "9" : code));
            }

            if (_random.NextDouble() < 0.02)
            {
                _ways.Add(O($"way_{_nextOsmId++}", oLat, oLon, [.. tags]));
                continue;
            }

            members.Add(AddNode(oLat, oLon, [.. tags]));
            if (_random.NextDouble() < 0.1)
            {
                members.Add(AddNode(oLat + 0.00003, oLon, [.. tags])); // an OSM duplicate
            }

            if (_random.NextDouble() < 0.5)
            {
                var (sLat, sLon) = Offset(oLat, oLon, 3 + (_random.NextDouble() * 8), _random.NextDouble() * 4);
                var sp = new List<(string, string)> { StopPosition, Name(shortName) };
                if (_random.NextDouble() < 0.7)
                {
                    sp.Add(Uic(uic));
                }

                if (_random.NextDouble() < 0.5)
                {
                    sp.Add(UicName(name));
                }

                members.Add(AddNode(sLat, sLon, [.. sp]));
            }

            lineStops.Add((sloid, members));
        }

        if (_random.NextDouble() < 0.05)
        {
            var (xLat, xLon) = Offset(lat, lon, 200, 200);
            AddNode(xLat, xLon, Platform, Name("OSM only"), ("highway", "bus_stop"));
        }
    }

    private void AddTrio(int k, string uic, string name, double lat, double lon)
    {
        _atlas.Add(A($"ch:1:sloid:{k}:1", uic, "", name, lat, lon));
        var (bLat, bLon) = Offset(lat, lon, 16, 0);
        _atlas.Add(A($"ch:1:sloid:{k}:2", uic, "", name, bLat, bLon));
        AddNode(lat + 0.00001, lon, Platform, Uic(uic), Name(name));
        var (mLat, mLon) = Offset(lat, lon, 8, 2);
        AddNode(mLat, mLon, StopPosition, Uic(uic), Name(name));
        AddNode(bLat, bLon + 0.00001, Platform, Uic(uic), Name(name));
    }

    /// <summary>Consecutive platforms form lines; OSM relations carry next year's route id, a third without direction.</summary>
    private void AddLines(List<(string Sloid, List<string> OsmIds)> stops)
    {
        var line = 0;
        for (var start = 0; start + 5 < stops.Count; start += 4 + _random.Next(6), line++)
        {
            var slice = stops.Skip(start).Take(6).ToList();
            var direction = _random.Next(2).ToString(CultureInfo.InvariantCulture);
            foreach (var (sloid, _) in slice)
            {
                var previous = _evidence.GetValueOrDefault(sloid, []);
                _evidence[sloid] = [.. previous, Evidence($"91-{line}-A-j25-1", direction, $"{slice[0].Sloid} → {slice[^1].Sloid}")];
            }

            var members = slice.SelectMany(s => s.OsmIds).ToArray();
            if (members.Length > 0)
            {
                _relations.Add(Relation($"r{line}", $"91-{line}-A-j26-1", _random.NextDouble() < 0.3 ? null : direction, members));
            }
        }
    }

    private string AddNode(double lat, double lon, params (string, string)[] tags)
    {
        var id = (_nextOsmId++).ToString(CultureInfo.InvariantCulture);
        _nodes.Add(O(id, lat, lon, tags));
        return id;
    }

    private double Between(double min, double max) => min + (_random.NextDouble() * (max - min));

    private double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());

    private static (double Lat, double Lon) Offset(double lat, double lon, double northMeters, double eastMeters) =>
        (lat + (northMeters / MetersPerDegreeLat), lon + (eastMeters / (MetersPerDegreeLat * Math.Cos(lat * Math.PI / 180))));
}
