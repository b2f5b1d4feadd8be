using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;
using StopSync.Tests.Infrastructure;
using StopSync.Tests.Web.Api.Problems;

namespace StopSync.Tests.Web.Api.Decisions;

/// <summary>
/// <see cref="ProblemDataset"/> and the web app with test sign-in (<see cref="TestReviewers"/>). Each test adds its own
/// problems (<see cref="NewProblemAsync"/>), so that the decisions of one test never meet another's.
/// </summary>
public sealed class DecisionsFixture : IAsyncLifetime
{
    private TestDatabase? _database;
    private StopSyncAppFactory? _site;
    private WebApplicationFactory<Program>? _factory;
    private long _nextId = 1000;

    public string Prefix { get; } = $"stopsync-test:{Guid.NewGuid():N}:";
    public string ConnectionString => _database!.ConnectionString;
    internal WebApplicationFactory<Program> Factory => _factory!;

    public async Task InitializeAsync()
    {
        _database = await ProblemDataset.CreateAsync();
        _site = new StopSyncAppFactory(StopSyncAppFactory.DefaultSettings(ConnectionString, Prefix));
        _factory = _site.WithTestReviewers();
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (_site is not null)
        {
            await _site.DisposeAsync();
        }

        await IntegrationFixture.DeleteRedisKeysAsync(Prefix);
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    public HttpClient Reviewer(string name = "Rita") => TestReviewers.Client(Factory, name, "reviewer");

    /// <summary>A new published stop row with one problem of a new key; returns the key.</summary>
    public async Task<string> NewProblemAsync(string type = "attributes", string? sloid = "ch:1:sloid:1", string? osm = "101",
        string? evidence = ProblemDataset.AttributesEvidence, string atlasOperator = "SBB", string canton = "ZH")
    {
        var id = Interlocked.Increment(ref _nextId);
        var key = $"t{id}-{Guid.NewGuid():N}"[..24];
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        var stopType = sloid is null ? "osm_unmatched" : osm is null ? "atlas_unmatched" : "matched";
        await ProblemDataset.InsertStopAsync(connection, id, sloid, osm, stopType, osm is null || sloid is null ? null : 42, atlasOperator, canton);
        await ProblemDataset.InsertProblemAsync(connection, id, id, type, 2, key, evidence);
        return key;
    }

    public async Task<T?> ScalarAsync<T>(string sql, params object[] values)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)result;
    }

    public async Task ExecuteAsync(string sql, params object[] values)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await ProblemDataset.ExecuteAsync(connection, sql, values);
    }
}
