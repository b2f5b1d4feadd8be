using System.Buffers;

namespace StopSync.Jobs.Sources.Acquisition;

/// <summary>The connection failed or went silent in the middle of a body; what arrived so far is on disk.</summary>
internal sealed class TransferInterruptedException(string message, Exception? inner = null) : Exception(message, inner);

internal static class ResponseBodyCopier
{
    private const int BufferSize = 128 * 1024;

    // One report per MiB keeps a 300 MB GTFS download at a few hundred reports.
    private const long ReportEvery = 1024 * 1024;

    /// <summary>Unbuffered: the copy writes whole chunks, and after a failure the file length is exactly what arrived.</summary>
    public static FileStream OpenTarget(string path, bool append) =>
        new(path, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);

    /// <summary>Network failures and silence become <see cref="TransferInterruptedException"/>, unlike cancellation.</summary>
    public static async Task<long> CopyAsync(
        Stream body,
        Stream target,
        long alreadyDone,
        long? total,
        TimeSpan idleTimeout,
        IProgress<DownloadProgress>? progress,
        CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var done = alreadyDone;
        var reported = done;
        try
        {
            while (true)
            {
                idle.CancelAfter(idleTimeout);
                int read;
                try
                {
                    read = await body.ReadAsync(buffer.AsMemory(0, BufferSize), idle.Token);
                }
                catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
                {
                    throw new TransferInterruptedException($"no data for {idleTimeout}", e);
                }
                catch (Exception e) when (e is IOException or HttpRequestException)
                {
                    throw new TransferInterruptedException(e.Message, e);
                }

                if (read == 0)
                {
                    break;
                }

                await target.WriteAsync(buffer.AsMemory(0, read), ct);
                done += read;
                if (done - reported >= ReportEvery)
                {
                    progress?.Report(new DownloadProgress(done, total));
                    reported = done;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        progress?.Report(new DownloadProgress(done, total));
        return done;
    }
}
