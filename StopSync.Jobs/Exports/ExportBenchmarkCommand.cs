using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using StopSync.Data;
using StopSync.Data.Exports;
using StopSync.Jobs.Cli;

namespace StopSync.Jobs.Exports;

/// <summary>
/// docs/10-history.md, "Exports": one whole export through the job's path (task in Redis, chunked progress, file
/// renamed when complete), timed from the count to the completed state.
/// </summary>
internal static class ExportBenchmarkCommand
{
    public static Command BenchExport()
    {
        var type = new Option<string>("--type") { Description = "Report type", DefaultValueFactory = _ => ExportReports.Problems };
        type.AcceptOnlyFromAmong([.. ExportReports.All]);
        var format = new Option<string>("--format") { Description = "File format", DefaultValueFactory = _ => ExportFormats.Csv };
        format.AcceptOnlyFromAmong([.. ExportFormats.All]);
        var command = new Command("bench-export", "Time a whole export of the published data through the export job's path.") { type, format };
        command.SetAction(async (parse, ct) =>
        {
            var builder = JobsCommands.CreateBuilder([]);
            builder.Services.AddStopSyncData();
            builder.Services.AddStopSyncExports();
            using var host = builder.Build();
            var reportType = parse.GetValue(type)!;
            var request = new ExportRequest
            {
                ReportType = reportType, Format = parse.GetValue(format)!, Sort = ExportReports.Sorts(reportType)[0],
            };
            // The jobs host is a long-running process: one export of a single row first pays for the first connections
            // (PostgreSQL, Redis) and the compilation of the code, as every export after the first finds them done.
            await RunAsync(host.Services, request with { Limit = 1 }, ct);
            var watch = Stopwatch.StartNew();
            var total = await host.Services.GetRequiredService<ExportGenerator>().CountAsync(request, ct);
            var counted = watch.Elapsed;
            var taskId = Guid.NewGuid().ToString("N");
            var store = host.Services.GetRequiredService<ExportTaskStore>();
            await store.CreateAsync(new ExportTaskState(taskId, ExportStatuses.Starting, 0, total, null, null, DateTimeOffset.UtcNow,
                $"bench_{taskId[..8]}.{ExportFormats.Extension(request.Format)}", request.ReportType, request.Format), request);
            var state = await host.Services.GetRequiredService<ExportRunner>().RunAsync(taskId, null, ct);
            watch.Stop();
            var files = host.Services.GetRequiredService<ExportFiles>();
            var path = files.PathOf(taskId, request.Format);
            var bytes = File.Exists(path) ? new FileInfo(path).Length : 0;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"bench-export {request.ReportType} {request.Format}: {state?.Status} {state?.Processed:N0} of {total:N0} rows, {bytes / 1024.0 / 1024.0:F1} MiB, count {counted.TotalSeconds:F2} s, total {watch.Elapsed.TotalSeconds:F2} s"));
            files.Delete(taskId, request.Format);
            await store.CancelAsync(taskId);
            return state?.Status == ExportStatuses.Completed ? 0 : 1;
        });
        return command;
    }

    private static async Task RunAsync(IServiceProvider services, ExportRequest request, CancellationToken ct)
    {
        var taskId = Guid.NewGuid().ToString("N");
        var store = services.GetRequiredService<ExportTaskStore>();
        await store.CreateAsync(new ExportTaskState(taskId, ExportStatuses.Starting, 0, 1, null, null, DateTimeOffset.UtcNow,
            "warm-up", request.ReportType, request.Format), request);
        await services.GetRequiredService<ExportRunner>().RunAsync(taskId, null, ct);
        services.GetRequiredService<ExportFiles>().Delete(taskId, request.Format);
        await store.CancelAsync(taskId);
    }
}
