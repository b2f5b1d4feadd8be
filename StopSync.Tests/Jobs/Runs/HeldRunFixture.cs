using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StopSync.Data;
using StopSync.Data.Entities;
using StopSync.Jobs.Demo;
using StopSync.Jobs.Runs;
using StopSync.Jobs.Sources;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Jobs.Runs;

/// <summary>
/// A migrated database of its own (held runs and the datasets these tests publish must not reach the integration
/// collection's), the demo dataset as local source files, and two shrunk copies of its Overpass answer.
/// </summary>
public sealed class HeldRunFixture : IAsyncLifetime
{
    private TestDatabase? _database;

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("stopsync-held-").FullName;
    public string HangfirePrefix { get; } = $"stopsync-test:{Guid.NewGuid():N}:";
    public string PipelinePrefix => HangfirePrefix + "pipeline:";
    public string ConnectionString => _database!.ConnectionString;
    public string AtlasPath => Path.Combine(Directory, "demo", SourceFileNames.Atlas);
    public string OsmPath => Path.Combine(Directory, "demo", SourceFileNames.Osm);
    public string GtfsPath => Path.Combine(Directory, "demo", SourceFileNames.Gtfs);

    /// <summary>The Overpass answer cut after half of its stop elements, still well-formed: what a truncated answer looks like.</summary>
    public string HalfOsmPath => Path.Combine(Directory, "osm-half.xml");

    /// <summary>The Overpass answer without one stop element in 25: an ordinary day's change, well under every limit.</summary>
    public string TrimmedOsmPath => Path.Combine(Directory, "osm-trimmed.xml");

    public async Task InitializeAsync()
    {
        _database = await CreateMigratedDatabaseAsync();
        DatasetGenerator.Generate(Path.Combine(Directory, "demo"));
        WriteOsm(OsmPath, HalfOsmPath, (index, count) => index < count / 2);
        WriteOsm(OsmPath, TrimmedOsmPath, (index, _) => index % 25 != 0);
    }

    public async Task DisposeAsync()
    {
        await IntegrationFixture.DeleteRedisKeysAsync(HangfirePrefix);
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }

    internal static async Task<TestDatabase> CreateMigratedDatabaseAsync()
    {
        var database = await TestDatabase.CreateAsync();
        await using var db = CreateDbContext(database.ConnectionString);
        await db.Database.MigrateAsync();
        return database;
    }

    public StopSyncDbContext CreateDbContext() => CreateDbContext(ConnectionString);

    public static StopSyncDbContext CreateDbContext(string connectionString) =>
        new(new DbContextOptionsBuilder<StopSyncDbContext>()
            .UseNpgsql(connectionString, o => o.UseNetTopologySuite())
            .UseSnakeCaseNamingConvention()
            .Options);

    /// <summary>The pipeline's services on the demo files, with <paramref name="osmPath"/> as the OSM source.</summary>
    public ServiceProvider Services(string bundles, string osmPath, Dictionary<string, string?>? extra = null, string? connectionString = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Pipeline:Bundles:Directory"] = bundles,
            ["Pipeline:Sources:CacheDirectory"] = Path.Combine(bundles, "..", Path.GetFileName(bundles) + "-cache"),
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return PipelineServices.Create(connectionString ?? ConnectionString, AtlasPath, osmPath, GtfsPath, PipelinePrefix, settings);
    }

    /// <summary>The jobs executable's settings for the same database, bundle directory and Redis keys.</summary>
    public Dictionary<string, string> CommandEnvironment(string bundles, string osmPath) => new()
    {
        ["ConnectionStrings__StopSync"] = ConnectionString,
        ["ConnectionStrings__Redis"] = TestEnvironment.RedisConnectionString,
        ["Pipeline__KeyPrefix"] = PipelinePrefix,
        ["Pipeline__Bundles__Directory"] = bundles,
        ["Pipeline__Sources__CacheDirectory"] = Path.Combine(bundles, "..", Path.GetFileName(bundles) + "-cache"),
        ["Pipeline__Sources__Atlas__Path"] = AtlasPath,
        ["Pipeline__Sources__Osm__Path"] = osmPath,
        ["Pipeline__Sources__Gtfs__Path"] = GtfsPath,
    };

    public static async Task<PipelineRun> RunAsync(IServiceProvider services, PipelineMode mode = PipelineMode.Full, string? bundle = null)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PipelineRunner>().RunAsync(PipelineTrigger.Manual, mode, bundle, CancellationToken.None);
    }

    /// <summary>Nodes and ways (the stop elements) kept where <paramref name="keep"/> says so; relations as they are.</summary>
    private static void WriteOsm(string source, string target, Func<int, int, bool> keep)
    {
        var document = XDocument.Load(source);
        var elements = document.Root!.Elements().Where(e => e.Name == "node" || e.Name == "way").ToList();
        for (var index = 0; index < elements.Count; index++)
        {
            if (!keep(index, elements.Count))
            {
                elements[index].Remove();
            }
        }

        document.Save(target);
    }
}
