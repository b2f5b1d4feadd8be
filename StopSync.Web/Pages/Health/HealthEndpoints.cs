using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using StackExchange.Redis;

namespace StopSync.Web.Pages.Health;

public static class HealthEndpoints
{
    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions
        {
            ResponseWriter = async (context, report) =>
            {
                context.Response.ContentType = "application/json";
                var body = new
                {
                    status = report.Status.ToString(),
                    checks = report.Entries.ToDictionary(
                        e => e.Key,
                        e => new { status = e.Value.Status.ToString(), description = e.Value.Description, duration_ms = e.Value.Duration.TotalMilliseconds }),
                };
                await context.Response.WriteAsync(JsonSerializer.Serialize(body));
            },
        });
    }
}

// The answers are public: they say what is up or down, and the details (hosts, addresses, versions) go to the log only.
public sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource, ILogger<DatabaseHealthCheck> logger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // PostGIS is asked for, so that a server without the extension is not healthy; its version is not told
            // (the answer is public, and versions tell an attacker which vulnerabilities to try).
            await using var command = dataSource.CreateCommand("SELECT postgis_version()");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy("PostgreSQL with PostGIS is reachable");
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            logger.LogWarning("Health check: PostgreSQL is not reachable: {Reason}", ex.Message);
            return HealthCheckResult.Unhealthy("PostgreSQL is not reachable");
        }
    }
}

public sealed class RedisHealthCheck(IConnectionMultiplexer redis, ILogger<RedisHealthCheck> logger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await redis.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy("Redis is reachable");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning("Health check: Redis is not reachable: {Reason}", ex.Message);
            return HealthCheckResult.Unhealthy("Redis is not reachable");
        }
    }
}
