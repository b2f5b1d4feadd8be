using StopSync.Jobs.Demo;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Jobs;

/// <summary>The jobs executable as an operator runs it.</summary>
public sealed class JobsCommandLineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("stopsync-cli-").FullName;

    [Fact]
    public async Task GenerateDemo_WritesTheThreeFiles()
    {
        var (exitCode, output) = await RunAsync([], "generate-demo", "--out", _dir);

        Assert.True(exitCode == 0, output);
        Assert.Contains("current Swiss platforms", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_dir, DemoDatasetGenerator.AtlasFileName)));
        Assert.True(File.Exists(Path.Combine(_dir, DemoDatasetGenerator.OsmFileName)));
        Assert.True(File.Exists(Path.Combine(_dir, DemoDatasetGenerator.TruthFileName)));
    }

    [Fact]
    public async Task GenerateDemo_Exits2WithAMessage_WhenOutIsMissing()
    {
        var (exitCode, output) = await RunAsync([], "generate-demo");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("--out", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunPipeline_Exits2AndNamesTheFile_WhenTheAtlasFileIsMissing()
    {
        var missing = Path.Combine(_dir, "missing-atlas.csv");

        var (exitCode, output) = await RunAsync(
            new() { ["Pipeline__AtlasPath"] = missing, ["ConnectionStrings__StopSync"] = TestEnvironment.PostgresConnectionString },
            "run-pipeline");

        Assert.Equal(2, exitCode);
        Assert.Contains("missing-atlas.csv", output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Task<(int ExitCode, string Output)> RunAsync(Dictionary<string, string> environment, params string[] args) =>
        JobsExecutable.RunAsync(environment, args);
}
