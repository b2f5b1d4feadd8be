using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using StopSync.Data.Entities;
using StopSync.Data.History;
using StopSync.Data.Status;
using StopSync.Jobs.History;
using StopSync.Jobs.Publication;
using StopSync.Tests.Jobs.Runs;

namespace StopSync.Tests.Jobs.History;

/// <summary>Run-to-run changes through real pipeline runs (docs/10-history.md, "What changed"): the rows each
/// publication leaves in <c>data_changes</c> and <c>publication_history</c>, and the side each change is put on.</summary>
public sealed class ChangeRunsTests(ChangeRunsFixture fixture) : IClassFixture<ChangeRunsFixture>
{
    [Fact]
    public async Task FirstPublication_HasNoPreviousRun_NoChanges_AndSaysWhy()
    {
        var (entry, changes) = await HistoryAsync(fixture.Baseline.Id);

        Assert.Null(entry.PreviousRunId);
        Assert.Equal(RunComparer.FirstPublication, entry.NoComparisonReason);
        Assert.NotNull(entry.PublishedAt);
        Assert.Equal("{}", entry.ChangeCounts);
        Assert.Empty(changes);
    }

    [Fact]
    public async Task AtlasOnlyEdit_RecordsChangesCausedByAtlas_WithTheRowsEditionDate()
    {
        var (entry, changes) = await HistoryAsync(fixture.AtlasEdit.Id);

        Assert.Equal((fixture.Baseline.Id, (string?)null), (entry.PreviousRunId, entry.NoComparisonReason));
        var edited = Assert.Single(changes, c => c.ChangeType == ChangeTypes.AtlasEdited);
        Assert.Equal((fixture.AtlasPair.Sloid, ChangeCauses.Atlas), (edited.Sloid, edited.Cause));
        Assert.Equal(new DateTime(2026, 12, 4, 10, 0, 0), edited.AtlasEditionDate);
        Assert.InRange(JsonDocument.Parse(edited.After!).RootElement.GetProperty("moved_m").GetDouble(), 10.5, 11.5);
        Assert.NotNull(edited.Canton);
        Assert.NotNull(edited.Name);
        Assert.All(changes, c => Assert.Equal(ChangeCauses.Atlas, c.Cause));
        AssertCounts(entry, changes);
    }

    [Fact]
    public async Task AtlasOnlyEdit_ShowsItsChangesStageInTheProgress_AndItsCountsInTheRunStats()
    {
        var (_, changes) = await HistoryAsync(fixture.AtlasEdit.Id);

        var database = fixture.Statuses[fixture.AtlasEdit.Id].Phases.Single(p => p.Id == PipelinePhases.Database);
        var stage = database.Stages.Single(s => s.Id == "database.changes");
        Assert.Equal(PhaseStatus.Complete, stage.Status);
        Assert.Equal(changes.Count, stage.Counts["changes"]);
        Assert.Equal(1, stage.Counts[ChangeTypes.AtlasEdited]);
        // Before staging: the comparison comes between validation and loading.
        Assert.Equal(["database.validate", "database.changes", "database.load"], database.Stages.Select(s => s.Id).Take(3));
        await using var db = fixture.CreateDbContext();
        var run = await db.PipelineRuns.AsNoTracking().SingleAsync(r => r.Id == fixture.AtlasEdit.Id);
        var stats = JsonDocument.Parse(run.Stats).RootElement.GetProperty("changes");
        Assert.Equal(changes.Count, stats.GetProperty("total").GetInt32());
        Assert.Equal(fixture.Baseline.Id, stats.GetProperty("previous_run_id").GetGuid());
        Assert.Equal(1, stats.GetProperty("counts").GetProperty(ChangeTypes.AtlasEdited).GetProperty(ChangeCauses.Atlas).GetInt32());
    }

    [Fact]
    public async Task OsmOnlyEdit_RecordsChangesCausedByOsm_WithTheElementsNewVersionUserAndTimestamp()
    {
        var (entry, changes) = await HistoryAsync(fixture.OsmEdit.Id);

        Assert.Equal(fixture.AtlasEdit.Id, entry.PreviousRunId);
        var edited = Assert.Single(changes, c => c.ChangeType == ChangeTypes.OsmEdited);
        Assert.Equal((fixture.OsmPair.OsmId, ChangeCauses.Osm), (edited.OsmNodeId, edited.Cause));
        Assert.Equal((fixture.OsmVersion, ChangeRunsFixture.OsmUser), (edited.OsmVersion, edited.OsmUser));
        Assert.Equal(DateTimeOffset.Parse(ChangeRunsFixture.OsmTimestamp, System.Globalization.CultureInfo.InvariantCulture), edited.OsmTimestamp);
        var tags = JsonDocument.Parse(edited.After!).RootElement.GetProperty("tags");
        Assert.EndsWith("Neu", tags.GetProperty("name").GetString(), StringComparison.Ordinal);
        // Everything at the edited element is OSM's; the new name also reaches route matching along the element's lines,
        // where neither the pairs nor their neighbours changed: that part is the matching's. Nothing is ATLAS's.
        Assert.All(changes.Where(c => c.OsmNodeId == fixture.OsmPair.OsmId || c.Sloid == fixture.OsmPair.Sloid),
            c => Assert.Equal(ChangeCauses.Osm, c.Cause));
        Assert.All(changes, c => Assert.Contains(c.Cause, new[] { ChangeCauses.Osm, ChangeCauses.Matching }));
        Assert.Contains(changes, c => c.Cause == ChangeCauses.Osm && c.ChangeType != ChangeTypes.OsmEdited);
        AssertCounts(entry, changes);
    }

    [Fact]
    public async Task EditOfBothSidesOfOneStop_PutsItsMatchChangeOnBoth()
    {
        var (entry, changes) = await HistoryAsync(fixture.BothEdit.Id);

        Assert.Equal(fixture.OsmEdit.Id, entry.PreviousRunId);
        Assert.Contains(changes, c => c.ChangeType == ChangeTypes.AtlasEdited && c.Sloid == fixture.BothPair.Sloid);
        Assert.Contains(changes, c => c.ChangeType == ChangeTypes.OsmEdited && c.OsmNodeId == fixture.BothPair.OsmId);
        // The two points moved 22 m apart: the pair's distance changed, or the pair was given up.
        var match = Assert.Single(changes, c => c.ChangeType is ChangeTypes.MatchChanged or ChangeTypes.MatchLost
            && c.Sloid == fixture.BothPair.Sloid && c.OsmNodeId == fixture.BothPair.OsmId);
        Assert.Equal(ChangeCauses.Both, match.Cause);
        Assert.DoesNotContain(changes, c => c.Cause == ChangeCauses.Matching);
        AssertCounts(entry, changes);
    }

    [Fact]
    public async Task RulingWithUnchangedFiles_ChangesOnlyTheMatching()
    {
        var (entry, changes) = await HistoryAsync(fixture.Ruling.Id);

        Assert.Equal(fixture.BothEdit.Id, entry.PreviousRunId);
        var lost = Assert.Single(changes, c => c.ChangeType == ChangeTypes.MatchLost);
        Assert.Equal((fixture.RulingPair.Sloid, fixture.RulingPair.OsmId), (lost.Sloid, lost.OsmNodeId));
        Assert.Equal("exact", JsonDocument.Parse(lost.Before!).RootElement.GetProperty("match_type").GetString());
        Assert.All(changes, c => Assert.Equal(ChangeCauses.Matching, c.Cause));
        Assert.DoesNotContain(changes, c => c.ChangeType.StartsWith("atlas_", StringComparison.Ordinal) || c.ChangeType.StartsWith("osm_", StringComparison.Ordinal));
        AssertCounts(entry, changes);
    }

    [Fact]
    public async Task PreviousBundleGone_RecordsThePublicationWithoutChanges_AndSaysWhy()
    {
        var (entry, changes) = await HistoryAsync(fixture.BundleGone.Id);

        Assert.Equal(fixture.Ruling.Id, entry.PreviousRunId);
        Assert.Equal($"the previous result bundle {fixture.Ruling.Id:D} is no longer on disk (Pipeline:Bundles:Keep)", entry.NoComparisonReason);
        Assert.NotNull(entry.PublishedAt);
        Assert.Empty(changes);
    }

    [Fact]
    public async Task FailedPublication_LeavesNoHistoryRows_NorChanges()
    {
        // A reader holding a published table makes the swap give up after its lock timeout: the publication fails after
        // its history and changes were written under its run id.
        await using var reader = new NpgsqlConnection(fixture.ConnectionString);
        await reader.OpenAsync();
        await using var transaction = await reader.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand("LOCK TABLE public.stops_matched IN ACCESS SHARE MODE", reader, transaction))
        {
            await hold.ExecuteNonQueryAsync();
        }

        await using var services = fixture.Services(
            Path.Combine(fixture.Directory, "atlas-1.csv"), Path.Combine(fixture.Directory, "osm-1.xml"), Path.Combine(fixture.Directory, "gtfs.zip"),
            new() { ["Pipeline:Publication:LockTimeoutSeconds"] = "1" });

        await Assert.ThrowsAsync<PublicationBusyException>(() => HeldRunFixture.RunAsync(services));
        await transaction.RollbackAsync();

        await using var db = fixture.CreateDbContext();
        var failed = await db.PipelineRuns.AsNoTracking().Where(r => r.Status == PipelineRunStatus.Failed).OrderByDescending(r => r.StartedAt).FirstAsync();
        Assert.False(await db.PublicationHistory.AnyAsync(h => h.RunId == failed.Id));
        Assert.False(await db.DataChanges.AnyAsync(c => c.RunId == failed.Id));
        Assert.False(await db.PublicationHistory.AnyAsync(h => h.PublishedAt == null));
        Assert.Equal(fixture.BundleGone.Id, (await db.DatasetPublications.AsNoTracking().SingleAsync()).RunId);
    }

    private async Task<(PublicationHistoryEntry Entry, List<DataChange> Changes)> HistoryAsync(Guid runId)
    {
        await using var db = fixture.CreateDbContext();
        var entry = await db.PublicationHistory.AsNoTracking().SingleAsync(h => h.RunId == runId);
        var changes = await db.DataChanges.AsNoTracking().Where(c => c.RunId == runId).ToListAsync();
        return (entry, changes);
    }

    /// <summary>change_counts holds exactly the rows' counts per type and cause.</summary>
    private static void AssertCounts(PublicationHistoryEntry entry, List<DataChange> changes)
    {
        Assert.NotEmpty(changes);
        var stored = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, int>>>(entry.ChangeCounts)!;
        var expected = changes.GroupBy(c => c.ChangeType).ToDictionary(g => g.Key, g => g.GroupBy(c => c.Cause).ToDictionary(c => c.Key, c => c.Count()));
        Assert.Equal(expected.OrderBy(e => e.Key).Select(e => (e.Key, string.Join(",", e.Value.OrderBy(v => v.Key).Select(v => $"{v.Key}={v.Value}")))),
            stored.OrderBy(e => e.Key).Select(e => (e.Key, string.Join(",", e.Value.OrderBy(v => v.Key).Select(v => $"{v.Key}={v.Value}")))));
    }
}
