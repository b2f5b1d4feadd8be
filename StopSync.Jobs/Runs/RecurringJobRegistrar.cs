using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StopSync.Data.Jobs;
using StopSync.Data.Status;

namespace StopSync.Jobs.Runs;

/// <summary>Registers (or updates) the recurring pipeline job at start-up, with cron and time zone from configuration.</summary>
public sealed class RecurringJobRegistrar(
    IRecurringJobManager recurringJobs,
    IBackgroundJobClient backgroundJobs,
    JobStorage storage,
    PipelineStatusStore status,
    IOptions<PipelineOptions> options,
    ILogger<RecurringJobRegistrar> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var schedule = options.Value.Schedule;
        var timeZone = TimeZoneInfo.FindSystemTimeZoneById(schedule.TimeZone);
        recurringJobs.AddOrUpdate<IPipelineJob>(
            PipelineJobIds.Pipeline,
            job => job.RunAsync(PipelineTrigger.Scheduled, null, CancellationToken.None),
            schedule.Cron,
            new RecurringJobOptions { TimeZone = timeZone });
        logger.LogInformation("Recurring job {JobId} scheduled at '{Cron}' ({TimeZone})", PipelineJobIds.Pipeline, schedule.Cron, schedule.TimeZone);

        if (options.Value.RunOnStartup)
        {
            backgroundJobs.Enqueue<IPipelineJob>(job => job.RunAsync(PipelineTrigger.Startup, null, CancellationToken.None));
            logger.LogInformation("Enqueued one pipeline run at start-up");
        }

        await PublishNextRunAsync(storage, status);
    }

    /// <summary>Writes the recurring job's next execution into the status (the navbar's "Next pipeline run").</summary>
    public static async Task PublishNextRunAsync(JobStorage storage, PipelineStatusStore status)
    {
        using var connection = storage.GetConnection();
        var next = connection.GetRecurringJobs([PipelineJobIds.Pipeline]).FirstOrDefault()?.NextExecution;
        await status.SetNextRunAtAsync(next is null ? null : new DateTimeOffset(DateTime.SpecifyKind(next.Value, DateTimeKind.Utc)));
    }
}
