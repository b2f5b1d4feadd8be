using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StopSync.Data;
using StopSync.Data.Jobs;
using StopSync.Data.Hosting;
using StopSync.Jobs.Pipeline;
using StopSync.Jobs.Pipeline.AtlasImport;
using StopSync.Jobs.Pipeline.Bundle;
using StopSync.Jobs.Pipeline.Geography;
using StopSync.Jobs.Pipeline.GtfsImport;
using StopSync.Jobs.Pipeline.OsmImport;
using StopSync.Jobs.Pipeline.Publication;

namespace StopSync.Jobs.Hosting;

public static class JobsServiceCollectionExtensions
{
    /// <summary>Everything a pipeline run needs, without Hangfire (the <c>run-pipeline</c> command uses this alone).</summary>
    public static IServiceCollection AddStopSyncPipeline(this IServiceCollection services)
    {
        services.AddStopSyncData();
        services.AddStopSyncRedis();
        services.AddSingleton<PipelineRunLock>();
        services.AddScoped<PipelineWatchdog>();
        services.AddStopSyncAcquisition();
        services.AddOptions<PipelineOptions>().BindConfiguration(PipelineOptions.SectionName);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<SwissBorder>();
        services.AddSingleton<OperatorNormalizer>();
        services.AddSingleton<AtlasCsvReader>();
        services.AddSingleton<OverpassXmlReader>();
        services.AddSingleton<GtfsReader>();
        services.AddSingleton<DatasetPublisher>();
        services.AddSingleton<ResultBundleStore>();
        services.AddScoped<PipelineRunner>();
        services.AddScoped<IPipelineJob, PipelineJob>();
        return services;
    }

    /// <summary>The pipeline plus a Hangfire server on Redis and the registrar of the recurring job.</summary>
    public static IServiceCollection AddStopSyncJobsServer(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddStopSyncPipeline();
        services.AddStopSyncRedis();
        services.AddStopSyncHangfire();
        services.AddHangfireServer(o =>
        {
            o.ServerName = $"stopsync-jobs:{Environment.MachineName}:{Environment.ProcessId}";
            o.WorkerCount = configuration.GetValue("Hangfire:WorkerCount", 2);
        });
        services.AddHostedService<PipelineWatchdogStartup>();
        services.AddHostedService<RecurringJobRegistrar>();
        return services;
    }
}
