using Npgsql;

namespace StopSync.Tests.Infrastructure;

/// <summary>
/// A throw-away PostgreSQL database with PostGIS. test.sh prepares the template <c>stopsync_template</c> (PostGIS
/// created by the superuser); where it is missing, the role must be allowed to create the extension itself.
/// </summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(string name) => Name = name;

    public string Name { get; }

    public string ConnectionString => TestEnvironment.ConnectionStringFor(Name);

    public static async Task<TestDatabase> CreateAsync()
    {
        var name = $"stopsync_test_{Guid.NewGuid():N}"[..30];
        await using var admin = await OpenMaintenanceConnectionAsync();
        var hasTemplate = await ScalarAsync(admin, "SELECT count(*) FROM pg_database WHERE datname = 'stopsync_template'") is long n && n > 0;
        await ExecuteAsync(admin, hasTemplate ? $"CREATE DATABASE {name} TEMPLATE stopsync_template" : $"CREATE DATABASE {name}");
        if (!hasTemplate)
        {
            await using var db = new NpgsqlConnection(TestEnvironment.ConnectionStringFor(name));
            await db.OpenAsync();
            await ExecuteAsync(db, "CREATE EXTENSION IF NOT EXISTS postgis");
        }

        return new TestDatabase(name);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = await OpenMaintenanceConnectionAsync();
        // FORCE may not end an autovacuum worker busy with a freshly published table: the worker runs as the superuser,
        // and ending it needs pg_signal_backend (42501). It finishes within moments, so the drop is tried again.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 40)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }
        }
    }

    private static async Task<NpgsqlConnection> OpenMaintenanceConnectionAsync()
    {
        var connection = new NpgsqlConnection(TestEnvironment.PostgresConnectionString);
        try
        {
            await connection.OpenAsync();
        }
        catch (NpgsqlException ex)
        {
            throw new InvalidOperationException(
                $"PostgreSQL is not reachable ({ex.Message}). Run ./test.sh, which installs and starts it, " +
                "or set ConnectionStrings__StopSync to a server with PostGIS.", ex);
        }

        return connection;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
