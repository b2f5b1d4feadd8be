using StopSync.Data.Exports;
using StopSync.Data.Jobs;

namespace StopSync.Jobs.Exports;

/// <summary>A long export, enqueued by the web app with its task id; the request and progress live in Redis.</summary>
public sealed class ExportJob(ExportRunner runner) : IExportJob
{
    public Task RunAsync(string taskId, CancellationToken cancellationToken) => runner.RunAsync(taskId, null, cancellationToken);
}
