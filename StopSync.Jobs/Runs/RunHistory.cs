using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using StopSync.Data;
using StopSync.Data.Entities;
using StopSync.Data.Status;

namespace StopSync.Jobs.Runs;

public sealed class RunHistory(IDbContextFactory<StopSyncDbContext> contexts)
{
    private const int EtaHistoryRuns = 5;

    public async Task SaveAsync(PipelineRun run, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await db.PipelineRuns.AnyAsync(r => r.Id == run.Id, ct))
        {
            db.PipelineRuns.Update(run);
        }
        else
        {
            db.PipelineRuns.Add(run);
        }

        await db.SaveChangesAsync(ct);
    }

    // Per phase the mean over the last successful runs of the same mode (an import's skipped phases would pull a full
    // run's estimate down), summed over the phases this mode runs; null without such a run.
    public async Task<double?> EstimateSecondsAsync(PipelineMode mode, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var modeName = mode.Name();
        // Only phase_seconds is read, in SQL: the rest of the statistics changed shape between releases, and an old
        // row's counts must not cost the estimate its durations.
        var recent = await db.Database.SqlQuery<string?>($"""
            SELECT (stats -> 'phase_seconds')::text AS "Value" FROM pipeline_runs
            WHERE status = {PipelineRunStatus.Succeeded} AND mode = {modeName}
            ORDER BY started_at DESC LIMIT {EtaHistoryRuns}
            """).ToListAsync(ct);
        var samples = recent.Select(ParsePhaseSeconds).Where(p => p.Count > 0).ToList();
        if (samples.Count == 0)
        {
            return null;
        }

        var phases = PipelinePhases.All.Select(p => p.Id).Where(p => mode switch
        {
            PipelineMode.MatchImport => p is not (PipelinePhases.SourceCheck or PipelinePhases.SourceFiles),
            PipelineMode.Import => p is PipelinePhases.Database or PipelinePhases.Publish,
            _ => true,
        });
        return Math.Round(phases.Sum(p => samples.Select(s => s.GetValueOrDefault(p)).Average()), 1);
    }

    private static Dictionary<string, double> ParsePhaseSeconds(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, double>>(json) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
