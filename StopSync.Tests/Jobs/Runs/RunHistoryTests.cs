using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StopSync.Data;
using StopSync.Data.Entities;
using StopSync.Jobs.Runs;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Jobs.Runs;

/// <summary>The run history's ETA on a database of its own, so no other test's runs count.</summary>
public sealed class RunHistoryTests : IAsyncLifetime
{
    // A full run's statistics as releases before the typed RunStats stored them (anonymous objects).
    private const string EarlierFullRun = """
        {"run_id":"0b9f3c7e-1d2a-4f43-9a49-5d3f3c1e0a11","mode":"full",
         "sources":[{"source":"atlas","outcome":"local","bytes":1234,"etag":null,"last_modified":null}],
         "atlas_filtering":{"rows":10,"kept":8},"atlas_platforms":8,"atlas_duplicate_groups":0,
         "osm":{"nodes":5,"ways":1,"route_relations":0,"skipped_relations":0,"malformed":0},"osm_elements":6,
         "gtfs":{"stops":{"rows":3,"malformed":0}},"sloids_with_routes":2,"matching":{"matched_pairs":4},
         "timings_seconds":{"atlas_read":0.5,"matching":0.25},
         "phase_seconds":{"source_check":1,"source_files":2,"matching_inputs":3,"stop_matching":4,"route_matching":0,"bundle":1,"database":5,"publish":1}}
        """;

    private const string EarlierImportRun = """
        {"run_id":"3c1e0a11-1d2a-4f43-9a49-5d3f0b9f3c7e","mode":"import",
         "bundle":{"path":"/data/bundles/x","run_id":"0b9f3c7e-1d2a-4f43-9a49-5d3f3c1e0a11","generated_at":"2026-11-29T02:00:00+00:00","engine_version":"1"},
         "summary":{"matching":{"matched_pairs":4}},"phase_seconds":{"database":7,"publish":2}}
        """;

    private TestDatabase _database = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _services = PipelineServices.Create(_database.ConnectionString, "/nonexistent/atlas.csv", "/nonexistent/osm.xml", "/nonexistent/gtfs.zip",
            $"stopsync-test:{Guid.NewGuid():N}:");
        await using var db = Context();
        await db.Database.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task EstimateSeconds_CountsRowsStoredByEarlierReleases_AndOnlySucceededRunsOfTheSameMode()
    {
        var typed = RunStats.Empty(Guid.NewGuid(), "full") with
        {
            TimingsSeconds = new Dictionary<string, double> { ["matching"] = 1 },
            PhaseSeconds = new Dictionary<string, double>
            {
                ["source_check"] = 3, ["source_files"] = 4, ["matching_inputs"] = 5, ["stop_matching"] = 6,
                ["route_matching"] = 0, ["bundle"] = 3, ["database"] = 9, ["publish"] = 3,
            },
        };
        await AddAsync("full", PipelineRunStatus.Succeeded, EarlierFullRun, minutesAgo: 30);
        await AddAsync("full", PipelineRunStatus.Succeeded, typed.ToJson(), minutesAgo: 20);
        // Neither a failed run nor a run of another mode says how long a full run takes.
        await AddAsync("full", PipelineRunStatus.Failed, """{"phase_seconds":{"database":500}}""", minutesAgo: 10);
        await AddAsync("import", PipelineRunStatus.Succeeded, EarlierImportRun, minutesAgo: 5);
        await using var scope = _services.CreateAsyncScope();
        var history = scope.ServiceProvider.GetRequiredService<RunHistory>();

        var full = await history.EstimateSecondsAsync(PipelineMode.Full, CancellationToken.None);
        var import = await history.EstimateSecondsAsync(PipelineMode.Import, CancellationToken.None);
        var matchImport = await history.EstimateSecondsAsync(PipelineMode.MatchImport, CancellationToken.None);

        // Means per phase of the two full runs: 2 + 3 + 4 + 5 + 0 + 2 + 7 + 2.
        Assert.Equal(25, full);
        Assert.Equal(9, import);
        Assert.Null(matchImport);
    }

    private async Task AddAsync(string mode, string status, string stats, int minutesAgo)
    {
        await using var db = Context();
        var started = DateTimeOffset.UtcNow.AddMinutes(-minutesAgo);
        db.PipelineRuns.Add(new PipelineRun
        {
            Id = Guid.NewGuid(), Trigger = "scheduled", Mode = mode, Status = status, StartedAt = started, FinishedAt = started.AddMinutes(1), Stats = stats,
        });
        await db.SaveChangesAsync();
    }

    private StopSyncDbContext Context() =>
        new(new DbContextOptionsBuilder<StopSyncDbContext>()
            .UseNpgsql(_database.ConnectionString, o => o.UseNetTopologySuite())
            .UseSnakeCaseNamingConvention()
            .Options);
}
