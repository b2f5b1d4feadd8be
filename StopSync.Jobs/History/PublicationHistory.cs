using System.Text.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using StopSync.Jobs.Bundles;
using StopSync.Jobs.Runs;

namespace StopSync.Jobs.History;

/// <summary>
/// Keeps each publication's statistics and run-to-run changes beside the swapped tables (docs/10-history.md). Rows
/// are written before the swap under the new run's id and count as history only once the swap sets
/// <c>published_at</c>; a failed publication deletes them.
/// </summary>
public sealed class PublicationHistory(IOptions<PipelineOptions> options, PublicationStatisticsWriter statistics)
{
    /// <summary>Before the swap, on the publishing connection: the staged tables are complete and indexed.</summary>
    public async Task RecordAsync(
        NpgsqlConnection connection, Guid runId, string stagingSchema, BundleManifest manifest, RunComparison comparison, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(comparison);
        await using (var insert = new NpgsqlCommand(
            """
            INSERT INTO publication_history (run_id, previous_run_id, bundle_run_id, generated_at, engine_version, no_comparison_reason, change_counts)
            VALUES (@run, @previous, @bundle, @generated, @engine, @reason, @counts)
            ON CONFLICT (run_id) DO NOTHING
            """, connection))
        {
            insert.Parameters.AddWithValue("run", runId);
            insert.Parameters.AddWithValue("previous", (object?)comparison.PreviousRunId ?? DBNull.Value);
            insert.Parameters.AddWithValue("bundle", manifest.RunId);
            insert.Parameters.AddWithValue("generated", manifest.GeneratedAt);
            insert.Parameters.AddWithValue("engine", manifest.EngineVersion);
            insert.Parameters.AddWithValue("reason", (object?)comparison.NoComparisonReason ?? DBNull.Value);
            insert.Parameters.Add(new NpgsqlParameter("counts", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(ChangeCounts(comparison)) });
            await insert.ExecuteNonQueryAsync(ct);
        }

        await DataChangeWriter.WriteAsync(connection, runId, comparison.Changes, ct);
        await statistics.WriteAsync(connection, runId, stagingSchema, ct);
    }

    /// <summary>Inside the swap transaction: the publication becomes history, and history past the retention goes.</summary>
    public async Task MarkPublishedAsync(NpgsqlConnection connection, Guid runId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            """
            UPDATE publication_history SET published_at = now() WHERE run_id = @run;
            DELETE FROM publication_history WHERE published_at < now() - make_interval(days => @days);
            """, connection);
        command.Parameters.AddWithValue("run", runId);
        command.Parameters.AddWithValue("days", Math.Max(1, options.Value.History.RetentionDays));
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>After a failed publication, on a fresh connection: its unpublished rows go (cascading to statistics and changes).</summary>
    public static async Task ForgetAsync(NpgsqlConnection connection, Guid runId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("DELETE FROM publication_history WHERE run_id = @run AND published_at IS NULL", connection);
        command.Parameters.AddWithValue("run", runId);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static Dictionary<string, Dictionary<string, int>> ChangeCounts(RunComparison comparison) =>
        comparison.Changes.GroupBy(c => c.ChangeType, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.GroupBy(c => c.Cause, StringComparer.Ordinal).ToDictionary(c => c.Key, c => c.Count(), StringComparer.Ordinal), StringComparer.Ordinal);
}
