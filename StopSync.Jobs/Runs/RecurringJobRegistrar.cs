using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StopSync.Data.Jobs;
using StopSync.Data.Status;

namespace StopSync.Jobs.Runs;

// The recurring job lives in Redis with the rest of Hangfire's data: a Redis restart without persistence, or a flush,
// removes it and the nightly run silently stops, so the jobs host checks for it periodically, not only at start-up.
public sealed class RecurringJobRegistrar(
    IRecurringJobManager recurringJobs,
    IBackgroundJobClient backgroundJobs,
    JobStorage storage,
    PipelineStatusStore status,
    IOptions<PipelineOptions> options,
    ILogger<RecurringJobRegistrar> logger)
{
    public async Task RegisterAsync()
    {
        AddOrUpdate();
        logger.LogInformation("Recurring job {JobId} scheduled at '{Cron}' ({TimeZone})",
            PipelineJobIds.Pipeline, options.Value.Schedule.Cron, options.Value.Schedule.TimeZone);
        if (options.Value.RunOnStartup)
        {
            backgroundJobs.Enqueue<IPipelineJob>(job => job.RunAsync(PipelineTrigger.Startup, null, CancellationToken.None));
            logger.LogInformation("Enqueued one pipeline run at start-up");
        }

        await PublishNextRunAsync(storage, status);
    }

    public async Task<bool> EnsureRegisteredAsync()
    {
        var schedule = options.Value.Schedule;
        using (var connection = storage.GetConnection())
        {
            var job = connection.GetRecurringJobs([PipelineJobIds.Pipeline]).FirstOrDefault();
            if (job is { Removed: false } && job.Cron == schedule.Cron && job.TimeZoneId == TimeZone().Id)
            {
                return false;
            }
        }

        AddOrUpdate();
        logger.LogWarning("Recurring job {JobId} was missing from Hangfire's storage (Redis restarted without persistence, or flushed?); "
            + "re-created at '{Cron}' ({TimeZone})", PipelineJobIds.Pipeline, schedule.Cron, schedule.TimeZone);
        await PublishNextRunAsync(storage, status);
        return true;
    }

    public static async Task PublishNextRunAsync(JobStorage storage, PipelineStatusStore status)
    {
        using var connection = storage.GetConnection();
        var next = connection.GetRecurringJobs([PipelineJobIds.Pipeline]).FirstOrDefault()?.NextExecution;
        await status.SetNextRunAtAsync(next is null ? null : new DateTimeOffset(DateTime.SpecifyKind(next.Value, DateTimeKind.Utc)));
    }

    private void AddOrUpdate() =>
        recurringJobs.AddOrUpdate<IPipelineJob>(
            PipelineJobIds.Pipeline,
            job => job.RunAsync(PipelineTrigger.Scheduled, null, CancellationToken.None),
            options.Value.Schedule.Cron,
            new RecurringJobOptions { TimeZone = TimeZone() });

    private TimeZoneInfo TimeZone() => TimeZoneInfo.FindSystemTimeZoneById(options.Value.Schedule.TimeZone);
}
