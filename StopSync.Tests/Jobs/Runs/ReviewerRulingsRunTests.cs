using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StopSync.Data.Entities;
using StopSync.Data.Review;
using StopSync.Data.Status;
using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Runs;

namespace StopSync.Tests.Jobs.Runs;

/// <summary>
/// Reviewers' same_stop / not_same_stop decisions feed the next run's matching (docs/07-matching.md#reviewer-rulings):
/// two full pipeline runs on the demo files, real PostGIS and Redis, decisions written into review.decisions between them.
/// </summary>
public sealed class ReviewerRulingsRunTests(HeldRunFixture fixture) : IClassFixture<HeldRunFixture>
{
    private readonly string _bundles = Path.Combine(fixture.Directory, "bundles-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task NextRun_DoesNotMatchAForbiddenPair_AndMatchesAManualPair_WhateverTheDecisionsState()
    {
        await using var services = fixture.Services(_bundles, fixture.OsmPath);
        var first = await HeldRunFixture.RunAsync(services);
        Assert.Equal(PipelineRunStatus.Succeeded, first.Status);

        (string Sloid, string OsmId) forbidden;
        (string Sloid, string OsmId) manual;
        await using (var db = fixture.CreateDbContext())
        {
            var matched = await db.StopsMatched.AsNoTracking().Where(s => s.StopType == StopTypes.Matched)
                .Select(s => new { Sloid = s.Sloid!, OsmId = s.OsmNodeId!, s.MatchType }).ToListAsync();
            // A one-to-one exact pair: neither side has another match that could hide the effect.
            var pair = matched.Where(m => m.MatchType == MatchTypeLabels.Exact)
                .Where(m => matched.Count(o => o.Sloid == m.Sloid) == 1 && matched.Count(o => o.OsmId == m.OsmId) == 1)
                .OrderBy(m => m.Sloid, StringComparer.Ordinal).First();
            forbidden = (pair.Sloid, pair.OsmId);
            var atlasOnly = await db.StopsMatched.Where(s => s.StopType == StopTypes.AtlasUnmatched).OrderBy(s => s.Sloid).Select(s => s.Sloid!).FirstAsync();
            var osmOnly = await db.StopsMatched.Where(s => s.StopType == StopTypes.OsmUnmatched).OrderBy(s => s.OsmNodeId).Select(s => s.OsmNodeId!).FirstAsync();
            manual = (atlasOnly, osmOnly);

            db.Decisions.Add(Ruling("k-forbidden", DecisionKinds.NotSameStop, forbidden, DecisionStates.ResolvedByData));
            db.Decisions.Add(Ruling("k-manual", DecisionKinds.SameStop, manual, DecisionStates.NeedsAnotherLook));
            // Other kinds are no rulings, even with a pair filled in.
            db.Decisions.Add(Ruling("k-other", DecisionKinds.NotAProblem, (atlasOnly, pair.OsmId), DecisionStates.Decided));
            await db.SaveChangesAsync();
        }

        var second = await HeldRunFixture.RunAsync(services);

        Assert.Equal(PipelineRunStatus.Succeeded, second.Status);
        await using (var db = fixture.CreateDbContext())
        {
            var rows = await db.StopsMatched.AsNoTracking()
                .Where(s => s.Sloid == forbidden.Sloid || s.OsmNodeId == forbidden.OsmId || s.Sloid == manual.Sloid || s.OsmNodeId == manual.OsmId)
                .Select(s => new { s.Sloid, s.OsmNodeId, s.StopType, s.MatchType }).ToListAsync();
            Assert.DoesNotContain(rows, r => r.Sloid == forbidden.Sloid && r.OsmNodeId == forbidden.OsmId);
            // Both sides of the forbidden pair are still published, matched elsewhere or unmatched.
            Assert.Contains(rows, r => r.Sloid == forbidden.Sloid);
            Assert.Contains(rows, r => r.OsmNodeId == forbidden.OsmId);
            var manualRow = Assert.Single(rows, r => r.Sloid == manual.Sloid);
            Assert.Equal((StopTypes.Matched, manual.OsmId, MatchTypeLabels.Manual), (manualRow.StopType, manualRow.OsmNodeId, manualRow.MatchType));
            Assert.DoesNotContain(rows, r => r.OsmNodeId == manual.OsmId && r.StopType == StopTypes.OsmUnmatched);
        }

        var status = await services.GetRequiredService<PipelineStatusStore>().ReadAsync();
        var inputs = status.Phases.Single(p => p.Id == PipelinePhases.MatchingInputs);
        Assert.Equal((1L, 1L), (inputs.Counts["manual_matches"], inputs.Counts["forbidden_pairs"]));
        var stage = inputs.Stages.Single(s => s.Id == "matching_inputs.rulings");
        Assert.Equal((PhaseStatus.Complete, 1L, 1L), (stage.Status, stage.Counts["manual_matches"], stage.Counts["forbidden_pairs"]));
    }

    private static Decision Ruling(string key, string kind, (string Sloid, string OsmId) pair, string state) => new()
    {
        ProblemKey = key,
        ProblemType = "unmatched",
        Sloids = [pair.Sloid],
        OsmIds = [pair.OsmId],
        Kind = kind,
        PairSloid = pair.Sloid,
        PairOsmId = pair.OsmId,
        Evidence = "{}",
        State = state,
        StateChangedAt = DateTimeOffset.UtcNow,
        DecidedById = "test-reviewer",
        DecidedByName = "Test Reviewer",
        DecidedAt = DateTimeOffset.UtcNow,
        Revision = 1,
    };
}
