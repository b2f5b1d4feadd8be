namespace StopSync.Jobs.Demo;

public enum DatasetSize
{
    /// <summary>A few hundred platforms around twelve real towns; what run.sh, the Docker image and the tests use.</summary>
    Demo,

    /// <summary>About 5,000 platforms: fast enough for unit tests, big enough for the proportions to show.</summary>
    Small,

    /// <summary>The size of the real Swiss data: about 55,000 ATLAS platforms and two million GTFS stop times.</summary>
    Swiss,
}

internal sealed record GeneratorProfile
{
    public required DatasetSize Size { get; init; }

    /// <summary>Generated places are added until the layout has this many platforms; 0 keeps only the real towns.</summary>
    public required int TargetPlatforms { get; init; }

    /// <summary>The demo keeps each real town to its listed streets; bigger sizes add generated stops around them.</summary>
    public required bool RealTownsOnly { get; init; }

    public required int TramStopsPerTramTown { get; init; }

    public (int Min, int Max) RealTownExtraBusStops { get; init; }

    public required double AtlasDuplicateShare { get; init; }

    /// <summary>Rows the ATLAS filters remove, as shares of the platforms; the demo has four fixed rows instead.</summary>
    public required double BoardingAreaShare { get; init; }

    public required double ExpiredShare { get; init; }
    public required double ForeignShare { get; init; }

    public required double TripsScale { get; init; }

    public static GeneratorProfile For(DatasetSize size) => size switch
    {
        DatasetSize.Demo => new GeneratorProfile
        {
            Size = size,
            TargetPlatforms = 0,
            RealTownsOnly = true,
            TramStopsPerTramTown = 4,
            AtlasDuplicateShare = 0.04,
            BoardingAreaShare = 0,
            ExpiredShare = 0,
            ForeignShare = 0,
            TripsScale = 0.5,
        },
        DatasetSize.Small => new GeneratorProfile
        {
            Size = size,
            TargetPlatforms = 5_000,
            RealTownsOnly = false,
            TramStopsPerTramTown = 12,
            RealTownExtraBusStops = (15, 40),
            AtlasDuplicateShare = 0.006,
            BoardingAreaShare = 0.05,
            ExpiredShare = 0.03,
            ForeignShare = 0.04,
            TripsScale = 0.7,
        },
        DatasetSize.Swiss => new GeneratorProfile
        {
            Size = size,
            TargetPlatforms = 56_000,
            RealTownsOnly = false,
            TramStopsPerTramTown = 90,
            RealTownExtraBusStops = (70, 160),
            AtlasDuplicateShare = 0.006,
            BoardingAreaShare = 0.05,
            ExpiredShare = 0.03,
            ForeignShare = 0.04,
            TripsScale = 0.7,
        },
        _ => throw new ArgumentOutOfRangeException(nameof(size), size, "Unknown dataset size."),
    };
}
