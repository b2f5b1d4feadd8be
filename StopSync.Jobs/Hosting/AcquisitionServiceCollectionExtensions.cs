using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using StopSync.Jobs.Sources.Acquisition;

namespace StopSync.Jobs.Hosting;

public static class AcquisitionServiceCollectionExtensions
{
    public static IServiceCollection AddStopSyncAcquisition(this IServiceCollection services)
    {
        services.AddOptions<SourceOptions>().BindConfiguration(SourceOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SourceOptions>, SourceOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SourceCacheStore>();

        // Files are downloaded as sent: transparent decompression would make byte ranges and lengths disagree.
        services.AddHttpClient<SourceDownloader>(ConfigureClient)
            .ConfigurePrimaryHttpMessageHandler(sp => CreateHandler(sp, DecompressionMethods.None))
            .AddResilienceHandler("stopsync-source-downloads", ConfigureDownloadPipeline);

        // The Overpass answer is XML of a hundred megabytes and more; compressed it travels a fraction of that.
        services.AddHttpClient<OverpassClient>(ConfigureClient)
            .ConfigurePrimaryHttpMessageHandler(sp => CreateHandler(sp, DecompressionMethods.All))
            .AddResilienceHandler("stopsync-overpass", ConfigureOverpassPipeline);

        services.AddTransient<SourceAcquisition>();
        return services;
    }

    private static SourceOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<SourceOptions>>().Value;

    private static void ConfigureClient(IServiceProvider services, HttpClient client)
    {
        // The resilience pipeline owns the timeouts; HttpClient's own 100 s limit would cut every Overpass query.
        client.Timeout = Timeout.InfiniteTimeSpan;
        client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", Options(services).UserAgent);
    }

    private static SocketsHttpHandler CreateHandler(IServiceProvider services, DecompressionMethods decompression) => new()
    {
        ConnectTimeout = Options(services).ConnectTimeout,
        AllowAutoRedirect = true,
        AutomaticDecompression = decompression,
    };

    private static void ConfigureDownloadPipeline(ResiliencePipelineBuilder<HttpResponseMessage> builder, ResilienceHandlerContext context)
    {
        var options = Options(context.ServiceProvider);
        if (options.MaxRetries > 0)
        {
            // The default predicate retries network errors, attempt timeouts, 408, 429 and 5xx, and never a 404.
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                MaxDelay = TimeSpan.FromMinutes(2),
            });
        }

        builder.AddTimeout(options.RequestTimeout);
    }

    private static void ConfigureOverpassPipeline(ResiliencePipelineBuilder<HttpResponseMessage> builder, ResilienceHandlerContext context)
    {
        var options = Options(context.ServiceProvider);
        if (options.Osm.MaxRetries > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.Osm.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                Delay = options.Osm.RetryDelay,
                // 502 and 504 mean Overpass is overloaded or gave up; any other status is its verdict on the query.
                ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: HttpRequestException } => true,
                    { Result.StatusCode: HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout } => true,
                    _ => false,
                }),
            });
        }

        builder.AddTimeout(options.RequestTimeout);
    }
}
