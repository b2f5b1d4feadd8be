using Hangfire;

namespace StopSync.Data.Jobs;

// The web app enqueues exports under this interface; the jobs host implements it (StopSync.Jobs/Exports). No retry:
// a failed export says so on the page, and the user starts it again.
public interface IExportJob
{
    [AutomaticRetry(Attempts = 0)]
    Task RunAsync(string taskId, CancellationToken cancellationToken);
}
