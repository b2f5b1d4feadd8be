using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace StopSync.Tests.Jobs.Runs;

/// <summary>
/// A redis-server of the test's own, on a free port in a temporary directory, for tests that take Redis away; the shared
/// server is never touched. Short client timeouts make a dead server show as errors within a second.
/// </summary>
internal sealed class PrivateRedis : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private PrivateRedis(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port},abortConnect=false,connectTimeout=1000,syncTimeout=1000,asyncTimeout=1000";

    public static async Task<PrivateRedis> StartAsync()
    {
        // The free port is released before redis-server binds it, so another process may take it in between: try again.
        for (var attempt = 1; ; attempt++)
        {
            if (await TryStartAsync(FreePort()) is { } redis)
            {
                return redis;
            }

            if (attempt == 3)
            {
                throw new InvalidOperationException("redis-server exited at start-up three times (its port was taken each time).");
            }
        }
    }

    private static async Task<PrivateRedis?> TryStartAsync(int port)
    {
        var directory = Directory.CreateTempSubdirectory("stopsync-redis-").FullName;
        var info = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                     "--save", "", "--appendonly", "no", "--dir", directory])
        {
            info.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("redis-server is not installed: the fault-injection tests start one of their own (apt-get install redis-server).", ex);
        }

        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var redis = new PrivateRedis(process, directory, port);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                await using var client = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},connectTimeout=500");
                await client.GetDatabase().PingAsync();
                return redis;
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(100);
            }
            catch (RedisConnectionException) when (process.HasExited)
            {
                await redis.DisposeAsync();
                return null;
            }
        }
    }

    /// <summary>Kills the server, as a crash or an out-of-memory kill would.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>A port nothing listens on (the OS hands out a free one and it is released at once).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
