using System.Net.Sockets;
using System.Text.RegularExpressions;
using Npgsql;
using StackExchange.Redis;
using StopSync.Jobs.Bundles;
using StopSync.Jobs.Publication;
using StopSync.Jobs.Sources;
using StopSync.Jobs.Sources.Acquisition;

namespace StopSync.Jobs.Runs;

// Every page reads the status document, so the cause is short and public: no server paths, stack traces or connection
// dumps; the full exception goes to the log and pipeline_runs.error (docs/04-pipeline.md, "Failure causes").
public static partial class RunFailure
{
    private const int MaxDetail = 160;

    public static string Cause(Exception ex, string step)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return ex switch
        {
            OperationCanceledException => "the run was cancelled (the jobs host is stopping)",
            // Written for the operator: they name the source or bundle file and the line.
            SourceFormatException or SourceAcquisitionException or ResultBundleException or PublicationBusyException or RunLockUnavailableException
                => Scrub(ex.Message),
            _ when Database(ex, step) is { } database => database,
            _ when Find<RedisException>(ex) is not null => $"Redis connection lost during {step}",
            // A hung Redis: StackExchange.Redis throws a TimeoutException, which is no RedisException.
            _ when Find<RedisTimeoutException>(ex) is not null => $"Redis did not answer in time during {step}",
            _ => $"unexpected error during {step} ({ex.GetType().Name}; see the jobs log)",
        };
    }

    // Npgsql reports a dropped connection as "Exception while reading from/writing to stream" around the socket error;
    // the server's own farewell (57P01 on shutdown or pg_terminate_backend) comes as a PostgresException.
    private static string? Database(Exception ex, string step)
    {
        if (Find<PostgresException>(ex) is { } postgres)
        {
            var detail = Short($"{postgres.SqlState}: {postgres.MessageText}");
            return postgres.SqlState switch
            {
                // admin_shutdown, crash_shutdown, and the connection_exception class.
                PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or ['0', '8', ..] => $"database connection lost during {step} ({detail})",
                // cannot_connect_now, invalid catalog (database gone), authentication, "not accepting connections".
                PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.InvalidCatalogName or ['2', '8', ..]
                    or PostgresErrorCodes.ObjectNotInPrerequisiteState => $"database unreachable during {step} ({detail})",
                _ => $"database error during {step} ({detail})",
            };
        }

        if (Find<NpgsqlException>(ex) is not { } npgsql)
        {
            return null;
        }

        var socket = Find<SocketException>(ex);
        if (socket?.SocketErrorCode is SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.HostUnreachable
            or SocketError.NetworkUnreachable or SocketError.TimedOut)
        {
            return $"database unreachable during {step} ({Short(socket.Message)})";
        }

        var innermost = npgsql.GetBaseException();
        return innermost is IOException or SocketException or EndOfStreamException or TimeoutException || npgsql.IsTransient
            ? $"database connection lost during {step} ({Short(innermost.Message)})"
            : $"database error during {step} ({Short(npgsql.Message)})";
    }

    private static T? Find<T>(Exception? ex) where T : Exception
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static string Short(string text)
    {
        var line = Scrub(text.Split('\n')[0].Trim());
        return line.Length <= MaxDetail ? line : line[..(MaxDetail - 1)] + "…";
    }

    public static string Scrub(string text) =>
        QueryString().Replace(AbsolutePath().Replace(text, m => m.Groups["name"].Value), "");

    // A path that starts at the root (or a drive) and is not part of a URL: keep the name after the last separator.
    [GeneratedRegex(@"(?<![\w:/.])(?:[A-Za-z]:)?[/\\](?:[^\s'""/\\:]+[/\\])*(?<name>[^\s'""/\\:]+)")]
    private static partial Regex AbsolutePath();

    [GeneratedRegex(@"(?<=https?://[^\s?'""]+)\?[^\s'""]*")]
    private static partial Regex QueryString();
}
