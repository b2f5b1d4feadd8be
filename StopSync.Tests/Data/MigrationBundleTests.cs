using System.Diagnostics;
using Npgsql;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Data;

public sealed class MigrationBundleTests
{
    [Fact]
    public async Task Bundle_CreatesTheSchemaOnAnEmptyDatabase_AndAppliesNothingTheSecondTime()
    {
        var bundle = Path.Combine(TestEnvironment.RepositoryRoot, "artifacts", "efbundle");
        Assert.True(File.Exists(bundle), $"The migration bundle {bundle} is missing; ./test.sh builds it before the tests.");
        await using var database = await TestDatabase.CreateAsync();

        var first = await RunAsync(bundle, database.ConnectionString);
        var tables = await TablesAsync(database.ConnectionString);
        var second = await RunAsync(bundle, database.ConnectionString);

        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Contains("Applying migration", first.Output, StringComparison.Ordinal);
        foreach (var table in (string[])["stops_matched", "problems", "atlas_stops", "osm_nodes", "dataset_publication", "pipeline_runs"])
        {
            Assert.Contains(table, tables);
        }

        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Contains("No migrations were applied", second.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Applying migration", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schema_HasAGistIndexOnTheStopPoint()
    {
        await using var database = await TestDatabase.CreateAsync();
        var bundle = Path.Combine(TestEnvironment.RepositoryRoot, "artifacts", "efbundle");
        Assert.True(File.Exists(bundle), $"The migration bundle {bundle} is missing; ./test.sh builds it before the tests.");
        var run = await RunAsync(bundle, database.ConnectionString);
        Assert.True(run.ExitCode == 0, run.Output);

        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT i.indexdef, c.udt_name, (SELECT type FROM geometry_columns WHERE f_table_name = 'stops_matched') AS geom_type,
                   (SELECT srid FROM geometry_columns WHERE f_table_name = 'stops_matched') AS srid
            FROM pg_indexes i JOIN information_schema.columns c ON c.table_name = 'stops_matched' AND c.column_name = 'geom'
            WHERE i.tablename = 'stops_matched' AND i.indexname = 'ix_stops_matched_geom'
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();

        Assert.True(await reader.ReadAsync(), "index ix_stops_matched_geom is missing");
        Assert.Contains("USING gist", reader.GetString(0), StringComparison.Ordinal);
        Assert.Equal("geometry", reader.GetString(1));
        Assert.Equal("POINT", reader.GetString(2));
        Assert.Equal(4326, reader.GetInt32(3));
    }

    internal static async Task<(int ExitCode, string Output)> RunAsync(string bundle, string connectionString)
    {
        var info = new ProcessStartInfo(bundle) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("--connection");
        info.ArgumentList.Add(connectionString);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    private static async Task<List<string>> TablesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = 'public'", connection);
        var tables = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }
}
