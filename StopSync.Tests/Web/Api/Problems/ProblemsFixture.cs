using Npgsql;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Web.Api.Problems;

/// <summary>
/// <see cref="ProblemDataset"/> with three stored decisions (one decided, one needing another look, two resolved by
/// data), and the web app on it. Read-only: the tests only query.
/// </summary>
public sealed class ProblemsFixture : IAsyncLifetime
{
    private TestDatabase? _database;
    private StopSyncAppFactory? _factory;

    public string Prefix { get; } = $"stopsync-test:{Guid.NewGuid():N}:";
    public string ConnectionString => _database!.ConnectionString;
    internal StopSyncAppFactory Factory => _factory!;

    public async Task InitializeAsync()
    {
        _database = await ProblemDataset.CreateAsync();
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await InsertDecisionAsync(connection, "k-attr-1", "attributes", "osm_wrong", "decided", ProblemDataset.AttributesEvidence, "SBB", "ZH",
                """{"uic_ref":"8503001"}""");
            await InsertDecisionAsync(connection, "k-dist-4", "distance", "not_a_problem", "needs_another_look", """{"distance_bucket":"50-80"}""", "BLS", "BE", null);
            await InsertDecisionAsync(connection, "k-gone-1", "distance", "atlas_wrong", "resolved_by_data", """{"distance_bucket":"15-25"}""", "SBB", "ZH", null);
            await InsertDecisionAsync(connection, "k-gone-2", "unmatched", "not_a_problem", "resolved_by_data", """{"side":"osm","isolated":true}""", "BLS", "BE", null);
        }

        _factory = new StopSyncAppFactory(StopSyncAppFactory.DefaultSettings(ConnectionString, Prefix));
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        await IntegrationFixture.DeleteRedisKeysAsync(Prefix);
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    private static Task InsertDecisionAsync(NpgsqlConnection connection, string key, string type, string kind, string state, string evidence,
        string atlasOperator, string canton, string? chosenValues) =>
        ProblemDataset.ExecuteAsync(connection,
            "INSERT INTO review.decisions (problem_key, problem_type, sloids, osm_ids, kind, chosen_values, evidence, state, current_evidence, " +
            "state_changed_at, atlas_operator, canton, decided_by_id, decided_by_name, decided_at, revision) " +
            "VALUES ($1, $2, '{}', '{}', $3, $4::jsonb, $5::jsonb, $6, NULL, now(), $7, $8, 'u-anna', 'Anna', '2026-12-01T10:00:00Z', 1)",
            key, type, kind, (object?)chosenValues ?? DBNull.Value, evidence, state, atlasOperator, canton);
}
