using Microsoft.EntityFrameworkCore;
using StopSync.Data;
using StopSync.Jobs.Demo;
using StopSync.Jobs.Sources;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Jobs.Cli;

/// <summary>The jobs executable as an operator runs it.</summary>
public sealed class JobsCommandLineTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("stopsync-cli-").FullName;

    // run-pipeline writes its status and run lock under this prefix, never under the real one.
    private readonly string _pipelinePrefix = $"stopsync-test:{Guid.NewGuid():N}:pipeline:";

    [Fact]
    public async Task GenerateDemo_WritesTheThreeFiles()
    {
        var (exitCode, output) = await RunAsync([], "generate-demo", "--out", _dir);

        Assert.True(exitCode == 0, output);
        Assert.Contains("current Swiss platforms", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_dir, SourceFileNames.Atlas)));
        Assert.True(File.Exists(Path.Combine(_dir, SourceFileNames.Osm)));
        Assert.True(File.Exists(Path.Combine(_dir, DatasetGenerator.TruthFileName)));
    }

    [Fact]
    public async Task Generate_WritesTheFourFilesAndPrintsTheCounts_WhenSizeIsSmall()
    {
        var (exitCode, output) = await RunAsync([], "generate", "--size", "small", "--seed", "3", "--out", _dir);

        Assert.True(exitCode == 0, output);
        Assert.Matches(@"GTFS: \d+ stops, \d+ routes, \d+ trips, \d+ stop times", output);
        Assert.Matches(@"OSM: \d+ nodes, \d+ ways, \d+ route relations", output);
        Assert.All((string[])[SourceFileNames.Atlas, SourceFileNames.Osm, SourceFileNames.Gtfs, DatasetGenerator.TruthFileName],
            f => Assert.True(new FileInfo(Path.Combine(_dir, f)).Length > 100_000, f));
    }

    [Fact]
    public async Task Generate_FailsWithAMessage_WhenTheSizeIsUnknown()
    {
        var (exitCode, output) = await RunAsync([], "generate", "--size", "huge", "--out", _dir);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("huge", output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public async Task GenerateDemo_Exits2WithAMessage_WhenOutIsMissing()
    {
        var (exitCode, output) = await RunAsync([], "generate-demo");

        Assert.Equal(2, exitCode);
        Assert.Contains("--out", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunPipeline_Exits1AndNamesTheFile_WhenTheAtlasFileIsMissing()
    {
        // Its own database: the run is recorded (as failed), and that must not land in anyone's real history.
        await using var database = await TestDatabase.CreateAsync();
        await using (var db = new StopSyncDbContext(new DbContextOptionsBuilder<StopSyncDbContext>()
            .UseNpgsql(database.ConnectionString, o => o.UseNetTopologySuite()).UseSnakeCaseNamingConvention().Options))
        {
            await db.Database.MigrateAsync();
        }

        var missing = Path.Combine(_dir, "missing-atlas.csv");
        var demo = Path.Combine(_dir, "demo");
        DatasetGenerator.Generate(demo);

        var (exitCode, output) = await RunAsync(
            new()
            {
                ["Pipeline__Sources__Atlas__Path"] = missing,
                ["Pipeline__Sources__Osm__Path"] = Path.Combine(demo, SourceFileNames.Osm),
                ["Pipeline__Sources__Gtfs__Path"] = Path.Combine(demo, SourceFileNames.Gtfs),
                ["Pipeline__Sources__CacheDirectory"] = Path.Combine(_dir, "cache"),
                ["ConnectionStrings__StopSync"] = database.ConnectionString,
                ["Pipeline__KeyPrefix"] = _pipelinePrefix,
            },
            "run-pipeline");

        // 1 like any failed run; 2 is kept for bad arguments and for a trigger skipped because another run is active.
        Assert.Equal(1, exitCode);
        Assert.Contains("missing-atlas.csv", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("generate", "--size", "huge", "--out", "/tmp/x")]
    [InlineData("generate", "--size", "small")]
    [InlineData("no-such-command")]
    public async Task BadArguments_Exit2WithAMessage(params string[] args)
    {
        var (exitCode, output) = await RunAsync([], args);

        Assert.Equal(2, exitCode);
        Assert.Contains("error:", output, StringComparison.Ordinal);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        await IntegrationFixture.DeleteRedisKeysAsync(_pipelinePrefix);
    }

    private static Task<(int ExitCode, string Output)> RunAsync(Dictionary<string, string> environment, params string[] args) =>
        JobsExecutable.RunAsync(environment, args);
}
