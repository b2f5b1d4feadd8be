using Npgsql;

namespace StopSync.Web.Pages.Map;

/// <summary>
/// The partners of every OSM element in a pair or trio, with their positions, read once per published run and kept in
/// process: map rows of a group need them on every viewport, and looking them up per request cost more than the
/// viewport query itself (docs/05-api.md, "Performance"). The published run id is read again at most every
/// <see cref="PublishedDataCache.RunIdLifetime"/>, so a new publication shows within that time.
/// </summary>
public sealed class StopUnitPartners(NpgsqlDataSource dataSource, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Snapshot? _current;

    public async Task<IReadOnlyDictionary<string, UnitMembership>> CurrentAsync(CancellationToken ct)
    {
        if (Fresh(_current) is { } members)
        {
            return members;
        }

        await _gate.WaitAsync(ct);
        try
        {
            if (Fresh(_current) is { } again)
            {
                return again;
            }

            var runId = await PublishedRun.IdAsync(dataSource, ct) ?? Guid.Empty;
            var current = _current;
            var loaded = current is not null && current.RunId == runId ? current.Members : await LoadAsync(ct);
            _current = new Snapshot(runId, time.GetUtcNow(), loaded);
            return loaded;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private IReadOnlyDictionary<string, UnitMembership>? Fresh(Snapshot? snapshot) =>
        snapshot is not null && time.GetUtcNow() - snapshot.CheckedAt < PublishedDataCache.RunIdLifetime ? snapshot.Members : null;

    // A trio's middle counts as matched when it has a row of its own with stop_type 'matched'.
    private async Task<IReadOnlyDictionary<string, UnitMembership>> LoadAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT me.node_id, me.member_role,
                   array_agg(pm.node_id ORDER BY pm.node_id), array_agg(pm.member_role ORDER BY pm.node_id),
                   array_agg(n.lat ORDER BY pm.node_id), array_agg(n.lon ORDER BY pm.node_id),
                   EXISTS (SELECT 1 FROM osm_stop_members mm JOIN stops_matched x ON x.osm_node_id = mm.node_id
                           WHERE mm.osm_stop_id = me.osm_stop_id AND mm.member_role = 'trio_middle' AND x.stop_type = 'matched')
            FROM osm_stop_members me
            JOIN osm_stop_members pm ON pm.osm_stop_id = me.osm_stop_id AND pm.node_id <> me.node_id
            JOIN osm_nodes n ON n.osm_node_id = pm.node_id
            GROUP BY me.osm_stop_id, me.node_id, me.member_role
            """);
        var members = new Dictionary<string, UnitMembership>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            members[reader.GetString(0)] = new UnitMembership(
                reader.GetString(1), reader.GetFieldValue<string[]>(2), reader.GetFieldValue<string[]>(3),
                reader.GetFieldValue<double[]>(4), reader.GetFieldValue<double[]>(5), reader.GetBoolean(6));
        }

        return members;
    }

    private sealed record Snapshot(Guid RunId, DateTimeOffset CheckedAt, IReadOnlyDictionary<string, UnitMembership> Members);
}

/// <summary>An OSM element's role in its pair or trio and the other members, ordered by node id.</summary>
public sealed record UnitMembership(
    string Role, string[] PartnerIds, string[] PartnerRoles, double[] PartnerLats, double[] PartnerLons, bool MiddleMatched);
