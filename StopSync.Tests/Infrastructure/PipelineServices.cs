using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StopSync.Jobs.Hosting;

namespace StopSync.Tests.Infrastructure;

/// <summary>The jobs host's pipeline services on a test database, as the <c>run-pipeline</c> command builds them;
/// <c>replace</c> registers a test's own services after them.</summary>
internal static class PipelineServices
{
    public static ServiceProvider Create(
        string databaseConnectionString, string atlasPath, string osmPath, string gtfsPath, string pipelineKeyPrefix,
        IReadOnlyDictionary<string, string?>? extra = null, Action<IServiceCollection>? replace = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:StopSync"] = databaseConnectionString,
            ["Pipeline:Sources:Atlas:Path"] = atlasPath,
            ["Pipeline:Sources:Osm:Path"] = osmPath,
            ["Pipeline:Sources:Gtfs:Path"] = gtfsPath,
            ["Pipeline:Sources:CacheDirectory"] = Path.Combine(Path.GetDirectoryName(atlasPath)!, "cache"),
            ["Pipeline:Bundles:Directory"] = Path.Combine(Path.GetDirectoryName(atlasPath)!, "bundles"),
            ["ConnectionStrings:Redis"] = TestEnvironment.RedisConnectionString,
            ["Pipeline:KeyPrefix"] = pipelineKeyPrefix,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddStopSyncPipeline();
        // A test's own services (a step that fails on purpose) come last, so they win.
        replace?.Invoke(services);
        return services.BuildServiceProvider(validateScopes: true);
    }
}
