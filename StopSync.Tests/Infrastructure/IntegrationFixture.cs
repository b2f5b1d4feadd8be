using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using StopSync.Data;
using StopSync.Data.Entities;
using StopSync.Jobs.Demo;
using StopSync.Jobs.Runs;
using StopSync.Jobs.Sources;

namespace StopSync.Tests.Infrastructure;

[CollectionDefinition(Name)]
public sealed class IntegrationGroup : ICollectionFixture<IntegrationFixture>
{
    public const string Name = "integration";
}

/// <summary>
/// One migrated PostGIS database with the demo dataset published by a real pipeline run, one Hangfire key prefix in
/// the real Redis, and the web app on both. Shared by the integration collection; dropped at the end.
/// </summary>
public sealed class IntegrationFixture : IAsyncLifetime
{
    private TestDatabase? _database;
    private StopSyncAppFactory? _factory;

    public string HangfirePrefix { get; } = $"stopsync-test:{Guid.NewGuid():N}:";

    /// <summary>The pipeline's Redis keys (status, lock) of this fixture; the web app reads the same ones.</summary>
    public string PipelinePrefix => HangfirePrefix + "pipeline:";
    public string DemoDirectory { get; } = Path.Combine(Path.GetTempPath(), $"stopsync-demo-{Guid.NewGuid():N}");
    public string ConnectionString => _database!.ConnectionString;
    public PipelineRun FirstRun { get; private set; } = null!;
    internal StopSyncAppFactory Factory => _factory!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        await using (var db = CreateDbContext())
        {
            await db.Database.MigrateAsync();
        }

        DatasetGenerator.Generate(DemoDirectory);
        FirstRun = await RunPipelineAsync(DemoAtlasPath, DemoOsmPath);
        _factory = new StopSyncAppFactory(StopSyncAppFactory.DefaultSettings(ConnectionString, HangfirePrefix));
        // Hangfire keeps one process-wide log provider, taken from the last host that started; other tests' hosts come and
        // go. Creating this app's Hangfire clients now binds its logger to this app's logger factory for good.
        _factory.Services.GetRequiredService<Hangfire.IRecurringJobManager>();
        _factory.Services.GetRequiredService<Hangfire.IBackgroundJobClient>();
        // The configured administrator exists before any test signs in (every app on this database shares it).
        await SignedInClient.WaitForAdministratorAsync(_factory);
    }

    public string DemoAtlasPath => Path.Combine(DemoDirectory, SourceFileNames.Atlas);
    public string DemoOsmPath => Path.Combine(DemoDirectory, SourceFileNames.Osm);
    public string DemoGtfsPath => Path.Combine(DemoDirectory, SourceFileNames.Gtfs);

    public StopSyncDbContext CreateDbContext() =>
        new(new DbContextOptionsBuilder<StopSyncDbContext>()
            .UseNpgsql(ConnectionString, o => o.UseNetTopologySuite())
            .UseSnakeCaseNamingConvention()
            .Options);

    public async Task<PipelineRun> RunPipelineAsync(string atlasPath, string osmPath, string? gtfsPath = null)
    {
        await using var services = PipelineServices.Create(ConnectionString, atlasPath, osmPath, gtfsPath ?? DemoGtfsPath, PipelinePrefix);
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PipelineRunner>().RunAsync("test", CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        await DeleteRedisKeysAsync(HangfirePrefix);
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        if (Directory.Exists(DemoDirectory))
        {
            Directory.Delete(DemoDirectory, recursive: true);
        }
    }

    internal static async Task DeleteRedisKeysAsync(string prefix)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(TestEnvironment.RedisConnectionString);
        foreach (var endpoint in redis.GetEndPoints())
        {
            var keys = redis.GetServer(endpoint).Keys(pattern: prefix + "*").ToArray();
            if (keys.Length > 0)
            {
                await redis.GetDatabase().KeyDeleteAsync(keys);
            }
        }
    }
}
