using StopSync.Jobs.Sources;
namespace StopSync.Jobs.Demo;

/// <summary>Each stage draws from its own seeded random source, so changing one leaves the others' bytes alone.</summary>
public static class DatasetGenerator
{
    public const int DefaultSeed = 20261129;
    public const string TruthFileName = "truth.csv";

    public static DatasetSummary Generate(string outputDirectory, DatasetSize size = DatasetSize.Demo, int seed = DefaultSeed)
    {
        Directory.CreateDirectory(outputDirectory);
        var profile = GeneratorProfile.For(size);

        var layout = new StopLayoutBuilder(profile, Stage(seed, 1)).Build();
        var atlas = new AtlasTableBuilder(profile, Stage(seed, 2)).Build(layout);
        var osm = new OsmMapBuilder(profile, Stage(seed, 3), new ImperfectionPlan(Stage(seed, 4))).Build(layout);
        var lines = new LinePlanner(profile, Stage(seed, 5)).Plan(layout);
        new RouteRelationBuilder(Stage(seed, 6)).Build(lines, osm);
        var truth = TruthWriter.Rows(atlas, osm);

        AtlasWriter.Write(Path.Combine(outputDirectory, SourceFileNames.Atlas), atlas);
        OsmWriter.Write(Path.Combine(outputDirectory, SourceFileNames.Osm), osm);
        var gtfs = GtfsWriter.Write(Path.Combine(outputDirectory, SourceFileNames.Gtfs), layout, lines);
        TruthWriter.Write(Path.Combine(outputDirectory, TruthFileName), truth);

        return new DatasetSummary(
            outputDirectory,
            size,
            seed,
            atlas.Count,
            atlas.Count(r => r.IsCurrentSwissPlatform),
            osm.Nodes.Count,
            osm.Ways.Count,
            osm.Relations.Count,
            gtfs,
            truth.Count,
            truth.GroupBy(t => t.Case, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal));
    }

    private static Random Stage(int seed, int stage) => new(unchecked((seed * 31) + stage));
}

public sealed record DatasetSummary(
    string Directory,
    DatasetSize Size,
    int Seed,
    int AtlasRows,
    int AtlasPlatforms,
    int OsmNodes,
    int OsmWays,
    int OsmRelations,
    GtfsCounts Gtfs,
    int TruthRows,
    IReadOnlyDictionary<string, int> TruthCases)
{
    public int OsmElements => OsmNodes + OsmWays;
}
