using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using StopSync.Data.Review;

namespace StopSync.Web.Pages.Problems.Decisions;

/// <summary>The currently published problem a decision is about, with what the decision copies from it.</summary>
public sealed record PublishedProblem(
    string ProblemKey, string ProblemType, string? EvidenceJson, string? Sloid, string? OsmNodeId, string? AtlasOperator, string? Canton)
{
    /// <summary>The problem's ATLAS side, sorted: the duplicate group's members for an ATLAS duplicate, else the row's SLOID.</summary>
    public string[] Sloids => Sorted(Members("atlas") ?? (Sloid is null ? [] : [Sloid]));

    /// <summary>The problem's OSM side, sorted: the duplicate group's members for an OSM duplicate, else the row's OSM id.</summary>
    public string[] OsmIds => Sorted(Members("osm") ?? (OsmNodeId is null ? [] : [OsmNodeId]));

    private string[]? Members(string side)
    {
        if (ProblemType != ProblemTypes.Duplicates || EvidenceJson is null)
        {
            return null;
        }

        using var evidence = JsonDocument.Parse(EvidenceJson);
        var root = evidence.RootElement;
        return root.ValueKind == JsonValueKind.Object
               && root.TryGetProperty("side", out var s) && s.ValueKind == JsonValueKind.String && s.GetString() == side
               && root.TryGetProperty("members", out var members) && members.ValueKind == JsonValueKind.Array
            ? [.. members.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.String).Select(m => m.GetString()!)]
            : null;
    }

    private static string[] Sorted(IEnumerable<string> values) => [.. values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}

/// <summary>The person writing, from the signed-in principal.</summary>
public sealed record Reviewer(string Id, string Name);

public abstract record DecisionOutcome
{
    private DecisionOutcome()
    {
    }

    public sealed record Stored(DecisionView Decision) : DecisionOutcome;

    public sealed record Withdrawn : DecisionOutcome;

    /// <summary>The write named another revision than the stored one; <see cref="Current"/> is null when nothing is stored.</summary>
    public sealed record Conflict(DecisionView? Current) : DecisionOutcome;

    public sealed record NotFound : DecisionOutcome;
}

/// <summary>One line of a decision's history.</summary>
public sealed record DecisionEventView(
    string Action, string? Kind, string? Note, JsonElement? ChosenValues, JsonElement? Evidence, string? State, string? AccountName,
    string? RunId, DateTimeOffset At);

/// <summary>
/// Writes decisions and their audit trail in one transaction each (docs/09-review.md, "Decisions"). Concurrency: a
/// write names the revision it saw; the stored row is locked (SELECT … FOR UPDATE) or, for the first decision, inserted
/// with ON CONFLICT DO NOTHING, so of two writers who saw the same revision exactly one wins and the other gets a
/// conflict. A refused write is kept as a <c>conflict_refused</c> event, so nothing a reviewer typed is lost.
/// </summary>
public sealed class DecisionStore(NpgsqlDataSource dataSource)
{
    public async Task<PublishedProblem?> FindProblemAsync(string problemKey, CancellationToken ct)
    {
        // Rows of one duplicate group share the key; the first row stands for the problem.
        await using var command = dataSource.CreateCommand("""
            SELECT p.problem_key, p.problem_type, p.evidence::text, s.sloid, s.osm_node_id, s.atlas_operator, s.canton
            FROM problems p JOIN stops_matched s ON s.id = p.stop_id
            WHERE p.problem_key = @key
            ORDER BY p.id
            LIMIT 1
            """);
        command.Parameters.Add(new NpgsqlParameter("key", NpgsqlDbType.Varchar) { Value = problemKey });
        await using var r = await command.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct))
        {
            return null;
        }

        return new PublishedProblem(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3),
            r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6));
    }

    /// <summary>Whether the counterpart a reviewer picked for a manual match is in the published data.</summary>
    public async Task<bool> CounterpartExistsAsync(string? sloid, string? osmId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT (@sloid::text IS NULL OR EXISTS (SELECT 1 FROM atlas_stops WHERE sloid = @sloid))
               AND (@osm::text IS NULL OR EXISTS (SELECT 1 FROM osm_nodes WHERE osm_node_id = @osm))
            """);
        command.Parameters.Add(new NpgsqlParameter("sloid", NpgsqlDbType.Text) { Value = (object?)sloid ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("osm", NpgsqlDbType.Text) { Value = (object?)osmId ?? DBNull.Value });
        return await command.ExecuteScalarAsync(ct) is true;
    }

    public async Task<DecisionOutcome> DecideAsync(PublishedProblem problem, DecisionWrite write, Reviewer reviewer, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var stored = await LockAsync(connection, tx, write.ProblemKey, ct);
        // Re-deciding takes the problem as it is published now: its evidence, and decided again (docs/09-review.md).
        var values = $"""
            problem_type = @problem_type, sloids = @sloids, osm_ids = @osm_ids, kind = @kind, note = @note,
            chosen_values = @chosen::jsonb, pair_sloid = @pair_sloid, pair_osm_id = @pair_osm_id,
            evidence = COALESCE(@evidence::jsonb, 'null'::jsonb), state = '{DecisionStates.Decided}', current_evidence = NULL,
            state_run_id = NULL, state_changed_at = now(), atlas_operator = @atlas_operator, canton = @canton,
            decided_by_id = @by_id, decided_by_name = @by_name, decided_at = now()
            """;
        DecisionView? result;
        string action;
        if (stored is null)
        {
            if (write.SeenRevision != 0)
            {
                return await RefuseAsync(connection, tx, problem, write, reviewer, null, ct);
            }

            // Two first decisions at once: the second waits for the first to commit, then inserts nothing.
            await using var insert = new NpgsqlCommand($"""
                INSERT INTO review.decisions (problem_key, problem_type, sloids, osm_ids, kind, note, chosen_values, pair_sloid, pair_osm_id,
                    evidence, state, current_evidence, state_run_id, state_changed_at, atlas_operator, canton, decided_by_id, decided_by_name,
                    decided_at, revision)
                VALUES (@key, @problem_type, @sloids, @osm_ids, @kind, @note, @chosen::jsonb, @pair_sloid, @pair_osm_id,
                    COALESCE(@evidence::jsonb, 'null'::jsonb), '{DecisionStates.Decided}', NULL, NULL, now(), @atlas_operator, @canton, @by_id, @by_name,
                    now(), 1)
                ON CONFLICT (problem_key) DO NOTHING
                RETURNING {DecisionView.Columns("decisions")}
                """, connection, tx);
            AddValues(insert, problem, write, reviewer);
            result = await ReadOneAsync(insert, ct);
            if (result is null)
            {
                return await RefuseAsync(connection, tx, problem, write, reviewer, await LockAsync(connection, tx, write.ProblemKey, ct), ct);
            }

            action = DecisionActions.Decided;
        }
        else if (stored.Revision != write.SeenRevision)
        {
            return await RefuseAsync(connection, tx, problem, write, reviewer, stored, ct);
        }
        else
        {
            await using var update = new NpgsqlCommand($"""
                UPDATE review.decisions SET {values}, revision = revision + 1
                WHERE problem_key = @key AND revision = @seen
                RETURNING {DecisionView.Columns("decisions")}
                """, connection, tx);
            AddValues(update, problem, write, reviewer);
            update.Parameters.Add(new NpgsqlParameter("seen", NpgsqlDbType.Integer) { Value = write.SeenRevision });
            result = await ReadOneAsync(update, ct)
                     ?? throw new InvalidOperationException("The decision row locked for update was not updated.");
            action = DecisionActions.Changed;
        }

        await AddEventAsync(connection, tx, result.Id, write.ProblemKey, action, write.Kind, write.Note, write.ChosenValuesJson,
            problem.EvidenceJson ?? "null", DecisionStates.Decided, reviewer, ct);
        await tx.CommitAsync(ct);
        return new DecisionOutcome.Stored(result);
    }

    public async Task<DecisionOutcome> WithdrawAsync(string problemKey, int seenRevision, Reviewer reviewer, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var stored = await LockAsync(connection, tx, problemKey, ct);
        if (stored is null)
        {
            return new DecisionOutcome.NotFound();
        }

        if (stored.Revision != seenRevision)
        {
            // A refused withdrawal: an event without a kind.
            await AddEventAsync(connection, tx, stored.Id, problemKey, DecisionActions.ConflictRefused, null, null, null, null, null, reviewer, ct);
            await tx.CommitAsync(ct);
            return new DecisionOutcome.Conflict(stored);
        }

        await using (var delete = new NpgsqlCommand("DELETE FROM review.decisions WHERE id = @id", connection, tx))
        {
            delete.Parameters.Add(new NpgsqlParameter("id", NpgsqlDbType.Bigint) { Value = stored.Id });
            await delete.ExecuteNonQueryAsync(ct);
        }

        await AddEventAsync(connection, tx, stored.Id, problemKey, DecisionActions.Withdrawn, stored.Kind, stored.Note,
            stored.ChosenValues?.GetRawText(), stored.Evidence?.GetRawText(), null, reviewer, ct);
        await tx.CommitAsync(ct);
        return new DecisionOutcome.Withdrawn();
    }

    /// <summary>Every event of a problem key, newest first; null when there is none and the key is not published either.</summary>
    public async Task<IReadOnlyList<DecisionEventView>?> HistoryAsync(string problemKey, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT action, kind, note, chosen_values::text, evidence::text, state, account_name, run_id, at
            FROM review.decision_events WHERE problem_key = @key
            ORDER BY at DESC, id DESC
            """);
        command.Parameters.Add(new NpgsqlParameter("key", NpgsqlDbType.Varchar) { Value = problemKey });
        var events = new List<DecisionEventView>();
        await using (var r = await command.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                events.Add(new DecisionEventView(r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2),
                    DecisionView.Json(r, 3), DecisionView.Json(r, 4), r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6),
                    r.IsDBNull(7) ? null : r.GetString(7), r.GetFieldValue<DateTimeOffset>(8)));
            }
        }

        return events.Count > 0 || await FindProblemAsync(problemKey, ct) is not null ? events : null;
    }

    private static async Task<DecisionOutcome> RefuseAsync(NpgsqlConnection connection, NpgsqlTransaction tx, PublishedProblem problem,
        DecisionWrite write, Reviewer reviewer, DecisionView? current, CancellationToken ct)
    {
        await AddEventAsync(connection, tx, current?.Id, write.ProblemKey, DecisionActions.ConflictRefused, write.Kind, write.Note,
            write.ChosenValuesJson, problem.EvidenceJson, null, reviewer, ct);
        await tx.CommitAsync(ct);
        return new DecisionOutcome.Conflict(current);
    }

    private static async Task<DecisionView?> LockAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string problemKey, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT {DecisionView.Columns("d")} FROM review.decisions d WHERE d.problem_key = @key FOR UPDATE", connection, tx);
        command.Parameters.Add(new NpgsqlParameter("key", NpgsqlDbType.Varchar) { Value = problemKey });
        return await ReadOneAsync(command, ct);
    }

    private static async Task<DecisionView?> ReadOneAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var r = await command.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? DecisionView.Read(r, 0) : null;
    }

    private static void AddValues(NpgsqlCommand command, PublishedProblem problem, DecisionWrite write, Reviewer reviewer)
    {
        command.Parameters.Add(new NpgsqlParameter("key", NpgsqlDbType.Varchar) { Value = write.ProblemKey });
        command.Parameters.Add(new NpgsqlParameter("problem_type", NpgsqlDbType.Varchar) { Value = problem.ProblemType });
        command.Parameters.Add(new NpgsqlParameter("sloids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = problem.Sloids });
        command.Parameters.Add(new NpgsqlParameter("osm_ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = problem.OsmIds });
        command.Parameters.Add(new NpgsqlParameter("kind", NpgsqlDbType.Varchar) { Value = write.Kind });
        command.Parameters.Add(new NpgsqlParameter("note", NpgsqlDbType.Varchar) { Value = (object?)write.Note ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("chosen", NpgsqlDbType.Text) { Value = (object?)write.ChosenValuesJson ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("pair_sloid", NpgsqlDbType.Text) { Value = (object?)write.PairSloid ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("pair_osm_id", NpgsqlDbType.Text) { Value = (object?)write.PairOsmId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("evidence", NpgsqlDbType.Text) { Value = (object?)problem.EvidenceJson ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("atlas_operator", NpgsqlDbType.Text) { Value = (object?)problem.AtlasOperator ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("canton", NpgsqlDbType.Text) { Value = (object?)problem.Canton ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("by_id", NpgsqlDbType.Text) { Value = reviewer.Id });
        command.Parameters.Add(new NpgsqlParameter("by_name", NpgsqlDbType.Text) { Value = reviewer.Name });
    }

    private static async Task AddEventAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long? decisionId, string problemKey, string action,
        string? kind, string? note, string? chosenValues, string? evidence, string? state, Reviewer reviewer, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO review.decision_events (decision_id, problem_key, action, kind, note, chosen_values, evidence, state, account_id, account_name, run_id, at)
            VALUES (@decision_id, @key, @action, @kind, @note, @chosen::jsonb, @evidence::jsonb, @state, @by_id, @by_name, NULL, clock_timestamp())
            """, connection, tx);
        command.Parameters.Add(new NpgsqlParameter("decision_id", NpgsqlDbType.Bigint) { Value = (object?)decisionId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("key", NpgsqlDbType.Varchar) { Value = problemKey });
        command.Parameters.Add(new NpgsqlParameter("action", NpgsqlDbType.Varchar) { Value = action });
        command.Parameters.Add(new NpgsqlParameter("kind", NpgsqlDbType.Varchar) { Value = (object?)kind ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("note", NpgsqlDbType.Varchar) { Value = (object?)note ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("chosen", NpgsqlDbType.Text) { Value = (object?)chosenValues ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("evidence", NpgsqlDbType.Text) { Value = (object?)evidence ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("state", NpgsqlDbType.Varchar) { Value = (object?)state ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("by_id", NpgsqlDbType.Text) { Value = reviewer.Id });
        command.Parameters.Add(new NpgsqlParameter("by_name", NpgsqlDbType.Text) { Value = reviewer.Name });
        await command.ExecuteNonQueryAsync(ct);
    }
}
