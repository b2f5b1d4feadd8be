using StopSync.Jobs.Sources.Geography;

namespace StopSync.Jobs.Demo;

/// <summary>A coarse outline a few kilometres inside the real border, so every point inside it is Swiss.</summary>
internal static class SwissGeography
{
    // Clockwise from Geneva: up the Jura, along the Rhine and Lake Constance, down the Rhine valley, round Graubünden,
    // Ticino and Valais, then back along the north shore of Lake Geneva.
    private static readonly GeoPoint[] Outline =
    [
        new(46.180, 6.080), new(46.225, 6.100), new(46.260, 6.145), new(46.290, 6.165), new(46.330, 6.190),
        new(46.480, 6.160), new(46.730, 6.420), new(46.930, 6.550), new(47.070, 6.780), new(47.200, 6.930),
        new(47.330, 7.050), new(47.380, 7.000), new(47.450, 7.020), new(47.470, 7.120), new(47.420, 7.230),
        new(47.390, 7.420), new(47.490, 7.530), new(47.555, 7.565), new(47.575, 7.600), new(47.575, 7.645),
        new(47.548, 7.640), new(47.535, 7.800), new(47.535, 8.050), new(47.560, 8.300), new(47.565, 8.500),
        new(47.630, 8.650), new(47.640, 8.900), new(47.635, 9.150), new(47.550, 9.380), new(47.470, 9.500),
        new(47.440, 9.600), new(47.330, 9.550), new(47.170, 9.440), new(47.080, 9.430), new(47.010, 9.550),
        new(46.930, 9.880), new(46.820, 10.300), new(46.620, 10.380), new(46.660, 10.220), new(46.630, 10.050),
        new(46.560, 9.960), new(46.430, 9.990), new(46.400, 9.720), new(46.530, 9.320), new(46.450, 9.190),
        new(46.250, 9.120), new(46.180, 9.050), new(46.030, 9.030), new(45.900, 9.040), new(45.860, 9.020),
        new(45.870, 8.960), new(45.930, 8.920), new(45.990, 8.930), new(46.000, 8.870), new(46.150, 8.760),
        new(46.200, 8.650), new(46.300, 8.500), new(46.470, 8.450), new(46.500, 8.250), new(46.280, 8.050),
        new(46.150, 7.950), new(46.000, 7.750), new(46.020, 7.400), new(45.950, 7.170), new(46.080, 7.080),
        new(46.200, 6.970), new(46.320, 6.950), new(46.400, 6.940), new(46.440, 6.910), new(46.470, 6.840),
        new(46.510, 6.630), new(46.520, 6.500), new(46.470, 6.340), new(46.400, 6.240), new(46.205, 6.180),
        new(46.170, 6.140),
    ];

    private static readonly GeoPoint[][] Holes =
    [
        // Lake Neuchâtel, Lake Zurich, Lake Thun, and Lake Lugano around Campione d'Italia.
        [new(46.790, 6.640), new(46.985, 6.950), new(46.960, 6.980), new(46.770, 6.670)],
        [
            new(47.362, 8.548), new(47.318, 8.578), new(47.268, 8.645), new(47.238, 8.712), new(47.222, 8.790),
            new(47.212, 8.780), new(47.224, 8.700), new(47.255, 8.635), new(47.302, 8.570), new(47.355, 8.542),
        ],
        [new(46.750, 7.645), new(46.690, 7.860), new(46.675, 7.845), new(46.735, 7.630)],
        [new(45.950, 8.955), new(45.950, 8.990), new(45.990, 8.990), new(45.990, 8.955)],
    ];

    // The densely settled plateau between Lake Geneva and Lake Constance.
    private static readonly GeoPoint[] Mittelland =
    [
        new(46.150, 6.050), new(46.450, 6.800), new(46.800, 7.200), new(46.950, 7.800), new(47.050, 8.400),
        new(47.200, 9.100), new(47.400, 9.600), new(47.700, 9.300), new(47.620, 8.500), new(47.550, 7.600),
        new(47.350, 7.200), new(47.050, 6.700), new(46.600, 6.200),
    ];

    public static double MinLat { get; } = Outline.Min(p => p.Lat);
    public static double MaxLat { get; } = Outline.Max(p => p.Lat);
    public static double MinLon { get; } = Outline.Min(p => p.Lon);
    public static double MaxLon { get; } = Outline.Max(p => p.Lon);

    // Generated stops also keep clear of the real border the pipeline filters with, so none is filtered away.
    private static readonly SwissBorder RealBorder = SwissBorder.WithTolerance(-300);

    public static bool Contains(GeoPoint point) =>
        Inside(Outline, point) && !Holes.Any(h => Inside(h, point)) && RealBorder.Contains(point.Lat, point.Lon);

    public static bool IsMittelland(GeoPoint point) => Inside(Mittelland, point);

    /// <summary>South of the plateau and north of the Ticino lakes: where villages get cable cars.</summary>
    public static bool IsAlpine(GeoPoint point) => !IsMittelland(point) && point.Lat is > 46.25 and < 46.95 && point.Lon > 7.0;

    /// <summary>A rough language split, enough to pick names and operators that sound right.</summary>
    public static LanguageRegion LanguageAt(GeoPoint point) => point switch
    {
        { Lon: < 7.1 } => LanguageRegion.French,
        { Lon: < 7.35, Lat: < 46.95 } => LanguageRegion.French,
        { Lon: < 7.55, Lat: < 46.35 } => LanguageRegion.French,
        { Lon: > 8.4, Lat: < 46.45 } => LanguageRegion.Italian,
        _ => LanguageRegion.German,
    };

    /// <summary>Even-odd ray casting; the polygons are small, so no index is needed.</summary>
    private static bool Inside(GeoPoint[] polygon, GeoPoint point)
    {
        var inside = false;
        for (int i = 0, j = polygon.Length - 1; i < polygon.Length; j = i++)
        {
            var a = polygon[i];
            var b = polygon[j];
            if ((a.Lat > point.Lat) != (b.Lat > point.Lat)
                && point.Lon < ((b.Lon - a.Lon) * (point.Lat - a.Lat) / (b.Lat - a.Lat)) + a.Lon)
            {
                inside = !inside;
            }
        }

        return inside;
    }
}

internal enum LanguageRegion
{
    German,
    French,
    Italian,
}
