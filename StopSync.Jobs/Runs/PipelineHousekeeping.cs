using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace StopSync.Jobs.Runs;

// The first watchdog pass runs before the registration enqueues the start-up run, so it never holds the lock that run
// needs (docs/04-pipeline.md, "Background loop").
public sealed class PipelineHousekeeping(
    IServiceScopeFactory scopes,
    IOptions<PipelineOptions> options,
    TimeProvider clock,
    ILogger<PipelineHousekeeping> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await PassAsync(first: true, stoppingToken);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.Watchdog.IntervalSeconds), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await PassAsync(first: false, stoppingToken);
        }
    }

    private async Task PassAsync(bool first, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var watchdog = scope.ServiceProvider.GetRequiredService<PipelineWatchdog>();
        var registrar = scope.ServiceProvider.GetRequiredService<RecurringJobRegistrar>();
        await GuardAsync("check for a dead pipeline run", () => first ? watchdog.RecoverAsync(ct) : watchdog.CheckAsync(ct));
        await GuardAsync("check the recurring pipeline job", () => first ? registrar.RegisterAsync() : registrar.EnsureRegisteredAsync());
    }

    private async Task GuardAsync(string what, Func<Task> step)
    {
        try
        {
            await step();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Whatever the cause (Redis or PostgreSQL down, most likely), the next pass tries again.
            logger.LogWarning("Could not {What}: {Error}", what, ex.Message);
        }
    }
}
