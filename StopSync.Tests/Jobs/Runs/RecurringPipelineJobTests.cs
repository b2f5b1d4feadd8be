using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StopSync.Data.Entities;
using StopSync.Data.Jobs;
using StopSync.Data.Status;
using StopSync.Jobs.Hosting;
using StopSync.Jobs.Runs;
using StopSync.Tests.Infrastructure;
using StopSync.Tests.Web;

namespace StopSync.Tests.Jobs.Runs;

/// <summary>The jobs host as it runs in production: a Hangfire server on the real Redis, pipeline on the real database.</summary>
[Collection(IntegrationGroup.Name)]
public sealed class RecurringPipelineJobTests(IntegrationFixture fixture)
{
    [Fact]
    public async Task JobsHost_RegistersThePipelineJob_AndRunsItOnceAtStartup()
    {
        var prefix = $"stopsync-test:{Guid.NewGuid():N}:";
        var started = DateTimeOffset.UtcNow;
        using var host = BuildHost(prefix);
        try
        {
            await host.StartAsync();
            var run = await WaitForRunAsync(started, TimeSpan.FromSeconds(60));
            using var connection = host.Services.GetRequiredService<JobStorage>().GetConnection();
            var recurring = connection.GetRecurringJobs().Single(j => j.Id == PipelineJobIds.Pipeline);
            var status = await host.Services.GetRequiredService<PipelineStatusStore>().ReadAsync();

            Assert.Equal(PipelineRunStatus.Succeeded, run.Status);
            Assert.NotNull(status.NextRunAt);
            Assert.Equal(run.Id, status.RunId);
            Assert.Equal("startup", run.Trigger);
            Assert.Equal("0 2 * * *", recurring.Cron);
            Assert.Equal("Europe/Zurich", recurring.TimeZoneId);
        }
        finally
        {
            await host.StopAsync();
            await IntegrationFixture.DeleteRedisKeysAsync(prefix);
            // See StopSyncAppFactory.DisposeAsync: the host's logger factory must not outlive it in Hangfire's static.
            Hangfire.Logging.LogProvider.SetCurrentLogProvider(null);
        }
    }

    [Fact]
    public async Task WebApp_TriggersThePipelineByJobId_RecordedAsManual_AndItsDashboardResolvesTheJob()
    {
        var prefix = $"stopsync-test:{Guid.NewGuid():N}:";
        using var host = BuildHost(prefix, runOnStartup: false);
        await using var web = new StopSyncAppFactory(StopSyncAppFactory.DefaultSettings(fixture.ConnectionString, prefix));
        try
        {
            await host.StartAsync();
            var started = DateTimeOffset.UtcNow;
            web.Services.GetRequiredService<IRecurringJobManager>().Trigger(PipelineJobIds.Pipeline);
            var run = await WaitForRunAsync(started, TimeSpan.FromSeconds(60));
            using var client = web.CreateClient();
            await DashboardAuthorizationTests.SignInAsync(client, "admin", StopSyncAppFactory.AdminPassword);
            var recurringPage = await client.GetStringAsync("/hangfire/recurring");

            Assert.Equal(PipelineRunStatus.Succeeded, run.Status);
            // "Trigger now" runs the recurring job with its stored argument ("scheduled"); the history must still say manual.
            Assert.Equal(PipelineTrigger.Manual, run.Trigger);
            Assert.Contains("IPipelineJob.RunAsync", recurringPage, StringComparison.Ordinal);
            Assert.DoesNotContain("Could not resolve", recurringPage, StringComparison.Ordinal);
        }
        finally
        {
            await host.StopAsync();
            await IntegrationFixture.DeleteRedisKeysAsync(prefix);
            // See StopSyncAppFactory.DisposeAsync: the host's logger factory must not outlive it in Hangfire's static.
            Hangfire.Logging.LogProvider.SetCurrentLogProvider(null);
        }
    }

    private IHost BuildHost(string prefix, bool runOnStartup = true)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:StopSync"] = fixture.ConnectionString,
            ["ConnectionStrings:Redis"] = TestEnvironment.RedisConnectionString,
            ["Hangfire:Prefix"] = prefix,
            ["Pipeline:KeyPrefix"] = prefix + "pipeline:",
            ["Pipeline:Sources:Atlas:Path"] = fixture.DemoAtlasPath,
            ["Pipeline:Sources:Osm:Path"] = fixture.DemoOsmPath,
            ["Pipeline:Sources:Gtfs:Path"] = fixture.DemoGtfsPath,
            ["Pipeline:Sources:CacheDirectory"] = Path.Combine(fixture.DemoDirectory, "cache"),
            ["Pipeline:RunOnStartup"] = runOnStartup ? "true" : "false",
        });
        builder.Services.AddStopSyncJobsServer(builder.Configuration);
        return builder.Build();
    }

    private async Task<PipelineRun> WaitForRunAsync(DateTimeOffset since, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            await using var db = fixture.CreateDbContext();
            var run = await db.PipelineRuns.AsNoTracking()
                .Where(r => r.StartedAt >= since && r.Status != PipelineRunStatus.Running)
                .OrderBy(r => r.StartedAt).FirstOrDefaultAsync();
            if (run is not null)
            {
                return run;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"No pipeline run finished within {timeout.TotalSeconds} s of the jobs host starting.");
    }
}
