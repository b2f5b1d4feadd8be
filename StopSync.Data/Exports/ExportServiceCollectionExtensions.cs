using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StopSync.Data.Hosting;

namespace StopSync.Data.Exports;

public static class ExportServiceCollectionExtensions
{
    /// <summary>The export services both processes use; the data source and Redis are registered by the host.</summary>
    public static IServiceCollection AddStopSyncExports(this IServiceCollection services)
    {
        services.AddOptions<ExportOptions>().BindConfiguration(ExportOptions.SectionName)
            .Validate(o => !string.IsNullOrWhiteSpace(o.Directory), "Exports:Directory must not be empty")
            .Validate(o => o.RetentionHours > 0, "Exports:RetentionHours must be positive")
            .Validate(o => o.MaxRows >= 1, "Exports:MaxRows must be at least 1")
            .Validate(o => o.ChunkRows >= 1, "Exports:ChunkRows must be at least 1")
            .Validate(o => o.InlineRows >= 0, "Exports:InlineRows must not be negative")
            .Validate(o => o.CleanupIntervalMinutes > 0, "Exports:CleanupIntervalMinutes must be positive")
            .Validate(o => !string.IsNullOrWhiteSpace(o.KeyPrefix), "Exports:KeyPrefix must not be empty");
        services.TryAddSingleton(TimeProvider.System);
        services.AddStopSyncRedis();
        services.TryAddSingleton<ExportGenerator>();
        services.TryAddSingleton<ExportTaskStore>();
        services.TryAddSingleton<ExportFiles>();
        services.TryAddSingleton<ExportRunner>();
        return services;
    }
}
