using System.Net.Sockets;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Npgsql;

namespace StopSync.Web.Infrastructure;

public static class DatabaseOutage
{
    public const string Title = "Data temporarily unavailable";
    public const string Detail = "The database cannot be reached right now. The documentation still works; try again in a few minutes.";

    public static bool Is(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            var outage = e switch
            {
                PostgresException pg => IsUnavailableState(pg.SqlState),
                // Npgsql wraps refused, reset and timed-out connections; a bare TimeoutException may be Redis's.
                NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is SocketException or IOException or TimeoutException,
                _ => false,
            };
            if (outage)
            {
                return true;
            }
        }

        return false;
    }

    // "Not now" rather than "wrong query": connection exceptions (08), insufficient resources (53), shutdown or
    // start-up (57P01-57P03), a database missing (3D000) or refusing the login (28), as during a restore or a rotation.
    private static bool IsUnavailableState(string state) =>
        state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("53", StringComparison.Ordinal)
        || state.StartsWith("28", StringComparison.Ordinal) || state is "57P01" or "57P02" or "57P03" or "3D000";
}

// An outage is no bug: 503 and the layout's notice in every environment, never a developer page.
public sealed class DatabaseOutageFilter(ILogger<DatabaseOutageFilter> logger) : IExceptionFilter
{
    public void OnException(ExceptionContext context)
    {
        if (!DatabaseOutage.Is(context.Exception))
        {
            return;
        }

        logger.LogWarning("Database unavailable for {Path}: {Reason}", context.HttpContext.Request.Path, context.Exception.Message);
        context.Result = new StatusCodeResult(StatusCodes.Status503ServiceUnavailable);
        context.ExceptionHandled = true;
    }
}
