using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using StopSync.Jobs.History;
using StopSync.Jobs.Publication;
using StopSync.Jobs.Runs;
using StopSync.Jobs.Sources.Geography;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Jobs.History;

/// <summary>
/// docs/10-history.md, "Statistics": each publication's figures equal what its published tables give, stay with
/// the publication after later swaps, go with it past the retention, and never outlive a failed publication. Every
/// test reads the publication live when it starts, so they hold in any order.
/// </summary>
public sealed class StatisticsTests(StatisticsFixture fixture) : IClassFixture<StatisticsFixture>
{
    private static readonly SwissCantons Cantons = new();

    [Fact]
    public async Task Statistics_EqualThePublishedTables_ForTheWholeDatasetAnOperatorAndACanton()
    {
        await using var connection = await fixture.DataSource.OpenConnectionAsync();
        var runId = await LiveRunAsync(connection);
        var rows = await StatisticsRow.ReadAsync(connection, runId);

        // One row per operator and canton of the published rows, and one for the whole dataset.
        Assert.Equal(await DistinctAsync(connection, "atlas_operator"), rows.Where(r => r.Kind == "operator").Select(r => r.Key).ToList());
        Assert.Equal(await DistinctAsync(connection, "canton"), rows.Where(r => r.Kind == "canton").Select(r => r.Key).ToList());
        var all = Assert.Single(rows, r => r.Kind == "all");
        Assert.Equal("", all.Key);
        Assert.Null(all.Name);
        // The largest operator and canton: the scopes with the most figures to get wrong.
        var op = rows.Where(r => r.Kind == "operator").MaxBy(r => r.AtlasPlatforms)!;
        var canton = rows.Where(r => r.Kind == "canton").MaxBy(r => r.OsmNodes)!;
        Assert.Equal(await ScalarAsync<string>(connection,
            "SELECT atlas_business_org_name FROM atlas_stops WHERE atlas_business_org_abbr = @key LIMIT 1", op.Key), op.Name);
        Assert.Equal(CantonNames.Of(canton.Key), canton.Name);
        Assert.NotNull(canton.Name);

        foreach (var row in new[] { all, op, canton })
        {
            await AssertEqualsPublishedAsync(connection, row);
        }

        // The demo has every kind of figure, so none of the comparisons above compared zeros only.
        var unmatched = JsonDocument.Parse(all.Details).RootElement.GetProperty("unmatched");
        Assert.All(["atlas_isolated", "atlas_with_counterpart_nearby", "osm_isolated", "osm_with_counterpart_nearby"],
            name => Assert.True(unmatched.GetProperty(name).GetInt32() > 0, name));
        Assert.True(all.AtlasEffectivelyMatched > 0 && all.ProblemsP1 > 0 && all.ProblemsP2 > 0 && all.ProblemsP3 > 0);
        Assert.True(op.OsmNodes > 0 && op.Problems > 0);
    }

    [Fact]
    public async Task Statistics_OfEarlierPublications_SurviveTheNextPublication_Unchanged()
    {
        await using var connection = await fixture.DataSource.OpenConnectionAsync();
        var earlierRun = await LiveRunAsync(connection);
        var earlier = await StatisticsRow.ReadAsync(connection, earlierRun);
        Assert.NotEmpty(earlier);

        var next = await fixture.RunAsync(fixture.OsmWithoutEveryNthNode(25));

        Assert.Equal(next.Id, await LiveRunAsync(connection));
        Assert.Equal(earlier, await StatisticsRow.ReadAsync(connection, earlierRun));
        var latest = await StatisticsRow.ReadAsync(connection, next.Id);
        var all = Assert.Single(latest, r => r.Kind == "all");
        Assert.True(all.OsmNodes < earlier.Single(r => r.Kind == "all").OsmNodes);
        await AssertEqualsPublishedAsync(connection, all);
        Assert.Equal(2, await ScalarAsync<long>(connection,
            "SELECT count(*) FROM publication_history WHERE published_at IS NOT NULL AND run_id = ANY(@runs)", new[] { earlierRun, next.Id }));
    }

    [Fact]
    public async Task Retention_DeletesPublicationsPastTheRetention_WithTheirStatistics_AtTheNextSwap()
    {
        await using var connection = await fixture.DataSource.OpenConnectionAsync();
        var expired = await LiveRunAsync(connection);
        Assert.NotEqual(0, await CountRowsAsync(connection, expired));
        var kept = Guid.NewGuid();
        // The live publication aged past a 30-day retention; an older one inserted just inside it.
        await ExecuteAsync(connection,
            """
            UPDATE publication_history SET published_at = now() - interval '31 days' WHERE run_id = @expired;
            INSERT INTO publication_history (run_id, bundle_run_id, generated_at, engine_version, published_at, change_counts)
            VALUES (@kept, @kept, now() - interval '40 days', 'test', now() - interval '29 days', '{}');
            INSERT INTO publication_statistics (run_id, scope_kind, scope_key, atlas_platforms, atlas_matched, atlas_effectively_matched,
                atlas_unmatched, osm_nodes, osm_matched, osm_unmatched, problems, problems_p1, problems_p2, problems_p3, details)
            VALUES (@kept, 'all', '', 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, '{}');
            """, ("expired", expired), ("kept", kept));
        var options = new PipelineOptions { History = { RetentionDays = 30 } };
        var runId = Guid.NewGuid();

        await TestPublisher.Create(fixture.DataSource, options, Cantons).PublishAsync(runId, fixture.LatestBundle(), null, CancellationToken.None);

        Assert.Equal(0, await CountRowsAsync(connection, expired));
        Assert.Equal(0, await ScalarAsync<long>(connection, "SELECT count(*) FROM publication_history WHERE run_id = @key", expired));
        Assert.Equal(1, await CountRowsAsync(connection, kept));
        Assert.NotEqual(0, await CountRowsAsync(connection, runId));
    }

    [Fact]
    public async Task FailedPublication_LeavesNoStatisticsRows_ThoughItWroteThemBeforeTheSwap()
    {
        await using var connection = await fixture.DataSource.OpenConnectionAsync();
        var runId = Guid.NewGuid();
        long rowsBeforeSwap = -1;
        var progress = new StageProgress(async stage =>
        {
            if (stage == PublicationStage.Swap)
            {
                await using var probe = await fixture.DataSource.OpenConnectionAsync();
                rowsBeforeSwap = await ScalarAsync<long>(probe, "SELECT count(*) FROM publication_statistics WHERE run_id = @key", runId);
            }
        });
        // A reader holding the live table makes the swap give up after the statistics were written.
        await using var reader = await fixture.DataSource.OpenConnectionAsync();
        await using var transaction = await reader.BeginTransactionAsync();
        await ExecuteAsync(reader, "LOCK TABLE public.stops_matched IN ACCESS SHARE MODE");
        var options = new PipelineOptions { Publication = { LockTimeoutSeconds = 0.5 } };

        await Assert.ThrowsAsync<PublicationBusyException>(() =>
            TestPublisher.Create(fixture.DataSource, options, Cantons).PublishAsync(runId, fixture.LatestBundle(), progress, CancellationToken.None));
        await transaction.RollbackAsync();

        Assert.True(rowsBeforeSwap > 0);
        Assert.Equal(0, await CountRowsAsync(connection, runId));
        Assert.Equal(0, await ScalarAsync<long>(connection, "SELECT count(*) FROM publication_history WHERE run_id = @key", runId));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    public async Task RetentionDays_BelowOneDay_IsRefusedWithTheSettingNamed(string value)
    {
        await using var services = PipelineServices.Create(fixture.ConnectionString, fixture.AtlasPath, fixture.OsmPath, fixture.GtfsPath,
            fixture.HangfirePrefix + "pipeline:", new Dictionary<string, string?> { ["Pipeline:History:RetentionDays"] = value });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<PipelineOptions>>().Value);

        Assert.Contains($"Pipeline:History:RetentionDays is {value}", error.Message, StringComparison.Ordinal);
    }

    private static async Task AssertEqualsPublishedAsync(NpgsqlConnection connection, StatisticsRow row)
    {
        var expected = new StatisticsRecomputation(connection, row.Kind, row.Key);
        var scope = $"{row.Kind} '{row.Key}'";
        Assert.True(await expected.AtlasPlatformsAsync() == row.AtlasPlatforms, $"{scope}: atlas_platforms");
        Assert.True(await expected.AtlasMatchedAsync() == row.AtlasMatched, $"{scope}: atlas_matched");
        Assert.True(await expected.EffectivelyMatchedAsync() == row.AtlasEffectivelyMatched, $"{scope}: atlas_effectively_matched");
        Assert.True(await expected.AtlasUnmatchedAsync() == row.AtlasUnmatched, $"{scope}: atlas_unmatched");
        Assert.True(await expected.OsmNodesAsync() == row.OsmNodes, $"{scope}: osm_nodes");
        Assert.True(await expected.OsmMatchedAsync() == row.OsmMatched, $"{scope}: osm_matched");
        Assert.True(await expected.OsmUnmatchedAsync() == row.OsmUnmatched, $"{scope}: osm_unmatched");

        var types = await expected.ProblemTypesAsync();
        Assert.Equal(types.Sum(t => t.Total), row.Problems);
        Assert.Equal(types.Sum(t => t.P1), row.ProblemsP1);
        Assert.Equal(types.Sum(t => t.P2), row.ProblemsP2);
        Assert.Equal(types.Sum(t => t.P3), row.ProblemsP3);

        var details = JsonDocument.Parse(row.Details).RootElement;
        Assert.Equal(types, details.GetProperty("problem_types").EnumerateArray()
            .Select(t => (t.GetProperty("type").GetString()!, t.GetProperty("total").GetInt64(), t.GetProperty("p1").GetInt64(),
                t.GetProperty("p2").GetInt64(), t.GetProperty("p3").GetInt64())).ToList());
        Assert.Equal(await expected.StopUnitsAsync(), details.GetProperty("stop_units").EnumerateArray()
            .Select(u => (u.GetProperty("kind").GetString()!, u.GetProperty("count").GetInt64())).ToList());
        Assert.Equal(await expected.Within50mAsync(), details.GetProperty("within_50m").GetInt64());

        var unmatched = details.GetProperty("unmatched");
        Assert.Equal(await expected.AtlasIsolatedAsync(), unmatched.GetProperty("atlas_isolated").GetInt64());
        Assert.Equal(await expected.AtlasNearbyAsync(), unmatched.GetProperty("atlas_with_counterpart_nearby").GetInt64());
        Assert.Equal(await expected.OsmUnmatchedAsync(isolated: true), unmatched.GetProperty("osm_isolated").GetInt64());
        Assert.Equal(await expected.OsmUnmatchedAsync(isolated: false), unmatched.GetProperty("osm_with_counterpart_nearby").GetInt64());

        var methods = await expected.MatchMethodsAsync();
        var actual = details.GetProperty("match_methods").EnumerateArray().Select(MethodFigures.From).ToList();
        Assert.Equal(methods.Select(m => (m.Method, m.Count)), actual.Select(m => (m.Method, m.Count)));
        foreach (var (e, a) in methods.Zip(actual))
        {
            // Written with one decimal.
            AssertClose(e.Mean, a.Mean, $"{scope} {e.Method} mean");
            AssertClose(e.Median, a.Median, $"{scope} {e.Method} median");
            AssertClose(e.P95, a.P95, $"{scope} {e.Method} p95");
        }
    }

    private static void AssertClose(double? expected, double? actual, string what)
    {
        Assert.True(expected.HasValue == actual.HasValue, $"{what}: {expected} vs {actual}");
        if (expected.HasValue)
        {
            Assert.True(Math.Abs(expected.Value - actual!.Value) <= 0.0501, $"{what}: {expected} vs {actual}");
        }
    }

    private static async Task<Guid> LiveRunAsync(NpgsqlConnection connection) =>
        await ScalarAsync<Guid>(connection, "SELECT run_id FROM dataset_publication");

    private static async Task<List<string>> DistinctAsync(NpgsqlConnection connection, string column)
    {
        var values = new List<string>();
        await using var command = new NpgsqlCommand(
            $"SELECT DISTINCT {column}::text FROM stops_matched WHERE {column} IS NOT NULL ORDER BY 1", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        // The writer's rows are ordered by key in the database's collation as well.
        return values;
    }

    private static async Task<long> CountRowsAsync(NpgsqlConnection connection, Guid runId) =>
        await ScalarAsync<long>(connection, "SELECT count(*) FROM publication_statistics WHERE run_id = @key", runId);

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, object? key = null)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (key is not null)
        {
            command.Parameters.AddWithValue(key is Guid[] ? "runs" : "key", key);
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }

    private sealed class StageProgress(Func<PublicationStage, Task> onStage) : IPublicationProgress
    {
        public Task StageAsync(PublicationStage stage) => onStage(stage);

        public Task RowsAsync(long loaded, long total) => Task.CompletedTask;
    }
}
