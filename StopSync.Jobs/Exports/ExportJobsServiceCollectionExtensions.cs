using Microsoft.Extensions.DependencyInjection;
using StopSync.Data;
using StopSync.Data.Exports;
using StopSync.Data.Jobs;

namespace StopSync.Jobs.Exports;

public static class ExportJobsServiceCollectionExtensions
{
    /// <summary>The export job and its file cleanup; the Hangfire server that runs the job is registered by the host.</summary>
    public static IServiceCollection AddStopSyncExportJobs(this IServiceCollection services)
    {
        services.AddStopSyncExports();
        services.AddScoped<IExportJob, ExportJob>();
        services.AddSingleton<ExportCleanup>();
        services.AddHostedService(sp => sp.GetRequiredService<ExportCleanup>());
        return services;
    }
}
