using Microsoft.Extensions.Logging;

namespace StopSync.Data.Exports;

/// <summary>
/// Writes the file of a task created in the <see cref="ExportTaskStore"/>, with its progress after every chunk:
/// processing → finalizing → completed, or error; a cancel mark stops it at the next chunk and its file is removed.
/// The jobs host runs it for long exports, the web app during the request for small ones.
/// </summary>
public sealed class ExportRunner(
    ExportGenerator generator, ExportTaskStore store, ExportFiles files, TimeProvider clock, ILogger<ExportRunner> logger)
{
    /// <param name="afterChunk">Called after each chunk, before its progress is stored (tests cancel from here).</param>
    /// <returns>The final state; null when the task is unknown (expired before it ran).</returns>
    public async Task<ExportTaskState?> RunAsync(string taskId, Func<long, Task>? afterChunk, CancellationToken ct)
    {
        var state = await store.GetAsync(taskId);
        var request = await store.GetRequestAsync(taskId);
        if (state is null || request is null)
        {
            logger.LogWarning("Export task {TaskId} is unknown or expired; nothing to do", taskId);
            return null;
        }

        if (await store.IsCancelledAsync(taskId))
        {
            return state;
        }

        var started = clock.GetTimestamp();
        try
        {
            state = state with { Status = ExportStatuses.Processing, Processed = 0 };
            if (!await store.UpdateAsync(state))
            {
                return Cancelled(taskId, request, state);
            }

            long rows;
            bool complete;
            await using (var stream = files.CreatePart(taskId, request.Format))
            {
                var current = state;
                (rows, complete) = await generator.WriteAsync(request, stream, async (n, token) =>
                {
                    if (afterChunk is not null)
                    {
                        await afterChunk(n);
                    }

                    var seconds = clock.GetElapsedTime(started).TotalSeconds;
                    double? eta = seconds > 0 ? Math.Round(Math.Max(0, current.Total - n) * seconds / n, 1) : null;
                    return await store.UpdateAsync(current with { Processed = n, EtaSeconds = eta });
                }, ct);
            }

            // The count was taken when the task was created; a publication in between may change it, the file is the truth.
            if (!complete || !await store.UpdateAsync(state with { Status = ExportStatuses.Finalizing, Processed = rows, Total = rows, EtaSeconds = 0 }))
            {
                return Cancelled(taskId, request, state);
            }

            files.Complete(taskId, request.Format);
            var done = state with { Status = ExportStatuses.Completed, Processed = rows, Total = rows, EtaSeconds = 0 };
            if (!await store.UpdateAsync(done))
            {
                return Cancelled(taskId, request, state);
            }

            logger.LogInformation("Export {TaskId} ({ReportType}, {Format}) wrote {Rows} rows in {Seconds:F1} s",
                taskId, request.ReportType, request.Format, rows, clock.GetElapsedTime(started).TotalSeconds);
            return done;
        }
        catch (Exception ex)
        {
            files.Delete(taskId, request.Format);
            var message = ex is OperationCanceledException
                ? "The export was interrupted because the server stopped; start it again."
                : "The export failed; try again, or narrow the filters.";
            logger.LogError(ex, "Export {TaskId} ({ReportType}, {Format}) failed", taskId, request.ReportType, request.Format);
            var failed = state with { Status = ExportStatuses.Error, Error = message, EtaSeconds = null };
            await store.UpdateAsync(failed);
            return failed;
        }
    }

    private ExportTaskState Cancelled(string taskId, ExportRequest request, ExportTaskState state)
    {
        files.Delete(taskId, request.Format);
        logger.LogInformation("Export {TaskId} was cancelled; its file is removed", taskId);
        return state with { Status = ExportStatuses.Cancelled, EtaSeconds = null };
    }
}
