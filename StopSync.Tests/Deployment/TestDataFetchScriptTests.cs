using System.Diagnostics;
using System.Security.Cryptography;
using StopSync.Tests.Infrastructure;
using StopSync.Tests.Jobs.Sources.Acquisition;

namespace StopSync.Tests.Deployment;

/// <summary>
/// scripts/fetch-test-data.sh run for real (bash and curl) against a loopback server that stands in for every public
/// origin through --mirror. The server holds the real samples, so a wrong digest in scripts/test-data.sha256 fails here.
/// </summary>
public sealed class TestDataFetchScriptTests : IAsyncLifetime
{
    private const string Manifest = "scripts/test-data.sha256";
    private const string TamperedFile = "upstream-sample/sample_osm.xml";
    private const string UnservedFile = "swiss-gtfs-learning-pt-routing/small_gtfs_feed.zip";

    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(2);

    private readonly string _cache = Directory.CreateTempSubdirectory("stopsync-test-data-").FullName;
    private readonly List<ManifestEntry> _entries = ReadManifest();
    private SourceTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await SourceTestServer.StartAsync();
        foreach (var entry in _entries)
        {
            _server.Serve(UrlPath(entry), await File.ReadAllBytesAsync(TestEnvironment.SharedData(entry.Path.Split('/'))));
        }
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_cache, recursive: true);
    }

    [Fact]
    public void Manifest_ListsTheSamplesTheTestsRead_WithADigestAndAnOriginEach()
    {
        Assert.Equal(
            [
                "swiss-gtfs-learning-pt-routing/gtfsfp20192018-12-05_small.zip",
                "swiss-gtfs-learning-pt-routing/small_gtfs_feed.zip",
                "upstream-sample/sample_atlas.csv",
                "upstream-sample/sample_osm.xml",
            ],
            _entries.Select(e => e.Path).Order(StringComparer.Ordinal));
        Assert.All(_entries, e =>
        {
            Assert.Matches("^[0-9a-f]{64}$", e.Sha256);
            Assert.StartsWith("https://", e.Origin, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Fetch_StoresEveryFileWithTheManifestDigest_WhenTheFolderIsEmpty()
    {
        var result = await RunAsync();

        Assert.True(result.ExitCode == 0, result.Describe());
        foreach (var entry in _entries)
        {
            var stored = Path.Combine(_cache, entry.Path);
            Assert.True(File.Exists(stored), $"{entry.Path} is not in the folder.{Environment.NewLine}{result.Describe()}");
            Assert.Equal(entry.Sha256, await Sha256Async(stored));
            Assert.Equal(await Sha256Async(TestEnvironment.SharedData(entry.Path.Split('/'))), entry.Sha256);
            Assert.Single(_server.RequestsTo(UrlPath(entry)));
        }

        Assert.Empty(Directory.GetFiles(_cache, "*.part", SearchOption.AllDirectories));
        Assert.Equal($"{TestEnvironment.TestDataVariable}={_cache}", result.StandardOutput.Trim());
    }

    [Fact]
    public async Task Fetch_DownloadsNothing_WhenEveryFileIsAlreadyThere()
    {
        var first = await RunAsync();
        Assert.True(first.ExitCode == 0, first.Describe());
        _server.ClearRequests();

        var second = await RunAsync();

        Assert.True(second.ExitCode == 0, second.Describe());
        Assert.Empty(_server.Requests);
        Assert.Equal($"{TestEnvironment.TestDataVariable}={_cache}", second.StandardOutput.Trim());
    }

    [Fact]
    public async Task Fetch_FailsNamingTheFileAndKeepsNoCopy_WhenTheServedFileHasAnotherDigest()
    {
        var served = File.ReadAllBytes(TestEnvironment.SharedData(TamperedFile.Split('/')));
        served[served.Length / 2] ^= 0x20;
        _server.Serve("/" + TamperedFile, served);

        var result = await RunAsync();

        Assert.True(result.ExitCode == 1, result.Describe());
        Assert.Contains($"error: {TamperedFile}: ", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("sha256", result.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_cache, TamperedFile)));
        Assert.Empty(Directory.GetFiles(_cache, "*.part", SearchOption.AllDirectories));
        Assert.True(File.Exists(Path.Combine(_cache, "upstream-sample", "sample_atlas.csv")), result.Describe());
        Assert.DoesNotContain(TestEnvironment.TestDataVariable, result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_FailsNamingTheFile_WhenItsDownloadFails()
    {
        _server.Remove("/" + UnservedFile);

        var result = await RunAsync();

        Assert.True(result.ExitCode == 1, result.Describe());
        Assert.Contains($"error: {UnservedFile}: download from ", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("404", result.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_cache, UnservedFile)));
    }

    [Fact]
    public async Task Fetch_ReplacesTheFile_WhenTheCopyInTheFolderHasAnotherDigest()
    {
        var entry = _entries.Single(e => e.Path == "upstream-sample/sample_atlas.csv");
        var stale = Path.Combine(_cache, entry.Path);
        Directory.CreateDirectory(Path.GetDirectoryName(stale)!);
        await File.WriteAllTextAsync(stale, "sloid;number\n");

        var result = await RunAsync();

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Equal(entry.Sha256, await Sha256Async(stale));
        Assert.Single(_server.RequestsTo(UrlPath(entry)));
    }

    [Fact]
    public async Task Fetch_FillsTheFolderStopSyncTestDataNames_WhenNoDirIsGiven()
    {
        var result = await RunAsync(withDir: false);

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.All(_entries, e => Assert.True(File.Exists(Path.Combine(_cache, e.Path)), e.Path));
        Assert.Equal($"{TestEnvironment.TestDataVariable}={_cache}", result.StandardOutput.Trim());
    }

    private static string UrlPath(ManifestEntry entry) => "/" + entry.Path;

    private static List<ManifestEntry> ReadManifest() =>
        File.ReadLines(Path.Combine(TestEnvironment.RepositoryRoot, Manifest))
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(words => new ManifestEntry(words[0], words[1], words[2]))
            .ToList();

    private static async Task<string> Sha256Async(string path)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream));
    }

    private async Task<ScriptResult> RunAsync(bool withDir = true)
    {
        var startInfo = new ProcessStartInfo("bash")
        {
            WorkingDirectory = TestEnvironment.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(Path.Combine(TestEnvironment.RepositoryRoot, TestEnvironment.FetchScript));
        if (withDir)
        {
            startInfo.ArgumentList.Add("--dir");
            startInfo.ArgumentList.Add(_cache);
        }

        startInfo.ArgumentList.Add("--mirror");
        startInfo.ArgumentList.Add(_server.BaseUri.ToString());

        // The test run itself names a data folder; the script must see only this test's.
        startInfo.Environment.Remove("STOPSYNC_TEST_DATA_MIRROR");
        if (withDir)
        {
            startInfo.Environment.Remove(TestEnvironment.TestDataVariable);
        }
        else
        {
            startInfo.Environment[TestEnvironment.TestDataVariable] = _cache;
        }

        // A proxy from the caller's environment must not stand between curl and the loopback server.
        startInfo.Environment["NO_PROXY"] = "127.0.0.1";
        startInfo.Environment["no_proxy"] = "127.0.0.1";

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start bash.");
        var standardOutput = process.StandardOutput.ReadToEndAsync();
        var standardError = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ScriptTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{TestEnvironment.FetchScript} did not finish within {ScriptTimeout}.");
        }

        return new ScriptResult(process.ExitCode, await standardOutput, await standardError);
    }

    private sealed record ManifestEntry(string Sha256, string Path, string Origin);

    private sealed record ScriptResult(int ExitCode, string StandardOutput, string StandardError)
    {
        public string Describe() =>
            $"exit {ExitCode}{Environment.NewLine}stderr:{Environment.NewLine}{StandardError.Trim()}" +
            $"{Environment.NewLine}stdout:{Environment.NewLine}{StandardOutput.Trim()}";
    }
}
