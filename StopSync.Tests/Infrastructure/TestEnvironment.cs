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

    /// <summary>The one setting that says where the real samples are (never committed: their licences differ).</summary>
    public const string TestDataVariable = "STOPSYNC_TEST_DATA";

    /// <summary>Downloads the samples from their public origins and prints the <see cref="TestDataVariable"/> line.</summary>
    public const string FetchScript = "scripts/fetch-test-data.sh";

    /// <summary>A real sample in the folder <see cref="TestDataVariable"/> names (default ../shared/data beside the
    /// repository).</summary>
    public static string SharedData(params string[] parts) =>
        TestDataFile(Environment.GetEnvironmentVariable(TestDataVariable), RepositoryRoot, parts);

    /// <summary>
    /// The sample at <paramref name="parts"/> under the folder <paramref name="setting"/> names; a relative setting is
    /// relative to the repository root (as in the fetch script), so it means the same from any working directory.
    /// A missing folder or file fails with the way to get it rather than letting a test pass or fail on nothing.
    /// </summary>
    internal static string TestDataFile(string? setting, string repositoryRoot, params string[] parts)
    {
        var configured = !string.IsNullOrWhiteSpace(setting);
        var folder = Path.GetFullPath(configured
            ? Path.Combine(repositoryRoot, setting!)
            : Path.Combine(repositoryRoot, "..", "shared", "data"));
        var origin = configured
            ? $"{TestDataVariable}={setting}"
            : $"{TestDataVariable} is not set, so the default ../shared/data beside the repository";
        var fetch = $"Fetch the samples with {FetchScript} and set {TestDataVariable} to the folder it prints.";
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"The test-data folder {folder} does not exist ({origin}). {fetch}");
        }

        var path = Path.Combine([folder, .. parts]);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"The test-data file {string.Join('/', parts)} is missing from {folder} ({origin}). {fetch}", path);
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
