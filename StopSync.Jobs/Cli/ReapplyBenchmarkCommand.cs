using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using StopSync.Data.Entities;
using StopSync.Jobs.Bundles;
using StopSync.Jobs.Hosting;
using StopSync.Jobs.Runs;

namespace StopSync.Jobs.Cli;

/// <summary>
/// docs/09-review.md, "Measured": seeds decisions from the published problems, republishes the newest result bundle
/// (import mode, so the same publisher, transaction and run statistics as every run) and reports what re-applying them
/// added inside the swap's transaction.
/// </summary>
internal static class ReapplyBenchmarkCommand
{
    /// <summary>The decided_by_id of the seeded decisions: the only decisions this command ever deletes.</summary>
    private const string BenchAccount = "bench-reapply";

    public static Command BenchReapply()
    {
        var decisions = new Option<int>("--decisions") { Description = "Decisions to seed from the published problems", DefaultValueFactory = _ => 20_000 };
        var bundle = new Option<DirectoryInfo>("--bundle") { Description = "Result bundle to republish (default: the newest in Pipeline:Bundles:Directory)" };
        var command = new Command("bench-reapply",
            "Seed decisions from the published problems (a tenth gone, a fifth with other evidence), republish and time their re-application.")
        {
            decisions, bundle,
        };
        command.SetAction(async (parse, ct) =>
        {
            var builder = JobsCommands.CreateBuilder([]);
            builder.Services.AddStopSyncPipeline();
            using var host = builder.Build();
            var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();
            var path = parse.GetValue(bundle)?.FullName ?? host.Services.GetRequiredService<ResultBundleStore>().Latest();
            if (path is null)
            {
                await Console.Error.WriteLineAsync("error: there is no published result bundle; run 'run-pipeline --mode full' first or name one with --bundle.");
                return 2;
            }

            if (await ScalarAsync(dataSource, "SELECT count(*) FROM review.decisions WHERE decided_by_id <> $1", BenchAccount, ct) > 0)
            {
                await Console.Error.WriteLineAsync("error: the database holds reviewers' decisions; run this benchmark on a database of its own.");
                return 2;
            }

            await RemoveSeededAsync(dataSource, ct);
            var seeded = await SeedAsync(dataSource, parse.GetValue(decisions), ct);
            Console.WriteLine(Invariant($"seeded {seeded.Total:N0} decisions: {seeded.Same:N0} with the published evidence, ") +
                Invariant($"{seeded.Changed:N0} with other evidence, {seeded.Gone:N0} whose problem key no longer exists"));
            try
            {
                // First publication: two rules have work (resolved, needs another look); the second is the nightly steady
                // state; before the third, the evidence of the decisions that need another look returns to the published one,
                // as when OSM is reverted, so the third re-applies them.
                foreach (var pass in (string[])["first publication", "second publication", "third publication"])
                {
                    if (pass == "third publication")
                    {
                        await ExecuteAsync(dataSource,
                            "UPDATE review.decisions SET evidence = current_evidence WHERE decided_by_id = $1 AND state = 'needs_another_look'", ct);
                    }

                    await using var scope = host.Services.CreateAsyncScope();
                    var watch = Stopwatch.StartNew();
                    var run = await scope.ServiceProvider.GetRequiredService<PipelineRunner>()
                        .RunAsync(PipelineTrigger.Manual, PipelineMode.Import, path, ct);
                    watch.Stop();
                    if (run.Status != PipelineRunStatus.Succeeded)
                    {
                        await Console.Error.WriteLineAsync($"error: run {run.Id} {run.Status}: {run.Message}");
                        return 1;
                    }

                    using var stats = JsonDocument.Parse(run.Stats ?? "{}");
                    var d = stats.RootElement.GetProperty("decisions");
                    var seconds = d.GetProperty("seconds").GetDouble();
                    Console.WriteLine(Invariant($"{pass}: re-application {seconds:F3} s (target < 2 s) of a {watch.Elapsed.TotalSeconds:F1} s import run; ") +
                        Invariant($"unchanged {d.GetProperty("unchanged").GetInt32():N0}, needs_another_look {d.GetProperty("needs_another_look").GetInt32():N0}, ") +
                        Invariant($"resolved_by_data {d.GetProperty("resolved_by_data").GetInt32():N0}, reapplied {d.GetProperty("reapplied").GetInt32():N0}"));
                }
            }
            finally
            {
                await RemoveSeededAsync(dataSource, CancellationToken.None);
            }

            return 0;
        });
        return command;
    }

    private sealed record Seeded(int Same, int Changed, int Gone)
    {
        public int Total => Same + Changed + Gone;
    }

    // One decision per published problem, in key order: every tenth under a key no problem has (a problem since solved),
    // two in ten with evidence that differs from the published one, the rest as decided on this dataset.
    private static async Task<Seeded> SeedAsync(NpgsqlDataSource dataSource, int count, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            """
            WITH published AS (
                SELECT p.problem_key, p.problem_type, p.evidence, s.sloid, s.osm_node_id, s.atlas_operator, s.canton,
                       row_number() OVER (ORDER BY p.problem_key) AS n
                FROM problems p JOIN stops_matched s ON s.id = p.stop_id
                WHERE p.problem_key IS NOT NULL AND p.evidence IS NOT NULL
            ),
            seeded AS (
                INSERT INTO review.decisions (problem_key, problem_type, sloids, osm_ids, kind, evidence, state, state_changed_at,
                                              atlas_operator, canton, decided_by_id, decided_by_name, decided_at, revision)
                SELECT CASE WHEN n % 10 = 0 THEN 'gone' || left(md5(problem_key), 20) ELSE problem_key END,
                       problem_type,
                       CASE WHEN sloid IS NULL THEN '{}'::text[] ELSE ARRAY[sloid] END,
                       CASE WHEN osm_node_id IS NULL THEN '{}'::text[] ELSE ARRAY[osm_node_id] END,
                       'not_a_problem',
                       CASE WHEN n % 10 IN (1, 2) THEN '{"distance_bucket":"bench"}'::jsonb ELSE evidence END,
                       'decided', now(), atlas_operator, canton, $2, 'Benchmark', now(), 1
                FROM published
                WHERE n <= $1
                RETURNING problem_key, evidence
            )
            SELECT count(*) FILTER (WHERE problem_key NOT LIKE 'gone%' AND evidence <> '{"distance_bucket":"bench"}'::jsonb)::int,
                   count(*) FILTER (WHERE evidence = '{"distance_bucket":"bench"}'::jsonb)::int,
                   count(*) FILTER (WHERE problem_key LIKE 'gone%')::int
            FROM seeded
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = count });
        command.Parameters.Add(new NpgsqlParameter { Value = BenchAccount });
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new Seeded(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2));
    }

    private static async Task RemoveSeededAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await ExecuteAsync(dataSource, "DELETE FROM review.decision_events WHERE decision_id IN (SELECT id FROM review.decisions WHERE decided_by_id = $1)", ct);
        await ExecuteAsync(dataSource, "DELETE FROM review.decisions WHERE decided_by_id = $1", ct);
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = BenchAccount });
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource dataSource, string sql, string parameter, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
