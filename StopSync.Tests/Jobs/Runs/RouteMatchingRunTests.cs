using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using StopSync.Data.Entities;
using StopSync.Data.Status;
using StopSync.Jobs.Runs;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Jobs.Runs;

/// <summary>The <c>route_matching</c> phase of a real run on the demo dataset (docs/04-pipeline.md).</summary>
[Collection(IntegrationGroup.Name)]
public sealed class RouteMatchingRunTests(IntegrationFixture fixture) : IAsyncLifetime
{
    private readonly string _prefix = $"{fixture.PipelinePrefix}{Guid.NewGuid():N}:";

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => IntegrationFixture.DeleteRedisKeysAsync(_prefix);

    [Fact]
    public async Task Run_CompletesTheRouteMatchingPhase_WithItsCounts_AndPublishesWhatItFound()
    {
        await using var services = Services();

        var run = await RunAsync(services);

        Assert.Equal(PipelineRunStatus.Succeeded, run.Status);
        var phase = (await services.GetRequiredService<PipelineStatusStore>().ReadAsync()).Phases.Single(p => p.Id == PipelinePhases.RouteMatching);
        Assert.Equal(PhaseStatus.Complete, phase.Status);
        Assert.Equal(["atlas_families", "family_matches", "itineraries", "itinerary_matches", "osm_families", "route_problems"],
            phase.Counts.Keys.Order(StringComparer.Ordinal));
        using var stats = JsonDocument.Parse(run.Stats!);
        Assert.True(stats.RootElement.GetProperty("timings_seconds").TryGetProperty("route_matching", out _));
        var routes = stats.RootElement.GetProperty("routes");
        var swissStops = stats.RootElement.GetProperty("gtfs").GetProperty("swiss_stops").GetInt32();

        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        var families = await CountAsync(connection, "SELECT count(*) FROM line_families");
        Assert.Equal(phase.Counts["atlas_families"] + phase.Counts["osm_families"], families);
        Assert.Equal(routes.GetProperty("atlas_families").GetInt32() + routes.GetProperty("osm_families").GetInt32(), families);
        Assert.Equal(phase.Counts["itineraries"], await CountAsync(connection, "SELECT count(*) FROM itineraries"));
        Assert.Equal(phase.Counts["family_matches"], await CountAsync(connection, "SELECT count(*) FROM line_family_matches"));
        Assert.Equal(phase.Counts["itinerary_matches"], await CountAsync(connection, "SELECT count(*) FROM itinerary_matches"));
        Assert.Equal(phase.Counts["route_problems"], await CountAsync(connection, "SELECT count(*) FROM problems WHERE problem_type LIKE 'route\\_%'"));
        // Every Swiss stop of the demo timetable, with what it resolved to.
        Assert.True(swissStops > 0);
        Assert.Equal(swissStops, await CountAsync(connection, "SELECT count(*) FROM gtfs_stops"));
        Assert.Equal(0, await CountAsync(connection, "SELECT count(*) FROM gtfs_stops WHERE resolution_method IS NULL OR geom IS NULL"));
        await using var db = fixture.CreateDbContext();
        var manifest = await db.DatasetPublications.AsNoTracking().Select(p => p.Manifest).SingleAsync();
        using var published = JsonDocument.Parse(manifest!);
        var capabilities = published.RootElement.GetProperty("metadata").GetProperty("capabilities");
        Assert.Equal(families > 0, capabilities.GetProperty("routes").GetBoolean());
        Assert.True(capabilities.GetProperty("gtfs_identity").GetBoolean());
    }

    [Fact]
    public async Task Run_FailsInTheRouteMatchingPhase_AndThePublishedDatasetStays_WhenRouteMatchingThrows()
    {
        await using var services = Services(s => s.AddSingleton<RouteMatchingStep>((_, _, _) => throw new InvalidOperationException("line matching broke")));
        await using var db = fixture.CreateDbContext();
        var before = await db.DatasetPublications.AsNoTracking().SingleAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync(services));

        Assert.Equal("line matching broke", error.Message);
        var status = await services.GetRequiredService<PipelineStatusStore>().ReadAsync();
        Assert.Equal(PipelineStates.Failed, status.Status);
        Assert.Equal(PipelinePhases.RouteMatching, status.FailedPhase);
        Assert.Equal("unexpected error during route matching (InvalidOperationException; see the jobs log)", status.LastError);
        Assert.Equal(PhaseStatus.Failed, status.Phases.Single(p => p.Id == PipelinePhases.RouteMatching).Status);
        Assert.Equal(PhaseStatus.Skipped, status.Phases.Single(p => p.Id == PipelinePhases.Bundle).Status);
        var run = await db.PipelineRuns.AsNoTracking().SingleAsync(r => r.Id == status.RunId);
        Assert.Equal(PipelineRunStatus.Failed, run.Status);
        Assert.Contains("line matching broke", run.Error, StringComparison.Ordinal);
        var after = await db.DatasetPublications.AsNoTracking().SingleAsync();
        Assert.Equal((before.RunId, before.PublishedAt), (after.RunId, after.PublishedAt));
        Assert.False(Directory.Exists(Path.Combine(fixture.DemoDirectory, "bundles", run.Id.ToString("D"))));
    }

    private ServiceProvider Services(Action<IServiceCollection>? replace = null) =>
        PipelineServices.Create(fixture.ConnectionString, fixture.DemoAtlasPath, fixture.DemoOsmPath, fixture.DemoGtfsPath, _prefix, replace: replace);

    private static async Task<PipelineRun> RunAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PipelineRunner>().RunAsync("test", CancellationToken.None);
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
