namespace StopSync.Jobs.Matching.Engine.Stages;

/// <summary>Reviewers' "same stop" rulings, before any other stage (docs/07-matching.md#reviewer-rulings).</summary>
internal static class ManualStage
{
    public static void Run(EngineState state)
    {
        var atlas = state.Atlas;
        var osm = state.Osm;
        foreach (var (i, j) in state.ManualMatches)
        {
            var pair = $"({atlas.Rows[i].Sloid}, {osm.Ids[j]})";
            if (state.IsForbidden(i, j))
            {
                state.Diagnostics.Add($"manual_match_forbidden: same_stop {pair} is also a forbidden pair; the forbidden pair wins and it is not matched");
                continue;
            }

            // One ruling per side: a later one naming a side an earlier one (or its propagation) took would silently
            // override a reviewer, so it is reported instead.
            if (atlas.Matched[i] || osm.Used[j])
            {
                var side = atlas.Matched[i] ? "the SLOID" : "the OSM element";
                state.Diagnostics.Add($"manual_match_taken: same_stop {pair}: {side} is already matched by an earlier manual match; ignored");
                continue;
            }

            var d = state.Distance(i, j);
            state.Commit(i, j, MatchTypeLabels.Manual, d, "Reviewer decision: same stop", new MatchEvidence(MatchTypeLabels.Manual, d));
        }
    }
}
