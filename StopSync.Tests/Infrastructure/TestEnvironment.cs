using Npgsql;

namespace StopSync.Tests.Infrastructure;

/// <summary>Where the real servers and files of the test run are. test.sh sets the connection strings.</summary>
internal static class TestEnvironment
{
    public static string PostgresConnectionString { get; } =
        Environment.GetEnvironmentVariable("ConnectionStrings__StopSync")
        ?? "Host=127.0.0.1;Port=5432;Database=stopsync;Username=stopsync;Password=stopsync";

    public static string RedisConnectionString { get; } =
        Environment.GetEnvironmentVariable("ConnectionStrings__Redis") ?? "127.0.0.1:6379,abortConnect=false";

    public static string ChromiumPath { get; } = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The real samples shared with the project (never copied into the repository).</summary>
    public static string SharedData(params string[] parts)
    {
        var path = Path.Combine([RepositoryRoot, "..", "shared", "data", .. parts]);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Shared sample '{path}' is missing: the tests expect ../shared/data beside the repository.", path);
        }

        return path;
    }

    public static string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(PostgresConnectionString) { Database = database }.ConnectionString;

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "StopSync.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No StopSync.slnx above {AppContext.BaseDirectory}.");
    }
}
