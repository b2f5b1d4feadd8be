using System.Diagnostics;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
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
            await WaitForRecurringJobAsync(host);
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

    [Fact]
    public async Task TriggerNow_TwiceWhileTheFirstRunIsActive_GivesOneRun_AndOneSkippedWithinASecond()
    {
        var prefix = $"stopsync-test:{Guid.NewGuid():N}:";
        using var host = BuildHost(prefix, runOnStartup: false, new() { ["Pipeline:Publication:LockTimeoutSeconds"] = "120" });
        var recurring = (IRecurringJobManagerV2)host.Services.GetRequiredService<IRecurringJobManager>();
        try
        {
            await host.StartAsync();
            await WaitForRecurringJobAsync(host);
            var since = DateTimeOffset.UtcNow;
            string first, second;
            TimeSpan untilSkipped;
            await using (await HoldSwapAsync())
            {
                first = recurring.TriggerJob(PipelineJobIds.Pipeline);
                await WaitForPhaseAsync(host, PipelinePhases.Publish);
                var clicked = Stopwatch.StartNew();
                second = recurring.TriggerJob(PipelineJobIds.Pipeline);
                await WaitForRunsAsync(since, r => r.Status == PipelineRunStatus.Skipped, 1, TimeSpan.FromSeconds(30));
                untilSkipped = clicked.Elapsed;
                Assert.Equal(HangfireStates.Succeeded, await WaitForJobStateAsync(host, second));
            }

            var runs = await WaitForRunsAsync(since, r => r.Status != PipelineRunStatus.Running, 2, TimeSpan.FromSeconds(60));

            Assert.True(untilSkipped < SkipBudget, $"the second trigger was recorded as skipped only after {untilSkipped.TotalSeconds:F1} s");
            Assert.Equal([PipelineRunStatus.Succeeded, PipelineRunStatus.Skipped], runs.Select(r => r.Status));
            Assert.All(runs, r => Assert.Equal(PipelineTrigger.Manual, r.Trigger));
            Assert.Equal(PipelineRunner.SkippedMessage, runs[1].Message);
            Assert.Equal(HangfireStates.Succeeded, await WaitForJobStateAsync(host, first));
            AssertRanOnce(host, second);
        }
        finally
        {
            await StopAsync(host, prefix);
        }
    }

    [Fact]
    public async Task DataPageRun_AndCommandLine_WhileARunIsActive_AreRecordedSkipped_AndTheirHangfireJobSucceeds()
    {
        var prefix = $"stopsync-test:{Guid.NewGuid():N}:";
        using var host = BuildHost(prefix, runOnStartup: false, new() { ["Pipeline:Publication:LockTimeoutSeconds"] = "120" });
        var jobs = host.Services.GetRequiredService<IBackgroundJobClient>();
        try
        {
            await host.StartAsync();
            var since = DateTimeOffset.UtcNow;
            await using (await HoldSwapAsync())
            {
                // What the Data page's "Run now" enqueues, twice.
                jobs.Enqueue<IPipelineJob>(job => job.RunAsync(PipelineTrigger.Manual, null, CancellationToken.None));
                await WaitForPhaseAsync(host, PipelinePhases.Publish);
                var clicked = Stopwatch.StartNew();
                var manual = jobs.Enqueue<IPipelineJob>(job => job.RunAsync(PipelineTrigger.Manual, null, CancellationToken.None));
                var skipped = await WaitForRunsAsync(since, r => r.Status == PipelineRunStatus.Skipped, 1, TimeSpan.FromSeconds(30));
                var untilSkipped = clicked.Elapsed;
                var (exitCode, output) = await JobsExecutable.RunAsync(new Dictionary<string, string>
                {
                    ["ConnectionStrings__StopSync"] = fixture.ConnectionString,
                    ["ConnectionStrings__Redis"] = TestEnvironment.RedisConnectionString,
                    ["Pipeline__KeyPrefix"] = prefix + "pipeline:",
                    ["Pipeline__Sources__Atlas__Path"] = fixture.DemoAtlasPath,
                    ["Pipeline__Sources__Osm__Path"] = fixture.DemoOsmPath,
                    ["Pipeline__Sources__Gtfs__Path"] = fixture.DemoGtfsPath,
                }, "run-pipeline");

                Assert.True(untilSkipped < SkipBudget, $"the Data page's run was recorded as skipped only after {untilSkipped.TotalSeconds:F1} s");
                Assert.Equal(PipelineTrigger.Manual, Assert.Single(skipped).Trigger);
                Assert.Equal(HangfireStates.Succeeded, await WaitForJobStateAsync(host, manual));
                AssertRanOnce(host, manual);
                Assert.Equal(2, exitCode);
                Assert.Contains(PipelineRunner.SkippedMessage, output, StringComparison.Ordinal);
            }

            var runs = await WaitForRunsAsync(since, r => r.Status != PipelineRunStatus.Running, 3, TimeSpan.FromSeconds(60));
            Assert.Equal([PipelineRunStatus.Succeeded, PipelineRunStatus.Skipped, PipelineRunStatus.Skipped], runs.Select(r => r.Status));
        }
        finally
        {
            await StopAsync(host, prefix);
        }
    }

    [Fact]
    public async Task EnsureRegistered_RecreatesTheRecurringJob_WithTheConfiguredCron_AfterRedisLostIt()
    {
        var prefix = $"stopsync-test:{Guid.NewGuid():N}:";
        using var host = BuildHost(prefix, runOnStartup: false, new() { ["Pipeline:Schedule:Cron"] = "30 3 * * *" });
        try
        {
            await using var scope = host.Services.CreateAsyncScope();
            var registrar = scope.ServiceProvider.GetRequiredService<RecurringJobRegistrar>();
            await registrar.RegisterAsync();
            var registered = RecurringJob(host);
            // What a Redis restart without persistence, or a FLUSHALL, does to Hangfire's data.
            await IntegrationFixture.DeleteRedisKeysAsync(prefix);
            var lost = RecurringJob(host);

            var recreated = await registrar.EnsureRegisteredAsync();
            var again = await registrar.EnsureRegisteredAsync();

            Assert.Equal("30 3 * * *", registered?.Cron);
            Assert.True(lost is null or { Removed: true });
            Assert.True(recreated);
            Assert.False(again);
            var back = RecurringJob(host);
            Assert.Equal(("30 3 * * *", "Europe/Zurich"), (back?.Cron, back?.TimeZoneId));
            // The navbar's "Next pipeline run" is back too.
            Assert.NotNull((await host.Services.GetRequiredService<PipelineStatusStore>().ReadAsync()).NextRunAt);
        }
        finally
        {
            await IntegrationFixture.DeleteRedisKeysAsync(prefix);
            Hangfire.Logging.LogProvider.SetCurrentLogProvider(null);
        }
    }

    [Fact]
    public async Task JobsHost_PeriodicPass_EndsARunLeftRunning_AndRecreatesARemovedRecurringJob()
    {
        var prefix = $"stopsync-test:{Guid.NewGuid():N}:";
        using var host = BuildHost(prefix, runOnStartup: false, new() { ["Pipeline:Watchdog:IntervalSeconds"] = "1" });
        var store = host.Services.GetRequiredService<PipelineStatusStore>();
        var runId = Guid.NewGuid();
        try
        {
            await host.StartAsync();
            await WaitForRecurringJobAsync(host);
            // After the start-up pass: a run whose runner died (no lock) and a recurring job Redis no longer has.
            await using (var db = fixture.CreateDbContext())
            {
                db.PipelineRuns.Add(new PipelineRun { Id = runId, Trigger = "scheduled", Mode = "full", Status = PipelineRunStatus.Running, StartedAt = DateTimeOffset.UtcNow });
                await db.SaveChangesAsync();
            }

            var phases = PipelinePhases.Plan();
            phases[0].Status = PhaseStatus.Running;
            await store.WriteRunDocumentAsync(new PipelineStatusDocument
            {
                Status = PipelineStates.Running, Phase = PipelinePhases.SourceCheck, RunId = runId, Phases = phases, StartedAt = DateTimeOffset.UtcNow,
            });
            host.Services.GetRequiredService<IRecurringJobManager>().RemoveIfExists(PipelineJobIds.Pipeline);

            var deadline = DateTime.UtcNow.AddSeconds(20);
            PipelineRun row;
            while (true)
            {
                await using var db = fixture.CreateDbContext();
                row = await db.PipelineRuns.AsNoTracking().SingleAsync(r => r.Id == runId);
                if (row.Status != PipelineRunStatus.Running && RecurringJob(host) is { Removed: false })
                {
                    break;
                }

                Assert.True(DateTime.UtcNow < deadline, "the periodic pass did not end the run and restore the recurring job within 20 s");
                await Task.Delay(200);
            }

            Assert.Equal((PipelineRunStatus.Failed, PipelineWatchdog.StoppedMessage), (row.Status, row.Error));
            Assert.Equal(PipelineStates.Failed, (await store.ReadAsync()).Status);
            Assert.Equal("0 2 * * *", RecurringJob(host)!.Cron);
        }
        finally
        {
            await StopAsync(host, prefix);
        }
    }

    private static RecurringJobDto? RecurringJob(IHost host)
    {
        using var connection = host.Services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetRecurringJobs([PipelineJobIds.Pipeline]).FirstOrDefault();
    }

    // A skipped trigger is a lock probe and two small writes, well under a second on a quiet machine; the budget is wide
    // because the suite runs test classes in parallel on two cores. The old behaviour took a minute (Hangfire's lock).
    private static readonly TimeSpan SkipBudget = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A reader's lock on <c>stops_matched</c>: a run reaching its swap waits there (up to the budget
    /// the tests configure) until the returned handle is disposed, so it is certainly active while the tests trigger again.
    /// </summary>
    private async Task<IAsyncDisposable> HoldSwapAsync()
    {
        var reader = new NpgsqlConnection(fixture.ConnectionString);
        await reader.OpenAsync();
        var transaction = await reader.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand("LOCK TABLE public.stops_matched IN ACCESS SHARE MODE", reader, transaction))
        {
            await command.ExecuteNonQueryAsync();
        }

        return new Release(async () =>
        {
            await transaction.RollbackAsync();
            await reader.DisposeAsync();
        });
    }

    /// <summary>The host registers the recurring job in its background loop, after the start-up watchdog pass.</summary>
    private static async Task WaitForRecurringJobAsync(IHost host)
    {
        var storage = host.Services.GetRequiredService<JobStorage>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using (var connection = storage.GetConnection())
            {
                if (connection.GetRecurringJobs([PipelineJobIds.Pipeline]).FirstOrDefault() is { Removed: false })
                {
                    return;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, "the recurring job was not registered within 30 s");
            await Task.Delay(100);
        }
    }

    private static async Task WaitForPhaseAsync(IHost host, string phase)
    {
        var store = host.Services.GetRequiredService<PipelineStatusStore>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await store.ReadAsync()).Phase != phase)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the run did not reach {phase} within 60 s");
            await Task.Delay(100);
        }
    }

    /// <summary>The job's final state, once it has one.</summary>
    private static async Task<string> WaitForJobStateAsync(IHost host, string jobId)
    {
        var monitoring = host.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var state = monitoring.JobDetails(jobId)?.History.FirstOrDefault()?.StateName;
            if (state is HangfireStates.Succeeded or HangfireStates.Failed or HangfireStates.Deleted)
            {
                return state;
            }

            Assert.True(DateTime.UtcNow < deadline, $"job {jobId} did not finish within 60 s (state {state})");
            await Task.Delay(100);
        }
    }

    /// <summary>Processed once, never failed or rescheduled for a retry.</summary>
    private static void AssertRanOnce(IHost host, string jobId)
    {
        var history = host.Services.GetRequiredService<JobStorage>().GetMonitoringApi().JobDetails(jobId).History;
        Assert.Single(history, h => h.StateName == HangfireStates.Processing);
        Assert.DoesNotContain(history, h => h.StateName is HangfireStates.Failed or HangfireStates.Scheduled);
    }

    private async Task<List<PipelineRun>> WaitForRunsAsync(DateTimeOffset since, Func<PipelineRun, bool> which, int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            await using var db = fixture.CreateDbContext();
            var runs = (await db.PipelineRuns.AsNoTracking().Where(r => r.StartedAt >= since).OrderBy(r => r.StartedAt).ToListAsync())
                .Where(which).ToList();
            if (runs.Count >= count)
            {
                return runs;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{count} runs not recorded within {timeout.TotalSeconds} s (got {runs.Count})");
            await Task.Delay(50);
        }
    }

    private static async Task StopAsync(IHost host, string prefix)
    {
        await host.StopAsync();
        await IntegrationFixture.DeleteRedisKeysAsync(prefix);
        // See StopSyncAppFactory.DisposeAsync: the host's logger factory must not outlive it in Hangfire's static.
        Hangfire.Logging.LogProvider.SetCurrentLogProvider(null);
    }

    private static class HangfireStates
    {
        public const string Processing = "Processing";
        public const string Succeeded = "Succeeded";
        public const string Failed = "Failed";
        public const string Scheduled = "Scheduled";
        public const string Deleted = "Deleted";
    }

    private sealed class Release(Func<Task> release) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await release();
    }

    private IHost BuildHost(string prefix, bool runOnStartup = true, Dictionary<string, string?>? extra = null)
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
        builder.Configuration.AddInMemoryCollection(extra ?? []);
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
