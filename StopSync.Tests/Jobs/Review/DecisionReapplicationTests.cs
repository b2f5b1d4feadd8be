using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using StopSync.Data;
using StopSync.Data.Entities;
using StopSync.Jobs.Bundles;
using StopSync.Jobs.Demo;
using StopSync.Jobs.Publication;
using StopSync.Jobs.Runs;
using StopSync.Jobs.Sources;
using StopSync.Jobs.Sources.Geography;
using StopSync.Tests.Infrastructure;
using StopSync.Tests.Jobs.Runs;

namespace StopSync.Tests.Jobs.Review;

/// <summary>A migrated database of its own (the tests rewrite its decisions and publish altered datasets) and the demo files.</summary>
public sealed class ReapplicationFixture : IAsyncLifetime
{
    private TestDatabase? _database;

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("stopsync-reapply-").FullName;
    public string HangfirePrefix { get; } = $"stopsync-test:{Guid.NewGuid():N}:";
    public string ConnectionString => _database!.ConnectionString;
    public string AtlasPath => Path.Combine(Directory, SourceFileNames.Atlas);
    public string OsmPath => Path.Combine(Directory, SourceFileNames.Osm);
    public string GtfsPath => Path.Combine(Directory, SourceFileNames.Gtfs);

    public async Task InitializeAsync()
    {
        _database = await HeldRunFixture.CreateMigratedDatabaseAsync();
        DatasetGenerator.Generate(Directory);
    }

    public async Task DisposeAsync()
    {
        await IntegrationFixture.DeleteRedisKeysAsync(HangfirePrefix);
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }

    /// <summary>A full pipeline run (check, read, match, publish) on the demo ATLAS and GTFS files and <paramref name="osmPath"/>.</summary>
    public async Task<PipelineRun> RunAsync(string osmPath)
    {
        await using var services = PipelineServices.Create(ConnectionString, AtlasPath, osmPath, GtfsPath, HangfirePrefix + "pipeline:");
        await using var scope = services.CreateAsyncScope();
        var run = await scope.ServiceProvider.GetRequiredService<PipelineRunner>().RunAsync(PipelineTrigger.Manual, PipelineMode.Full, null, CancellationToken.None);
        Assert.Equal(PipelineRunStatus.Succeeded, run.Status);
        return run;
    }

    /// <summary>The demo's Overpass answer with one tag of one element set to <paramref name="value"/>, or removed when it is null.</summary>
    public string OsmWithTag(string osmId, string key, string? value)
    {
        var document = XDocument.Load(OsmPath);
        var element = document.Root!.Elements("node").Single(e => (string?)e.Attribute("id") == osmId);
        var tag = element.Elements("tag").SingleOrDefault(t => (string?)t.Attribute("k") == key);
        if (value is null)
        {
            tag?.Remove();
        }
        else if (tag is null)
        {
            element.Add(new XElement("tag", new XAttribute("k", key), new XAttribute("v", value)));
        }
        else
        {
            tag.SetAttributeValue("v", value);
        }

        var path = Path.Combine(Directory, $"osm-{Guid.NewGuid():N}.xml");
        document.Save(path);
        return path;
    }
}

/// <summary>docs/09-review.md, "Evidence and re-application": decisions through full pipeline runs on real PostGIS.</summary>
public sealed class DecisionReapplicationTests(ReapplicationFixture fixture) : IClassFixture<ReapplicationFixture>, IAsyncLifetime
{
    private NpgsqlDataSource _dataSource = null!;

    public async Task InitializeAsync()
    {
        _dataSource = DataServiceCollectionExtensions.CreateDataSource(fixture.ConnectionString);
        await ExecuteAsync("DELETE FROM review.decision_events; DELETE FROM review.decisions");
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    [Fact]
    public async Task Publication_WritesEveryProblemsKeyAndEvidence_AsTheBundleHasThem()
    {
        var run = await fixture.RunAsync(fixture.OsmPath);
        var bundle = ResultBundleReader.Read(Path.Combine(Path.GetDirectoryName(fixture.AtlasPath)!, "bundles", run.Id.ToString("D"))).Result;
        var published = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var command = _dataSource.CreateCommand("SELECT problem_key, evidence::text FROM problems"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                published.Add(reader.GetString(0), reader.GetString(1));
            }
        }

        Assert.Equal(bundle.Problems.Select(p => p.Id).Order(StringComparer.Ordinal), published.Keys.Order(StringComparer.Ordinal));
        foreach (var problem in bundle.Problems.Take(200))
        {
            Assert.True(await JsonEqualAsync(problem.Evidence!.ToJson(), published[problem.Id]), problem.Id);
        }
    }

    [Fact]
    public async Task Decision_StaysDecided_WithItsEvidence_WhenAFullRunHasTheSameInputs()
    {
        await fixture.RunAsync(fixture.OsmPath);
        var problem = await OperatorProblemAsync();
        var decision = await DecideAsync(problem);

        var run = await fixture.RunAsync(fixture.OsmPath);

        var after = await DecisionAsync(decision);
        Assert.Equal(("decided", null, null), (after.State, after.CurrentEvidence, after.StateRunId));
        Assert.True(await JsonEqualAsync(problem.Evidence, after.Evidence));
        Assert.Empty(await EventsAsync(decision));
        Assert.Contains("\"decisions\":{\"unchanged\":1,", run.Stats, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decision_NeedsAnotherLook_WithTheNewEvidence_WhenTheOsmTagItRestsOnChanges()
    {
        await fixture.RunAsync(fixture.OsmPath);
        var problem = await OperatorProblemAsync();
        var decision = await DecideAsync(problem);

        var run = await fixture.RunAsync(fixture.OsmWithTag(problem.OsmId, "operator", "Transports Nowhere"));

        var current = await PublishedEvidenceAsync(problem.Key);
        Assert.Contains("Transports Nowhere", current, StringComparison.Ordinal);
        var after = await DecisionAsync(decision);
        Assert.Equal(("needs_another_look", run.Id.ToString("D")), (after.State, after.StateRunId));
        Assert.True(await JsonEqualAsync(current!, after.CurrentEvidence!));
        Assert.True(await JsonEqualAsync(problem.Evidence, after.Evidence), "the decided evidence stays as it was decided");
        var change = Assert.Single(await EventsAsync(decision));
        Assert.Equal(("needs_another_look", "needs_another_look", run.Id.ToString("D")), (change.Action, change.State, change.RunId));
        Assert.True(await JsonEqualAsync(current!, change.Evidence!));

        // The same changed inputs again: nothing new to look at, so no second event.
        await fixture.RunAsync(fixture.OsmWithTag(problem.OsmId, "operator", "Transports Nowhere"));
        Assert.Single(await EventsAsync(decision));
        Assert.Equal("needs_another_look", (await DecisionAsync(decision)).State);
    }

    [Fact]
    public async Task Decision_IsResolvedByData_WhenTheProblemDisappears_AndReapplied_WhenItComesBackUnchanged()
    {
        await fixture.RunAsync(fixture.OsmPath);
        var problem = await OperatorProblemAsync();
        var decision = await DecideAsync(problem);

        // The mapper removed the OSM operator tag: nothing disagrees with ATLAS any more, the attributes problem is gone.
        var fixing = await fixture.RunAsync(fixture.OsmWithTag(problem.OsmId, "operator", null));

        Assert.Null(await PublishedEvidenceAsync(problem.Key));
        var resolved = await DecisionAsync(decision);
        Assert.Equal(("resolved_by_data", fixing.Id.ToString("D")), (resolved.State, resolved.StateRunId));
        Assert.Equal(("resolved_by_data", fixing.Id.ToString("D")), Pick(Assert.Single(await EventsAsync(decision))));

        var back = await fixture.RunAsync(fixture.OsmPath);

        var reapplied = await DecisionAsync(decision);
        Assert.Equal(("decided", null, back.Id.ToString("D")), (reapplied.State, reapplied.CurrentEvidence, reapplied.StateRunId));
        var events = await EventsAsync(decision);
        Assert.Equal([("resolved_by_data", fixing.Id.ToString("D")), ("reapplied", back.Id.ToString("D"))], events.Select(Pick));
        Assert.Contains("\"decisions\":{\"unchanged\":0,\"needs_another_look\":0,\"resolved_by_data\":0,\"reapplied\":1", back.Stats, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reapplication_ADatabaseError_RollsTheWholePublicationBack()
    {
        await fixture.RunAsync(fixture.OsmPath);
        var problem = await OperatorProblemAsync();
        var decision = await DecideAsync(problem);
        // Evidence other than the published one: the re-application has a decision to update, and the trigger refuses it.
        await ExecuteAsync("""UPDATE review.decisions SET evidence = '{"distance_bucket":"0-15"}'""");
        var before = await ScalarAsync<Guid>("SELECT run_id FROM dataset_publication");
        var problemsBefore = await ScalarAsync<long>("SELECT count(*) FROM problems");
        await ExecuteAsync(
            """
            CREATE FUNCTION review.refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by test'; END $$;
            CREATE TRIGGER refuse BEFORE UPDATE ON review.decisions FOR EACH ROW EXECUTE FUNCTION review.refuse();
            """);
        try
        {
            var bundle = ResultBundleReader.Read(Path.Combine(Path.GetDirectoryName(fixture.AtlasPath)!, "bundles", before.ToString("D")));
            var publisher = TestPublisher.Create(_dataSource, new PipelineOptions(), new SwissCantons());

            var error = await Assert.ThrowsAsync<PostgresException>(() => publisher.PublishAsync(Guid.NewGuid(), bundle, null, CancellationToken.None));

            Assert.Contains("refused by test", error.Message, StringComparison.Ordinal);
            Assert.Equal(before, await ScalarAsync<Guid>("SELECT run_id FROM dataset_publication"));
            Assert.Equal(problemsBefore, await ScalarAsync<long>("SELECT count(*) FROM problems"));
            Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname ~ '^(staging|previous)_'"));
            Assert.Equal("decided", (await DecisionAsync(decision)).State);
            Assert.Empty(await EventsAsync(decision));
        }
        finally
        {
            await ExecuteAsync("DROP TRIGGER refuse ON review.decisions; DROP FUNCTION review.refuse()");
        }
    }

    private static (string, string?) Pick(Event e) => (e.Action, e.RunId);

    /// <summary>A published attributes problem that rests on the operator alone, on an OSM node: changing that one tag
    /// changes its evidence and removing it makes the problem go away, without touching the matching (only this rule reads it).</summary>
    private async Task<Published> OperatorProblemAsync()
    {
        await using var command = _dataSource.CreateCommand(
            """
            SELECT p.problem_key, p.problem_type, p.evidence::text, s.sloid, s.osm_node_id
            FROM problems p JOIN stops_matched s ON s.id = p.stop_id
            WHERE p.problem_type = 'attributes' AND jsonb_array_length(p.evidence -> 'differences') = 1
              AND p.evidence #>> '{differences,0,attribute}' = 'operator' AND s.osm_node_id ~ '^[0-9]+$'
              AND (SELECT count(*) FROM stops_matched o WHERE o.osm_node_id = s.osm_node_id) = 1
            ORDER BY p.problem_key
            LIMIT 1
            """);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "the demo dataset has an operator-only attributes problem on a node");
        return new Published(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4));
    }

    private async Task<long> DecideAsync(Published problem)
    {
        await using var command = _dataSource.CreateCommand(
            """
            INSERT INTO review.decisions (problem_key, problem_type, sloids, osm_ids, kind, chosen_values, evidence, state, state_changed_at,
                                          decided_by_id, decided_by_name, decided_at, revision)
            VALUES ($1, $2, ARRAY[$3], ARRAY[$4], 'atlas_wrong', '{"operator":"x"}', $5::jsonb, 'decided', now(), 'reviewer-1', 'Rita Reviewer', now(), 1)
            RETURNING id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = problem.Key });
        command.Parameters.Add(new NpgsqlParameter { Value = problem.Type });
        command.Parameters.Add(new NpgsqlParameter { Value = problem.Sloid });
        command.Parameters.Add(new NpgsqlParameter { Value = problem.OsmId });
        command.Parameters.Add(new NpgsqlParameter { Value = problem.Evidence });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<Stored> DecisionAsync(long id)
    {
        await using var command = _dataSource.CreateCommand("SELECT state, evidence::text, current_evidence::text, state_run_id FROM review.decisions WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return new Stored(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3));
    }

    private async Task<List<Event>> EventsAsync(long decision)
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT action, state, evidence::text, run_id, account_id FROM review.decision_events WHERE decision_id = $1 ORDER BY id");
        command.Parameters.Add(new NpgsqlParameter { Value = decision });
        await using var reader = await command.ExecuteReaderAsync();
        var events = new List<Event>();
        while (await reader.ReadAsync())
        {
            Assert.True(reader.IsDBNull(4), "a publication's event names no account");
            events.Add(new Event(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        return events;
    }

    private async Task<string?> PublishedEvidenceAsync(string key)
    {
        await using var command = _dataSource.CreateCommand("SELECT evidence::text FROM problems WHERE problem_key = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        return (string?)await command.ExecuteScalarAsync();
    }

    private async Task<bool> JsonEqualAsync(string a, string b)
    {
        await using var command = _dataSource.CreateCommand("SELECT $1::jsonb = $2::jsonb");
        command.Parameters.Add(new NpgsqlParameter { Value = a });
        command.Parameters.Add(new NpgsqlParameter { Value = b });
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private sealed record Published(string Key, string Type, string Evidence, string Sloid, string OsmId);

    private sealed record Stored(string State, string Evidence, string? CurrentEvidence, string? StateRunId);

    private sealed record Event(string Action, string State, string? Evidence, string? RunId);
}
