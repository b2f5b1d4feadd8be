using System.Globalization;

namespace StopSync.Jobs.Matching.Engine.Stages;

/// <summary>Stages 8, 9 and 10 (docs/07-matching.md#the-ten-stages).</summary>
internal static class NearestStage
{
    public enum Mode
    {
        Single,
        Ratio,
        SingleSecondPass,
    }

    public static void Run(EngineState state, Mode mode)
    {
        var atlas = state.Atlas;
        var osm = state.Osm;
        var found = new List<Neighbor>();
        foreach (var i in state.UnmatchedAtlasEntities())
        {
            state.CandidatesWithin(i, MatchingThresholds.MaxDistanceMeters, found);
            var code = atlas.Rows[i].Designation.Trim();
            // A candidate with a different platform code is some other platform; one without a code may be this one.
            var candidates = code.Length == 0
                ? found
                : found.Where(c => osm.LocalRef[c.Index].Length == 0 || TextRules.SameCode(osm.LocalRef[c.Index], code)).ToList();
            if (candidates.Count == 0)
            {
                continue;
            }

            // Stable: equal distances keep load order.
            var sorted = candidates.OrderBy(c => c.Distance).ToList();
            if (mode != Mode.Ratio && sorted.Count == 1)
            {
                var (type, notes) = mode == Mode.Single
                    ? (MatchTypeLabels.NearestSingle, "Single candidate within max_distance")
                    : (MatchTypeLabels.NearestSingleSecondPass, "Single candidate within max_distance (second pass)");
                state.Commit(i, sorted[0].Index, type, sorted[0].Distance, notes, new MatchEvidence(type, sorted[0].Distance));
            }
            else if (mode == Mode.Ratio && sorted.Count > 1)
            {
                var (d1, d2) = (sorted[0].Distance, sorted[1].Distance);
                if (d2 >= MatchingThresholds.RatioMinSecondMeters && (d1 == 0 || d2 / d1 >= MatchingThresholds.RatioFactor))
                {
                    var ratio = d1 == 0 ? "inf" : (d2 / d1).ToString("F1", CultureInfo.InvariantCulture);
                    var notes = string.Create(CultureInfo.InvariantCulture, $"Ratio test: d1={d1:F1}m, d2={d2:F1}m, ratio={ratio}");
                    state.Commit(i, sorted[0].Index, MatchTypeLabels.NearestRatio, d1, notes,
                        new MatchEvidence(MatchTypeLabels.NearestRatio, d1, NearestMeters: d1, SecondMeters: d2));
                }
            }
        }
    }
}
