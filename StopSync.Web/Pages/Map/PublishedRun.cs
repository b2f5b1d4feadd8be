using Npgsql;

namespace StopSync.Web.Pages.Map;

/// <summary>The run whose dataset is live (the one row of <c>dataset_publication</c>).</summary>
public static class PublishedRun
{
    /// <summary>Null before the first publication.</summary>
    public static async Task<Guid?> IdAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT run_id FROM dataset_publication LIMIT 1");
        return await command.ExecuteScalarAsync(ct) is Guid id ? id : null;
    }
}
