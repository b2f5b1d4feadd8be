using Npgsql;
using NpgsqlTypes;
using StopSync.Data.History;

namespace StopSync.Jobs.History;

/// <summary>Copies a publication's changes into <c>data_changes</c> under its run id.</summary>
public static class DataChangeWriter
{
    public static async Task<long> WriteAsync(NpgsqlConnection connection, Guid runId, IReadOnlyList<DataChange> changes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0)
        {
            return 0;
        }

        await using var copy = await connection.BeginBinaryImportAsync(
            """
            COPY data_changes (run_id, change_type, cause, sloid, osm_node_id, problem_type, problem_key, atlas_operator, canton,
                lat, lon, name, before, after, osm_version, osm_timestamp, osm_user, atlas_edition_date) FROM STDIN (FORMAT BINARY)
            """, ct);
        foreach (var c in changes)
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(runId, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(c.ChangeType, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(c.Cause, NpgsqlDbType.Text, ct);
            await WriteNullableAsync(copy, c.Sloid, NpgsqlDbType.Text, ct);
            await WriteNullableAsync(copy, c.OsmNodeId, NpgsqlDbType.Text, ct);
            await WriteNullableAsync(copy, c.ProblemType, NpgsqlDbType.Text, ct);
            await WriteNullableAsync(copy, c.ProblemKey, NpgsqlDbType.Text, ct);
            await WriteNullableAsync(copy, c.AtlasOperator, NpgsqlDbType.Text, ct);
            await WriteNullableAsync(copy, c.Canton, NpgsqlDbType.Text, ct);
            await WriteNullableAsync(copy, c.Lat, NpgsqlDbType.Double, ct);
            await WriteNullableAsync(copy, c.Lon, NpgsqlDbType.Double, ct);
            await WriteNullableAsync(copy, c.Name, NpgsqlDbType.Text, ct);
            await WriteNullableAsync(copy, c.Before, NpgsqlDbType.Jsonb, ct);
            await WriteNullableAsync(copy, c.After, NpgsqlDbType.Jsonb, ct);
            await WriteNullableAsync(copy, c.OsmVersion, NpgsqlDbType.Integer, ct);
            await WriteNullableAsync(copy, c.OsmTimestamp, NpgsqlDbType.TimestampTz, ct);
            await WriteNullableAsync(copy, c.OsmUser, NpgsqlDbType.Text, ct);
            await WriteNullableAsync(copy, c.AtlasEditionDate, NpgsqlDbType.Timestamp, ct);
        }

        return (long)await copy.CompleteAsync(ct);
    }

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken ct) =>
        value is null ? copy.WriteNullAsync(ct) : copy.WriteAsync(value, type, ct);
}
