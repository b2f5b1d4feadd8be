using Hangfire;
using Hangfire.Redis.StackExchange;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StackExchange.Redis;
using StopSync.Data.Status;

namespace StopSync.Data.Hosting;

public static class RedisServiceCollectionExtensions
{
    public const string ConnectionStringName = "Redis";
    public const string DefaultHangfirePrefix = "stopsync:hangfire:";

    public static IServiceCollection AddStopSyncRedis(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PipelineStatusStore>();
        services.TryAddSingleton<IConnectionMultiplexer>(sp =>
        {
            var connectionString = sp.GetRequiredService<IConfiguration>().GetConnectionString(ConnectionStringName)
                ?? throw new InvalidOperationException(
                    $"Connection string '{ConnectionStringName}' is missing: set ConnectionStrings__{ConnectionStringName}.");
            var options = ConfigurationOptions.Parse(connectionString);
            // Start even while Redis is down: pages that do not need it (docs, health) keep working and it reconnects.
            options.AbortOnConnectFail = false;
            return ConnectionMultiplexer.Connect(options);
        });
        return services;
    }

    // The key prefix is configurable because tests use one per run.
    public static IServiceCollection AddStopSyncHangfire(this IServiceCollection services)
    {
        services.AddHangfire((sp, config) => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseRedisStorage(sp.GetRequiredService<IConnectionMultiplexer>(), new RedisStorageOptions { Prefix = sp.GetRequiredService<IConfiguration>()["Hangfire:Prefix"] ?? DefaultHangfirePrefix }));
        return services;
    }
}
