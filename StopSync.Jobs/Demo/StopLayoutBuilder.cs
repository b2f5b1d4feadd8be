using System.Globalization;

namespace StopSync.Jobs.Demo;

/// <summary>Real towns first, then generated places: denser on the plateau, cable cars in the Alps.</summary>
internal sealed class StopLayoutBuilder
{
    private const double MinPlaceSpacingMeters = 2_500;
    private const double MinStopSpacingMeters = 150;

    private readonly GeneratorProfile _profile;
    private readonly Random _random;
    private readonly StopLayout _layout = new();
    private readonly PlaceNames _names;
    private readonly UicAllocator _uics;
    private readonly SpatialGrid _stopGrid = new(0.003);
    private readonly SpatialGrid _placeGrid = new(0.05);

    public StopLayoutBuilder(GeneratorProfile profile, Random random)
    {
        _profile = profile;
        _random = random;
        _names = new PlaceNames(random);
        _uics = new UicAllocator(random, _layout.AllocatedUics);
    }

    public StopLayout Build()
    {
        foreach (var town in RealTowns.All)
        {
            _uics.Reserve(town.StationUic);
        }

        foreach (var town in RealTowns.All)
        {
            AddRealTown(town);
        }

        while (_layout.Platforms.Count < _profile.TargetPlatforms)
        {
            AddGeneratedPlace();
        }

        return _layout;
    }

    private void AddRealTown(RealTown town)
    {
        var placeName = town.Name.Replace(" HB", "", StringComparison.Ordinal).Replace(" SBB", "", StringComparison.Ordinal);
        _names.Reserve(placeName);
        var language = SwissGeography.LanguageAt(town.Station);
        var place = AddPlace(placeName, town.Station, PlaceTier.City, language, _profile.RealTownsOnly ? 1_050 : 3_200, town.CityOperator);

        var station = AddServicePoint(place, town.StationUic, town.Name, StopKind.Rail, town.Station, TransportOperators.Sbb);
        AddRailPlatforms(station, town.RailPlatforms, demoGeometry: _profile.RealTownsOnly);

        var taken = new HashSet<string>(town.Streets, StringComparer.Ordinal);
        foreach (var street in town.Streets)
        {
            var position = FreeSpot(place, 150, 1_050);
            var stop = AddServicePoint(place, _uics.Bus(), $"{placeName}, {street}", StopKind.Bus, position, town.CityOperator);
            AddBusPlatforms(stop, 2, forceLetters: true);
        }

        if (town.HasTram)
        {
            for (var i = 0; i < _profile.TramStopsPerTramTown; i++)
            {
                var position = FreeSpot(place, 100, place.RadiusMeters);
                var stop = AddServicePoint(place, _uics.Bus(), $"{placeName}, {_names.NewStop(language, taken)}", StopKind.Tram, position, town.CityOperator);
                AddTramPlatforms(stop);
            }
        }

        if (!_profile.RealTownsOnly)
        {
            AddBusStops(place, _random.Next(_profile.RealTownExtraBusStops.Min, _profile.RealTownExtraBusStops.Max), taken);
            AddSecondaryStations(place);
        }
    }

    private void AddGeneratedPlace()
    {
        var centre = NewPlaceCentre();
        var draw = _random.NextDouble();
        var tier = draw < 0.012 ? PlaceTier.City : draw < 0.13 ? PlaceTier.Town : PlaceTier.Village;
        var language = SwissGeography.LanguageAt(centre);
        var busOperator = _random.NextDouble() < (tier == PlaceTier.Village ? 0.65 : 0.45)
            ? TransportOperators.PostAuto
            : TransportOperators.RegionalBus(language, _random);
        var radius = tier switch { PlaceTier.City => 3_000, PlaceTier.Town => 1_500, _ => 700 };
        var place = AddPlace(_names.NewPlace(language), centre, tier, language, radius, busOperator);
        var taken = new HashSet<string>(StringComparer.Ordinal);

        var railChance = tier switch
        {
            PlaceTier.City => 1.0,
            PlaceTier.Town => 0.85,
            _ => SwissGeography.IsMittelland(centre) ? 0.4 : 0.22,
        };
        if (_random.NextDouble() < railChance)
        {
            var station = AddServicePoint(place, _uics.Rail(), place.Name, StopKind.Rail, centre, RailOperator(centre, language));
            var tracks = tier switch
            {
                PlaceTier.City => _random.Next(4, 10),
                PlaceTier.Town => _random.Next(2, 6),
                _ => _random.NextDouble() < 0.6 ? 1 : 2,
            };
            AddRailPlatforms(station, tracks, demoGeometry: false);
            var stationStop = PlaceNames.StationStop(language);
            taken.Add(stationStop);
            var hubPosition = centre.Offset(60 + (_random.NextDouble() * 60), _random.NextDouble() * 360);
            var hub = AddServicePoint(place, _uics.Bus(), $"{place.Name}, {stationStop}", StopKind.Bus,
                SwissGeography.Contains(hubPosition) ? hubPosition : centre, busOperator);
            _stopGrid.Add(hub.Position);
            AddBusPlatforms(hub, tier == PlaceTier.Village ? 2 : _random.Next(2, 5), forceLetters: false);
        }

        var busStops = tier switch
        {
            PlaceTier.City => _random.Next(60, 140),
            PlaceTier.Town => _random.Next(10, 29),
            _ => 2 + _random.Next(4) + _random.Next(4),
        };
        AddBusStops(place, busStops, taken);
        if (tier == PlaceTier.City)
        {
            AddSecondaryStations(place);
        }

        if (tier != PlaceTier.City && SwissGeography.IsAlpine(centre) && _random.NextDouble() < 0.15)
        {
            AddAerialway(place);
        }
    }

    private void AddBusStops(Place place, int count, HashSet<string> taken)
    {
        for (var i = 0; i < count; i++)
        {
            var stopName = _names.NewStop(place.Language, taken);
            // Some ATLAS names have no space after the comma ("Niederrohrdorf,Gemeindezentrum").
            var separator = _random.NextDouble() < 0.05 ? "," : ", ";
            var stop = AddServicePoint(place, _uics.Bus(), place.Name + separator + stopName, StopKind.Bus,
                FreeSpot(place, 120, place.RadiusMeters), place.BusOperator);
            var draw = _random.NextDouble();
            AddBusPlatforms(stop, draw < 0.30 ? 1 : draw < 0.92 ? 2 : draw < 0.97 ? 3 : 4, forceLetters: false);
        }
    }

    private void AddSecondaryStations(Place place)
    {
        string[] suffixes = place.Language switch
        {
            LanguageRegion.French => ["Nord", "Ouest", "Est"],
            LanguageRegion.Italian => ["Nord", "Ovest", "Est"],
            _ => ["Nord", "West", "Ost"],
        };
        var count = _random.Next(1, 3);
        for (var i = 0; i < count; i++)
        {
            var position = FreeSpot(place, 1_500, 2_500);
            var station = AddServicePoint(place, _uics.Rail(), $"{place.Name} {suffixes[i]}", StopKind.Rail, position, RailOperator(position, place.Language));
            AddRailPlatforms(station, 2, demoGeometry: false);
        }
    }

    /// <summary>A valley and a mountain station, each with one platform; OSM maps both as station ways.</summary>
    private void AddAerialway(Place place)
    {
        var op = TransportOperators.AerialwayFor(place.Language);
        var (valleyName, mountainName) = place.Language switch
        {
            LanguageRegion.French => ("télécabine", "sommet"),
            LanguageRegion.Italian => ("funivia", "vetta"),
            _ => ("Talstation", "Bergstation"),
        };
        var valley = place.Centre.Offset(200 + (_random.NextDouble() * 300), _random.NextDouble() * 360);
        var mountain = valley.Offset(1_500 + (_random.NextDouble() * 2_500), _random.NextDouble() * 360);
        if (!SwissGeography.Contains(valley) || !SwissGeography.Contains(mountain))
        {
            return;
        }

        foreach (var (position, label) in new[] { (valley, valleyName), (mountain, mountainName) })
        {
            var stop = AddServicePoint(place, _uics.Rail(), $"{place.Name}, {label}", StopKind.Aerialway, position, op);
            _stopGrid.Add(position);
            AddPlatform(stop, $"{stop.ServicePointSloid}:0:1", "", "", "", position);
        }
    }

    private void AddRailPlatforms(ServicePoint station, int tracks, bool demoGeometry)
    {
        var trackBearing = _random.NextDouble() * 180;
        for (var track = 1; track <= tracks; track++)
        {
            // Platforms lie side by side, about 11 m apart, beside the station building.
            var position = demoGeometry
                ? station.Position.Offset(40 + (track * 12), 150)
                : station.Position.Offset(35, trackBearing + 90).Offset((track - ((tracks + 1) / 2.0)) * 11, trackBearing + 90);
            var area = ((track + 1) / 2).ToString(CultureInfo.InvariantCulture);
            var code = track.ToString(CultureInfo.InvariantCulture);
            AddPlatform(station, $"{station.ServicePointSloid}:{area}:{code}", code, code, $"{station.ServicePointSloid}:{area}", position);
        }
    }

    private void AddBusPlatforms(ServicePoint stop, int count, bool forceLetters)
    {
        // Two platforms face each other across the road; more than two line up along it, alternating sides.
        var road = forceLetters ? 90 : _random.NextDouble() * 180;
        var halfWidth = forceLetters ? 8 : 5 + (_random.NextDouble() * 4);
        var designationStyle = forceLetters ? 0 : _random.NextDouble() switch { < 0.22 => 0, < 0.35 => 1, _ => 2 };
        var sloidStyle = _random.NextDouble();
        for (var i = 0; i < count; i++)
        {
            var side = i % 2 == 0 ? road - 90 : road + 90;
            var along = count <= 2 ? (i == 1 && !forceLetters ? (_random.NextDouble() - 0.5) * 20 : 0) : (i - ((count - 1) / 2.0)) * 15;
            var position = stop.Position.Offset(halfWidth, side).Offset(along, road);
            var designation = designationStyle switch
            {
                0 => ((char)('A' + i)).ToString(),
                1 => (i + 1).ToString(CultureInfo.InvariantCulture),
                _ => "",
            };
            var operational = _random.NextDouble() < 0.4 ? (i + 1).ToString(CultureInfo.InvariantCulture) : "";
            var sloid = sloidStyle switch
            {
                < 0.60 => $"{stop.ServicePointSloid}:0:{_random.Next(1, 1_000_000).ToString(CultureInfo.InvariantCulture)}",
                < 0.85 => $"{stop.ServicePointSloid}::{(i + 1).ToString(CultureInfo.InvariantCulture)}",
                _ => $"{stop.ServicePointSloid}:1:{(i + 1).ToString(CultureInfo.InvariantCulture)}",
            };
            AddPlatform(stop, sloid, designation, operational, "", position);
        }
    }

    private void AddTramPlatforms(ServicePoint stop)
    {
        var road = _random.NextDouble() * 180;
        // The demo keeps designations everywhere so that every exact case is findable by number and local_ref.
        var letters = _random.NextDouble() < 0.5 || _profile.RealTownsOnly;
        for (var i = 0; i < 2; i++)
        {
            var position = stop.Position.Offset(5, road + (i == 0 ? -90 : 90));
            var code = (i + 1).ToString(CultureInfo.InvariantCulture);
            AddPlatform(stop, $"{stop.ServicePointSloid}:1:{code}", letters ? ((char)('A' + i)).ToString() : "", code, $"{stop.ServicePointSloid}:1", position);
        }
    }

    private void AddPlatform(ServicePoint stop, string sloid, string designation, string operational, string parentSloid, GeoPoint position)
    {
        // Random platform numbers can collide within a stop; a SLOID must stay unique.
        while (stop.Platforms.Any(p => p.Sloid == sloid))
        {
            sloid += "1";
        }

        // A stop right at the coarse border keeps its platforms on the Swiss side.
        if (!SwissGeography.Contains(position))
        {
            position = stop.Position;
        }

        var platform = new Platform(_layout.Platforms.Count, stop, sloid, designation, operational, parentSloid, position);
        stop.Platforms.Add(platform);
        _layout.Platforms.Add(platform);
    }

    private Place AddPlace(string name, GeoPoint centre, PlaceTier tier, LanguageRegion language, double radius, TransportOperator busOperator)
    {
        var place = new Place(_layout.Places.Count, name, centre, tier, language, radius, busOperator, Networks.At(centre));
        _layout.Places.Add(place);
        _placeGrid.Add(centre);
        return place;
    }

    private ServicePoint AddServicePoint(Place place, string uic, string name, StopKind kind, GeoPoint position, TransportOperator op)
    {
        var stop = new ServicePoint(_layout.ServicePoints.Count, place, uic, name, kind, position, op);
        _layout.ServicePoints.Add(stop);
        return stop;
    }

    /// <summary>A position inside Switzerland in the ring around the place centre, away from other stops when possible.</summary>
    private GeoPoint FreeSpot(Place place, double minMeters, double maxMeters)
    {
        var fallback = place.Centre;
        for (var attempt = 0; attempt < 60; attempt++)
        {
            // Square root: uniform over the disc rather than crowded at the centre.
            var distance = minMeters + (Math.Sqrt(_random.NextDouble()) * (maxMeters - minMeters));
            var candidate = place.Centre.Offset(distance, _random.NextDouble() * 360);
            // Keep a margin so the platforms around the stop stay inside too.
            if (!SwissGeography.Contains(candidate) || !Enumerable.Range(0, 4).All(i => SwissGeography.Contains(candidate.Offset(100, i * 90))))
            {
                continue;
            }

            fallback = candidate;
            if (!_stopGrid.AnyWithin(candidate, MinStopSpacingMeters))
            {
                _stopGrid.Add(candidate);
                return candidate;
            }
        }

        _stopGrid.Add(fallback);
        return fallback;
    }

    private GeoPoint NewPlaceCentre()
    {
        for (var attempt = 0; ; attempt++)
        {
            var candidate = new GeoPoint(
                SwissGeography.MinLat + (_random.NextDouble() * (SwissGeography.MaxLat - SwissGeography.MinLat)),
                SwissGeography.MinLon + (_random.NextDouble() * (SwissGeography.MaxLon - SwissGeography.MinLon)));
            if (!SwissGeography.Contains(candidate) || (!SwissGeography.IsMittelland(candidate) && _random.NextDouble() > 0.35))
            {
                continue;
            }

            // A village 2.5 km from the next one is about as close as real ones get; relax once the map fills up.
            var spacing = attempt < 300 ? MinPlaceSpacingMeters : MinPlaceSpacingMeters / 2;
            if (!_placeGrid.AnyWithin(candidate, spacing))
            {
                return candidate;
            }
        }
    }

    private TransportOperator RailOperator(GeoPoint position, LanguageRegion language)
    {
        if (_random.NextDouble() < 0.65)
        {
            return TransportOperators.Sbb;
        }

        return language switch
        {
            LanguageRegion.French => TransportOperators.RegionalRail[3],
            LanguageRegion.Italian => TransportOperators.RegionalRail[4],
            _ when position.Lon > 9.3 && position.Lat < 47.0 => TransportOperators.RegionalRail[2],
            _ when position.Lon < 8.0 => TransportOperators.RegionalRail[0],
            _ => TransportOperators.RegionalRail[1],
        };
    }
}

/// <summary>Hands out unique UIC numbers: rail and cable-car stations 8500100–8509999, bus and tram stops 8530000–8599999.</summary>
internal sealed class UicAllocator(Random random, HashSet<string> allocated)
{
    private int _nextRail = 8_500_100;
    private int _nextBus = 8_530_000;

    public void Reserve(string uic) => allocated.Add(uic);

    // Random small gaps leave unused numbers between neighbours, as in the real register.
    public string Rail() => Next(ref _nextRail, 8_509_999, 4);

    public string Bus() => Next(ref _nextBus, 8_599_999, 2);

    private string Next(ref int next, int last, int maxStep)
    {
        while (next <= last)
        {
            var uic = next.ToString(CultureInfo.InvariantCulture);
            next += 1 + random.Next(maxStep);
            if (allocated.Add(uic))
            {
                return uic;
            }
        }

        throw new InvalidOperationException("The UIC number range is exhausted; the profile asks for too many stops.");
    }
}

internal sealed class SpatialGrid(double cellDegrees)
{
    private readonly Dictionary<(int, int), List<GeoPoint>> _cells = [];

    public void Add(GeoPoint point)
    {
        var key = Cell(point);
        if (!_cells.TryGetValue(key, out var list))
        {
            _cells[key] = list = [];
        }

        list.Add(point);
    }

    public bool AnyWithin(GeoPoint point, double meters)
    {
        var reach = (int)Math.Ceiling(meters / 111_320 / cellDegrees / Math.Cos(point.Lat * Math.PI / 180));
        var (cx, cy) = Cell(point);
        for (var x = cx - reach; x <= cx + reach; x++)
        {
            for (var y = cy - reach; y <= cy + reach; y++)
            {
                if (_cells.TryGetValue((x, y), out var list) && list.Exists(p => p.DistanceMeters(point) < meters))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private (int, int) Cell(GeoPoint point) => ((int)Math.Floor(point.Lat / cellDegrees), (int)Math.Floor(point.Lon / cellDegrees));
}
