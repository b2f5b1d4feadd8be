using Npgsql;

namespace StopSync.Jobs.Publication;

internal static class SnapshotDdl
{
    // Read from the catalogue so the staged keys and indexes keep the names the EF migration created (pk_…, ix_…,
    // fk_…): queries and later migrations see no difference after the swap.
    public static async Task<List<string>> ReadAsync(NpgsqlConnection connection, string staging, CancellationToken ct)
    {
        var keys = new List<string>();
        var foreignKeys = new List<string>();
        var indexes = new List<string>();
        // With only pg_catalog on the path, the catalogue functions qualify every table name with its schema.
        await DatasetPublisher.ExecuteAsync(connection, "SET search_path = pg_catalog", ct);
        try
        {
            await using var command = new NpgsqlCommand(
                """
                SELECT c.relname, con.conname, con.contype::text, pg_get_constraintdef(con.oid), ref.relname
                FROM pg_constraint con
                JOIN pg_class c ON c.oid = con.conrelid
                LEFT JOIN pg_class ref ON ref.oid = con.confrelid
                WHERE c.relnamespace = 'public'::regnamespace AND c.relname = ANY(@tables) AND con.contype IN ('p', 'u', 'f', 'x')
                ORDER BY c.relname, con.conname
                """, connection);
            command.Parameters.AddWithValue("tables", DatasetPublisher.SnapshotTables.ToArray());
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    var (table, name, type, definition) = (reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3));
                    if (type == "f")
                    {
                        var referenced = reader.GetString(4);
                        if (DatasetPublisher.SnapshotTables.Contains(referenced))
                        {
                            definition = definition.Replace($"REFERENCES public.{referenced}(", $"REFERENCES {staging}.{referenced}(", StringComparison.Ordinal);
                        }

                        foreignKeys.Add($"ALTER TABLE {staging}.{table} ADD CONSTRAINT {name} {definition}");
                    }
                    else
                    {
                        keys.Add($"ALTER TABLE {staging}.{table} ADD CONSTRAINT {name} {definition}");
                    }
                }
            }

            await using var indexCommand = new NpgsqlCommand(
                """
                SELECT c.relname, pg_get_indexdef(i.indexrelid)
                FROM pg_index i
                JOIN pg_class c ON c.oid = i.indrelid
                WHERE c.relnamespace = 'public'::regnamespace AND c.relname = ANY(@tables)
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid)
                ORDER BY c.relname, i.indexrelid
                """, connection);
            indexCommand.Parameters.AddWithValue("tables", DatasetPublisher.SnapshotTables.ToArray());
            await using var indexReader = await indexCommand.ExecuteReaderAsync(ct);
            while (await indexReader.ReadAsync(ct))
            {
                var table = indexReader.GetString(0);
                indexes.Add(indexReader.GetString(1).Replace($" ON public.{table} ", $" ON {staging}.{table} ", StringComparison.Ordinal));
            }
        }
        finally
        {
            await DatasetPublisher.ExecuteAsync(connection, "SET search_path = public", CancellationToken.None);
        }

        return [.. keys, .. indexes, .. foreignKeys];
    }
}
