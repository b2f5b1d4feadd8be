using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StopSync.Data;
using StopSync.Data.Exports;
using StopSync.Jobs.Exports;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Jobs.Exports;

/// <summary>The export job's path on the published demo dataset: cancel mid-way, and the cleanup of old files.</summary>
[Collection(IntegrationGroup.Name)]
public sealed class ExportRunnerTests(IntegrationFixture integration) : IAsyncLifetime
{
    private const int Chunk = 20;

    private readonly string _prefix = $"stopsync-test:{Guid.NewGuid():N}:";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"stopsync-exports-{Guid.NewGuid():N}");
    private ServiceProvider _services = null!;

    public Task InitializeAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:StopSync"] = integration.ConnectionString,
            ["ConnectionStrings:Redis"] = TestEnvironment.RedisConnectionString,
            ["Exports:Directory"] = _directory,
            ["Exports:KeyPrefix"] = _prefix,
            ["Exports:RetentionHours"] = "2",
            // The demo dataset has a few hundred rows per report: small chunks give several.
            ["Exports:ChunkRows"] = Chunk.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddStopSyncData();
        services.AddStopSyncExportJobs();
        _services = services.BuildServiceProvider();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await IntegrationFixture.DeleteRedisKeysAsync(_prefix);
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Run_StopsAtTheNextChunk_AndRemovesItsFile_WhenCancelled()
    {
        var request = new ExportRequest { ReportType = ExportReports.Unmatched, Format = ExportFormats.Csv, Sort = "source" };
        var total = await _services.GetRequiredService<ExportGenerator>().CountAsync(request, CancellationToken.None);
        Assert.True(total > 2 * Chunk, $"the demo dataset should have more than two chunks of unmatched rows, has {total}");
        var store = _services.GetRequiredService<ExportTaskStore>();
        var taskId = Guid.NewGuid().ToString("N");
        await store.CreateAsync(new ExportTaskState(taskId, ExportStatuses.Starting, 0, total, null, null, DateTimeOffset.UtcNow, "x.csv", request.ReportType, request.Format), request);
        var chunks = new List<long>();

        var result = await _services.GetRequiredService<ExportRunner>().RunAsync(taskId, async rows =>
        {
            chunks.Add(rows);
            if (chunks.Count == 1)
            {
                Assert.True(File.Exists(Path.Combine(_directory, taskId + ".csv.part")));
                await store.CancelAsync(taskId);
            }
        }, CancellationToken.None);

        Assert.Equal(ExportStatuses.Cancelled, result!.Status);
        Assert.Equal([(long)Chunk], chunks);
        Assert.Empty(Directory.GetFiles(_directory));
        var state = await store.GetAsync(taskId);
        Assert.Equal((ExportStatuses.Cancelled, 0L), (state!.Status, state.Processed));
    }

    [Fact]
    public async Task Run_StoresProgressAfterEachChunk_WithAnEta()
    {
        var request = new ExportRequest { ReportType = ExportReports.Unmatched, Format = ExportFormats.GeoJson, Sort = "source" };
        var total = await _services.GetRequiredService<ExportGenerator>().CountAsync(request, CancellationToken.None);
        var store = _services.GetRequiredService<ExportTaskStore>();
        var taskId = Guid.NewGuid().ToString("N");
        await store.CreateAsync(new ExportTaskState(taskId, ExportStatuses.Starting, 0, total, null, null, DateTimeOffset.UtcNow, "x.geojson", request.ReportType, request.Format), request);
        var seen = new List<ExportTaskState>();

        var result = await _services.GetRequiredService<ExportRunner>().RunAsync(taskId, async _ =>
        {
            // The state of the previous chunk (the runner stores this chunk's after the callback).
            seen.Add((await store.GetAsync(taskId))!);
        }, CancellationToken.None);

        Assert.Equal((ExportStatuses.Completed, total, total), (result!.Status, result.Processed, result.Total));
        Assert.Equal(ExportStatuses.Processing, seen[1].Status);
        Assert.Equal(Chunk, seen[1].Processed);
        Assert.NotNull(seen[1].EtaSeconds);
        Assert.True(File.Exists(Path.Combine(_directory, taskId + ".geojson")));
        Assert.False(File.Exists(Path.Combine(_directory, taskId + ".geojson.part")));
    }

    [Fact]
    public void Cleanup_DeletesExportFilesOlderThanTheRetention_AndNothingElse()
    {
        Directory.CreateDirectory(_directory);
        string Write(string name, TimeSpan age)
        {
            var path = Path.Combine(_directory, name);
            File.WriteAllText(path, "x");
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
            return path;
        }

        var old = Write(Guid.NewGuid().ToString("N") + ".csv", TimeSpan.FromHours(3));
        var oldPart = Write(Guid.NewGuid().ToString("N") + ".geojson.part", TimeSpan.FromHours(5));
        var recent = Write(Guid.NewGuid().ToString("N") + ".csv", TimeSpan.FromHours(1));
        var foreign = Write("notes.csv", TimeSpan.FromDays(30));

        var deleted = _services.GetRequiredService<ExportCleanup>().Pass();

        Assert.Equal(2, deleted);
        Assert.Equal((false, false, true, true), (File.Exists(old), File.Exists(oldPart), File.Exists(recent), File.Exists(foreign)));
    }
}
