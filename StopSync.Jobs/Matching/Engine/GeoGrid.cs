namespace StopSync.Jobs.Matching.Engine;

internal readonly record struct Neighbor(int Index, double Distance);

/// <summary>Exact radius queries; results come in index order, which the stages rely on for ties.</summary>
internal sealed class GeoGrid
{
    private const double CellDegreesLat = 0.001;
    private const double DegreesToRadians = Haversine.DegreesToRadians;

    private readonly double[] _latRad;
    private readonly double[] _lonRad;
    private readonly double[] _cosLat;
    private readonly double _cellDegreesLon;
    private readonly Dictionary<long, (int Start, int Count)> _cells = [];
    private readonly int[] _members;

    public GeoGrid(IReadOnlyList<double> lat, IReadOnlyList<double> lon, Func<int, bool>? include = null)
    {
        var n = lat.Count;
        _latRad = new double[n];
        _lonRad = new double[n];
        _cosLat = new double[n];
        var included = new List<int>(n);
        var latSum = 0.0;
        for (var i = 0; i < n; i++)
        {
            _latRad[i] = lat[i] * DegreesToRadians;
            _lonRad[i] = lon[i] * DegreesToRadians;
            _cosLat[i] = Math.Cos(_latRad[i]);
            if (include is null || include(i))
            {
                included.Add(i);
                latSum += lat[i];
            }
        }

        var meanLat = included.Count == 0 ? 0 : latSum / included.Count;
        _cellDegreesLon = CellDegreesLat / Math.Max(0.05, Math.Cos(meanLat * DegreesToRadians));
        var keys = new long[included.Count];
        for (var k = 0; k < included.Count; k++)
        {
            var i = included[k];
            keys[k] = Key(CellY(lat[i]), CellX(lon[i]));
        }

        // Sort by (cell, index) so each cell is one contiguous, index-ordered run.
        _members = [.. included];
        Array.Sort(keys, _members);
        var start = 0;
        for (var k = 1; k <= keys.Length; k++)
        {
            if (k == keys.Length || keys[k] != keys[start])
            {
                Array.Sort(_members, start, k - start);
                _cells[keys[start]] = (start, k - start);
                start = k;
            }
        }

        Count = included.Count;
    }

    public int Count { get; }

    /// <summary>The radius is inclusive.</summary>
    public void Within(double lat, double lon, double radiusMeters, List<Neighbor> result, Func<int, bool>? accept = null)
    {
        result.Clear();
        var query = new Query(this, lat, lon, radiusMeters);
        foreach (var (start, count) in query.Runs())
        {
            for (var k = start; k < start + count; k++)
            {
                var index = _members[k];
                var distance = query.DistanceTo(index);
                if (distance <= radiusMeters && (accept is null || accept(index)))
                {
                    result.Add(new Neighbor(index, distance));
                }
            }
        }

        if (result.Count > 1)
        {
            result.Sort(static (a, b) => a.Index.CompareTo(b.Index));
        }
    }

    public double? Nearest(double lat, double lon, double radiusMeters)
    {
        var best = double.PositiveInfinity;
        var query = new Query(this, lat, lon, radiusMeters);
        foreach (var (start, count) in query.Runs())
        {
            for (var k = start; k < start + count; k++)
            {
                best = Math.Min(best, query.DistanceTo(_members[k]));
            }
        }

        return best <= radiusMeters ? best : null;
    }

    /// <summary>Strictly closer, unlike <see cref="Within"/>.</summary>
    public bool AnyCloserThan(double lat, double lon, double distanceMeters, int exclude)
    {
        var query = new Query(this, lat, lon, distanceMeters);
        foreach (var (start, count) in query.Runs())
        {
            for (var k = start; k < start + count; k++)
            {
                if (_members[k] != exclude && query.DistanceTo(_members[k]) < distanceMeters)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private readonly struct Query
    {
        private readonly GeoGrid _grid;
        private readonly double _latRad;
        private readonly double _lonRad;
        private readonly double _cosLat;
        private readonly int _y0;
        private readonly int _y1;
        private readonly int _x0;
        private readonly int _x1;

        public Query(GeoGrid grid, double lat, double lon, double radiusMeters)
        {
            _grid = grid;
            _latRad = lat * DegreesToRadians;
            _lonRad = lon * DegreesToRadians;
            _cosLat = Math.Cos(_latRad);
            if (grid.Count == 0 || !(radiusMeters >= 0))
            {
                (_y0, _y1, _x0, _x1) = (0, -1, 0, -1);
                return;
            }

            // A point within r differs by at most r/R in latitude; in longitude by at most 2·asin(sin(r/2R)/cos φmax),
            // φmax being the box's latitude furthest from the equator. A small margin absorbs rounding.
            var angular = radiusMeters / Haversine.EarthRadiusMeters;
            var dLat = (angular / DegreesToRadians) + 1e-9;
            var maxAbsLat = Math.Min(89.9, Math.Abs(lat) + dLat);
            var ratio = Math.Sin(Math.Min(angular / 2, Math.PI / 2)) / Math.Cos(maxAbsLat * DegreesToRadians);
            var dLon = ratio >= 1 ? 180 : (2 * Math.Asin(ratio) / DegreesToRadians) + 1e-9;
            (_y0, _y1) = (CellY(lat - dLat), CellY(lat + dLat));
            (_x0, _x1) = (grid.CellX(lon - dLon), grid.CellX(lon + dLon));
        }

        public double DistanceTo(int index) =>
            Haversine.DistanceMeters(_grid._latRad[index], _grid._lonRad[index], _grid._cosLat[index], _latRad, _lonRad, _cosLat);

        public IEnumerable<(int Start, int Count)> Runs()
        {
            if (_y1 < _y0)
            {
                yield break;
            }

            var boxCells = ((double)(_y1 - _y0 + 1)) * (_x1 - _x0 + 1);
            if (boxCells > _grid._cells.Count)
            {
                // A huge radius: walking the populated cells is cheaper than walking the box.
                foreach (var (key, run) in _grid._cells)
                {
                    var (y, x) = ((int)(key >> 32), (int)(key & 0xFFFF_FFFF));
                    if (y >= _y0 && y <= _y1 && x >= _x0 && x <= _x1)
                    {
                        yield return run;
                    }
                }

                yield break;
            }

            for (var y = _y0; y <= _y1; y++)
            {
                for (var x = _x0; x <= _x1; x++)
                {
                    if (_grid._cells.TryGetValue(Key(y, x), out var run))
                    {
                        yield return run;
                    }
                }
            }
        }
    }

    private static int CellY(double lat) => (int)Math.Floor(lat / CellDegreesLat);

    private int CellX(double lon) => (int)Math.Floor(lon / _cellDegreesLon);

    private static long Key(int y, int x) => ((long)y << 32) | (uint)x;
}
