using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StopSync.Data;
using StopSync.Data.Hosting;
using StopSync.Jobs.Exports;

namespace StopSync.Tests.Jobs.Exports;

/// <summary>
/// The jobs host's export part with a real Hangfire server on a test's Redis prefix: the web app's enqueued export jobs
/// run here as they run in StopSync.Jobs (the test host runs no Hangfire server of its own).
/// </summary>
internal sealed class ExportJobsHost : IAsyncDisposable
{
    private readonly IHost _host;

    private ExportJobsHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public static async Task<ExportJobsHost> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        builder.Services.AddStopSyncData();
        builder.Services.AddStopSyncRedis();
        builder.Services.AddStopSyncHangfire();
        builder.Services.AddStopSyncExportJobs();
        builder.Services.AddHangfireServer(o =>
        {
            o.ServerName = $"stopsync-test-exports:{Guid.NewGuid():N}";
            o.WorkerCount = 1;
        });
        var host = builder.Build();
        await host.StartAsync();
        return new ExportJobsHost(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        // As StopSyncAppFactory: Hangfire's static log provider must not outlive this host's logger factory.
        Hangfire.Logging.LogProvider.SetCurrentLogProvider(null);
    }
}
