namespace StopSync.Web.Pages.Operators;

/// <summary>
/// Computes the owner pages' figures as soon as a new run is live, so no data owner waits the one to several seconds
/// the statements take at Swiss scale on the first request after a publication (docs/08-site.md, "Operators and cantons").
/// </summary>
public sealed class OwnerFiguresWarmer(OwnerQueries queries, ILogger<OwnerFiguresWarmer> logger) : BackgroundService
{
    /// <summary>How often the live run is looked at: the longest a first visitor after a publication can still find the figures cold.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Guid? warmed = null;
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                var live = await queries.LiveRunAsync(stoppingToken);
                if (live is not null && live != warmed)
                {
                    foreach (var scope in (OwnerScope[])[OwnerScope.Operator, OwnerScope.Canton])
                    {
                        await queries.FiguresAsync(scope, stoppingToken);
                        await queries.DecisionsAsync(scope, stoppingToken);
                    }

                    warmed = live;
                    logger.LogInformation("Owner figures of run {RunId} computed ahead of the first visitor", live);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // No database yet, or a swap in progress: the pages compute on demand as before; try again next tick.
                logger.LogDebug("Owner figures not warmed: {Error}", ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
