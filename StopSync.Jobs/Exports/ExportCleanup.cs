using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StopSync.Data.Exports;

namespace StopSync.Jobs.Exports;

/// <summary>
/// Deletes export files older than <c>Exports:RetentionHours</c>, at start and every <c>Exports:CleanupIntervalMinutes</c>;
/// their task states expire in Redis after the same time.
/// </summary>
public sealed class ExportCleanup(ExportFiles files, IOptions<ExportOptions> options, TimeProvider clock, ILogger<ExportCleanup> logger)
    : BackgroundService
{
    public int Pass()
    {
        try
        {
            var deleted = files.DeleteExpired();
            if (deleted > 0)
            {
                logger.LogInformation("Deleted {Count} expired export files", deleted);
            }

            return deleted;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Could not clean the export directory {Directory}: {Error}", files.Directory, ex.Message);
            return 0;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Pass();
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.CleanupIntervalMinutes), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            Pass();
        }
    }
}
