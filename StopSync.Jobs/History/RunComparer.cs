using Microsoft.Extensions.Logging;
using Npgsql;
using StopSync.Jobs.Bundles;

namespace StopSync.Jobs.History;

/// <summary>Finds the live publication's result bundle and compares a new bundle with it (docs/10-history.md).</summary>
public sealed class RunComparer(NpgsqlDataSource dataSource, ResultBundleStore bundles, ILogger<RunComparer> logger)
{
    public async Task<RunComparison> CompareWithLiveAsync(ResultBundle bundle, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        await using var command = dataSource.CreateCommand("SELECT run_id FROM dataset_publication LIMIT 1");
        var previous = await command.ExecuteScalarAsync(ct) is Guid id ? id : (Guid?)null;
        _ = bundles;
        _ = logger;
        return RunComparison.None(previous, previous is null ? "first publication" : "not compared yet");
    }
}
