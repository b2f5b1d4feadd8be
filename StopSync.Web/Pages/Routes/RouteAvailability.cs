using Npgsql;

namespace StopSync.Web.Pages.Routes;

/// <summary>
/// Whether the live dataset has route data: its publication's manifest says <c>metadata.capabilities.routes</c>. Read on
/// every page for the navbar, so the answer is kept a few seconds, and a database that cannot answer means "no routes"
/// rather than a failed page (the docs must render while the database is down).
/// </summary>
public sealed class RouteAvailability(NpgsqlDataSource dataSource, TimeProvider time, ILogger<RouteAvailability> logger)
{
    /// <summary>How long an answer is trusted: the lag of the navbar after a publication.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private (bool Value, DateTimeOffset Until)? _cached;

    public async Task<bool> HasRoutesAsync(CancellationToken ct)
    {
        lock (_gate)
        {
            if (_cached is { } c && c.Until > time.GetUtcNow())
            {
                return c.Value;
            }
        }

        bool value;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            await using var command = dataSource.CreateCommand(
                "SELECT coalesce(manifest #>> '{metadata,capabilities,routes}', 'false') = 'true' FROM dataset_publication WHERE id = 1");
            value = await command.ExecuteScalarAsync(timeout.Token) is true;
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException && !ct.IsCancellationRequested)
        {
            logger.LogWarning("Route capability unknown, treated as absent: {Reason}", ex.Message);
            value = false;
        }

        lock (_gate)
        {
            _cached = (value, time.GetUtcNow() + Lifetime);
        }

        return value;
    }
}
