using StopSync.Tests.Infrastructure;
using StopSync.Tests.Jobs.Exports;

namespace StopSync.Tests.Web.Exports;

/// <summary>
/// The web app on the integration database (the demo dataset, published by a real run) with its own Redis prefix and
/// export directory, and a Hangfire server running the export job. Exports above <see cref="InlineRows"/> rows go
/// through the job.
/// </summary>
internal sealed class ReportExportFixture : IAsyncDisposable
{
    public const int InlineRows = 50;

    private ReportExportFixture(StopSyncAppFactory factory, ExportJobsHost jobs, string prefix, string directory)
    {
        Factory = factory;
        Jobs = jobs;
        Prefix = prefix;
        Directory = directory;
    }

    public StopSyncAppFactory Factory { get; }
    public ExportJobsHost Jobs { get; }
    public string Prefix { get; }
    public string Directory { get; }

    public static async Task<ReportExportFixture> StartAsync(IntegrationFixture integration, bool withJobs = true)
    {
        var prefix = $"stopsync-test:{Guid.NewGuid():N}:";
        var directory = Path.Combine(Path.GetTempPath(), $"stopsync-exports-{Guid.NewGuid():N}");
        var settings = Settings(integration.ConnectionString, prefix, directory);
        var factory = new StopSyncAppFactory(settings);
        var jobs = withJobs ? await ExportJobsHost.StartAsync(settings) : null;
        return new ReportExportFixture(factory, jobs!, prefix, directory);
    }

    public static Dictionary<string, string?> Settings(string connectionString, string prefix, string directory)
    {
        var settings = StopSyncAppFactory.DefaultSettings(connectionString, prefix);
        settings["Exports:Directory"] = directory;
        settings["Exports:KeyPrefix"] = prefix + "exports:";
        settings["Exports:InlineRows"] = InlineRows.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Exports:MaxRows"] = "100000";
        return settings;
    }

    public async ValueTask DisposeAsync()
    {
        if (Jobs is not null)
        {
            await Jobs.DisposeAsync();
        }

        await Factory.DisposeAsync();
        await IntegrationFixture.DeleteRedisKeysAsync(Prefix);
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
