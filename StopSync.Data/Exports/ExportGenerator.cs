using Microsoft.Extensions.Options;
using Npgsql;

namespace StopSync.Data.Exports;

/// <summary>
/// Counts and writes the rows of an export with one streamed reader: the rows go out in chunks of
/// <see cref="ExportOptions.ChunkRows"/>, after each of which the caller reports progress and may stop the export.
/// </summary>
public sealed class ExportGenerator(NpgsqlDataSource dataSource, IOptions<ExportOptions> options)
{
    /// <summary>
    /// Sorting the Swiss set's 62,000 problems with their names spills to disk at PostgreSQL's default 4 MB (about
    /// 3 s instead of 1.5 s); one export at a time may take more, for its own transaction only.
    /// </summary>
    private const string WorkMem = "SET LOCAL work_mem = '64MB'";

    /// <summary>The rows the export will hold: its filters' count, at most its limit.</summary>
    public async Task<long> CountAsync(ExportRequest request, CancellationToken ct)
    {
        var query = ExportQuery.For(request);
        await using var command = dataSource.CreateCommand(query.CountSql);
        command.Parameters.AddRange(query.CloneParameters());
        var count = (long)(await command.ExecuteScalarAsync(ct))!;
        return request.Limit is { } limit ? Math.Min(count, limit) : count;
    }

    /// <summary>Writes the whole export to <paramref name="output"/>; false from <paramref name="afterChunk"/> stops it.</summary>
    /// <returns>The rows written, and whether every row was.</returns>
    public async Task<(long Rows, bool Complete)> WriteAsync(
        ExportRequest request, Stream output, Func<long, CancellationToken, ValueTask<bool>>? afterChunk, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(output);
        var query = ExportQuery.For(request);
        using var writer = ExportWriter.For(request.Format, query.Columns);
        writer.Begin();
        long rows = 0;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, ct);
        await using (var setup = new NpgsqlCommand(WorkMem, connection, transaction))
        {
            await setup.ExecuteNonQueryAsync(ct);
        }

        await using (var command = new NpgsqlCommand(query.RowsSql, connection, transaction))
        {
            command.Parameters.AddRange(query.CloneParameters());
            // No statement timeout of the site's sessions applies to reading a whole table out.
            command.CommandTimeout = 0;
            await using var reader = await command.ExecuteReaderAsync(ct);
            var width = query.Columns.Count;
            var chunk = options.Value.ChunkRows;
            while (await reader.ReadAsync(ct))
            {
                var values = new object?[width];
                for (var i = 0; i < width; i++)
                {
                    values[i] = reader.IsDBNull(i + 2) ? null : reader.GetValue(i + 2);
                }

                writer.Write(new ExportRow(
                    reader.IsDBNull(0) ? null : reader.GetDouble(0), reader.IsDBNull(1) ? null : reader.GetDouble(1), values));
                rows++;
                if (rows % chunk == 0)
                {
                    await writer.FlushToAsync(output, ct);
                    if (afterChunk is not null && !await afterChunk(rows, ct))
                    {
                        return (rows, false);
                    }
                }
            }
        }

        await transaction.CommitAsync(ct);
        writer.Finish();
        await writer.FlushToAsync(output, ct);
        return (rows, true);
    }
}
