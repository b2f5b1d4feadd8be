using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StopSync.Data;
using StopSync.Jobs.Pipeline;
using StopSync.Jobs.Pipeline.AtlasImport;
using StopSync.Jobs.Pipeline.OsmImport;
using StopSync.Jobs.Pipeline.Publication;

namespace StopSync.Jobs.Hosting;

public static class JobsServiceCollectionExtensions
{
    /// <summary>Everything a pipeline run needs, without Hangfire (the <c>run-pipeline</c> command uses this alone).</summary>
    public static IServiceCollection AddStopSyncPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddStopSyncData(configuration);
        services.AddOptions<PipelineOptions>().Bind(configuration.GetSection(PipelineOptions.SectionName));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<AtlasCsvReader>();
        services.AddSingleton<OverpassXmlReader>();
        services.AddSingleton<DatasetPublisher>();
        services.AddScoped<PipelineRunner>();
        services.AddScoped<PipelineJob>();
        return services;
    }
}
