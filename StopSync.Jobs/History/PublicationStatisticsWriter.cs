using Microsoft.Extensions.Logging;
using Npgsql;

namespace StopSync.Jobs.History;

/// <summary>Computes a publication's statistics per scope from its staged tables into <c>publication_statistics</c>
/// (docs/10-history.md, "Statistics").</summary>
public sealed class PublicationStatisticsWriter(ILogger<PublicationStatisticsWriter> logger)
{
    public Task WriteAsync(NpgsqlConnection connection, Guid runId, string stagingSchema, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        logger.LogDebug("Statistics of run {RunId} from {Schema}: not written yet", runId, stagingSchema);
        return Task.CompletedTask;
    }
}
