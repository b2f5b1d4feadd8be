namespace StopSync.Jobs.Matching.Engine.Stages;

/// <summary>Stage 7 (docs/07-matching.md#the-ten-stages); on equal distances the first in load order wins.</summary>
internal static class LocalRefStage
{
    public static void Run(EngineState state)
    {
        var atlas = state.Atlas;
        var osm = state.Osm;
        var candidates = new List<Neighbor>();
        foreach (var i in state.UnmatchedAtlasEntities())
        {
            var code = atlas.Rows[i].Designation.Trim();
            if (code.Length == 0)
            {
                continue;
            }

            state.CandidatesWithin(i, MatchingThresholds.MaxDistanceMeters, candidates);
            var best = -1;
            var bestDistance = double.PositiveInfinity;
            foreach (var c in candidates)
            {
                if (c.Distance < bestDistance && TextRules.SameCode(osm.LocalRef[c.Index], code))
                {
                    (best, bestDistance) = (c.Index, c.Distance);
                }
            }

            if (best >= 0)
            {
                state.Commit(i, best, MatchTypeLabels.LocalRefDistance, bestDistance, "Exact local_ref match within max_distance",
                    new MatchEvidence(MatchTypeLabels.LocalRefDistance, bestDistance, PlatformCode: code));
            }
        }
    }
}
