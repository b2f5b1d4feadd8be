using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StopSync.Data;
using StopSync.Data.Hosting;
using StopSync.Data.Jobs;
using StopSync.Jobs.Bundles;
using StopSync.Jobs.Exports;
using StopSync.Jobs.History;
using StopSync.Jobs.Publication;
using StopSync.Jobs.Runs;
using StopSync.Jobs.Sources.Atlas;
using StopSync.Jobs.Sources.Geography;
using StopSync.Jobs.Sources.Gtfs;
using StopSync.Jobs.Sources.Osm;

namespace StopSync.Jobs.Hosting;

public static class JobsServiceCollectionExtensions
{
    // Without Hangfire: the run-pipeline command uses this alone.
    public static IServiceCollection AddStopSyncPipeline(this IServiceCollection services)
    {
        services.AddStopSyncData();
        services.AddStopSyncRedis();
        services.AddSingleton<PipelineRunLock>();
        services.AddScoped<PipelineWatchdog>();
        services.AddStopSyncAcquisition();
        services.AddOptions<PipelineOptions>().BindConfiguration(PipelineOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PipelineOptions>, PipelineOptionsValidator>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<SwissBorder>();
        services.AddSingleton<SwissCantons>();
        services.AddSingleton<OperatorNormalizer>();
        services.AddSingleton<AtlasCsvReader>();
        services.AddSingleton<OverpassXmlReader>();
        services.AddSingleton<GtfsReader>();
        services.AddSingleton<DatasetPublisher>();
        services.AddSingleton<PublicationHistory>();
        services.AddSingleton<PublicationStatisticsWriter>();
        services.AddSingleton<RunComparer>();
        services.AddSingleton<ResultBundleStore>();
        services.AddScoped<ShrinkGuard>();
        services.AddScoped<RunHistory>();
        services.AddScoped<MatchingPhases>();
        services.AddScoped<PipelineRunner>();
        services.AddScoped<HeldRuns>();
        services.AddScoped<IPipelineJob, PipelineJob>();
        return services;
    }

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
        services.AddScoped<RecurringJobRegistrar>();
        services.AddHostedService<PipelineHousekeeping>();
        services.AddStopSyncExportJobs();
        return services;
    }
}
