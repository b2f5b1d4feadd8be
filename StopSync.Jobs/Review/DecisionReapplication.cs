using System.Diagnostics;
using System.Text.Json.Serialization;
using Npgsql;
using NpgsqlTypes;
using StopSync.Data.Review;

namespace StopSync.Jobs.Review;

/// <summary>What one publication did to the reviewers' decisions (docs/09-review.md, "Evidence and re-application").</summary>
/// <param name="Unchanged">Decisions whose state this publication left as it was.</param>
/// <param name="NeedsAnotherLook">Decisions whose problem is back with other evidence than decided (or with evidence other than the last look's).</param>
/// <param name="ResolvedByData">Decisions whose problem this publication no longer has.</param>
/// <param name="Reapplied">Decisions whose problem came back, or whose evidence returned to what was decided.</param>
/// <param name="Elapsed">Time of the SQL, inside the swap's transaction.</param>
public sealed record ReapplicationCounts(
    int Unchanged, int NeedsAnotherLook, int ResolvedByData, int Reapplied, [property: JsonIgnore] TimeSpan Elapsed)
{
    [JsonIgnore]
    public int Total => Unchanged + NeedsAnotherLook + ResolvedByData + Reapplied;

    /// <summary>The run statistics' form of <see cref="Elapsed"/>.</summary>
    public double Seconds => Math.Round(Elapsed.TotalSeconds, 3);
}

/// <summary>
/// Re-applies every decision to the problems just swapped in, in one set-based statement on the publication's connection
/// and transaction, right after the swap (times are the transaction's, the swap's own): readers never see the new problems with the previous states, and a failure here
/// (a database error, nothing else can fail) rolls the whole publication back.
/// </summary>
internal static class DecisionReapplication
{
    // Three data-modifying CTEs over one snapshot of review.decisions: a decision meets at most one rule (its key is
    // absent; present with equal evidence; present with other evidence), so their order does not matter. Evidence is
    // compared as jsonb (=, <>), never as text: key order and spacing are no change. A problem with null evidence (from
    // a bundle written before evidence existed) compares as neither: its decisions keep their state. Keys are unique
    // in problems (the bundle reader refuses a problem id listed twice), so each decision joins at most one problem.
    private const string Sql =
        """
        WITH resolved AS (
            UPDATE review.decisions d
            SET state = @resolved_by_data, state_run_id = @run, state_changed_at = now()
            WHERE d.state <> @resolved_by_data
              AND NOT EXISTS (SELECT 1 FROM public.problems p WHERE p.problem_key = d.problem_key)
            RETURNING d.id, d.problem_key, d.kind, d.note, d.chosen_values, NULL::jsonb AS evidence, d.state, @resolved_action AS action
        ),
        reapplied AS (
            UPDATE review.decisions d
            SET state = @decided, current_evidence = NULL, state_run_id = @run, state_changed_at = now()
            FROM public.problems p
            WHERE p.problem_key = d.problem_key AND p.evidence = d.evidence AND d.state <> @decided
            RETURNING d.id, d.problem_key, d.kind, d.note, d.chosen_values, d.evidence, d.state, @reapplied AS action
        ),
        changed AS (
            UPDATE review.decisions d
            SET state = @needs_another_look, current_evidence = p.evidence, state_run_id = @run, state_changed_at = now()
            FROM public.problems p
            WHERE p.problem_key = d.problem_key AND p.evidence <> d.evidence
              AND (d.state <> @needs_another_look OR d.current_evidence IS NULL OR d.current_evidence <> p.evidence)
            RETURNING d.id, d.problem_key, d.kind, d.note, d.chosen_values, d.current_evidence AS evidence, d.state, @changed_action AS action
        ),
        events AS (
            INSERT INTO review.decision_events (decision_id, problem_key, action, kind, note, chosen_values, evidence, state, run_id, at)
            SELECT id, problem_key, action, kind, note, chosen_values, evidence, state, @run, now()
            FROM (SELECT * FROM resolved UNION ALL SELECT * FROM reapplied UNION ALL SELECT * FROM changed) AS written
        )
        SELECT (SELECT count(*) FROM review.decisions)::int,
               (SELECT count(*) FROM changed)::int,
               (SELECT count(*) FROM resolved)::int,
               (SELECT count(*) FROM reapplied)::int
        """;

    public static async Task<ReapplicationCounts> RunAsync(NpgsqlConnection connection, Guid runId, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        await using var command = new NpgsqlCommand(Sql, connection);
        command.Parameters.AddWithValue("run", NpgsqlDbType.Text, runId.ToString("D"));
        command.Parameters.AddWithValue("decided", NpgsqlDbType.Varchar, DecisionStates.Decided);
        command.Parameters.AddWithValue("needs_another_look", NpgsqlDbType.Varchar, DecisionStates.NeedsAnotherLook);
        command.Parameters.AddWithValue("resolved_by_data", NpgsqlDbType.Varchar, DecisionStates.ResolvedByData);
        command.Parameters.AddWithValue("reapplied", NpgsqlDbType.Varchar, DecisionActions.Reapplied);
        command.Parameters.AddWithValue("resolved_action", NpgsqlDbType.Varchar, DecisionActions.ResolvedByData);
        command.Parameters.AddWithValue("changed_action", NpgsqlDbType.Varchar, DecisionActions.NeedsAnotherLook);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var (total, changed, resolved, reapplied) = (reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3));
        return new ReapplicationCounts(total - changed - resolved - reapplied, changed, resolved, reapplied, Stopwatch.GetElapsedTime(started));
    }
}
