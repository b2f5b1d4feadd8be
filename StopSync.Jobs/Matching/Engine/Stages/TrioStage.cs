namespace StopSync.Jobs.Matching.Engine.Stages;

/// <summary>Stage 1 (docs/07-matching.md#the-ten-stages); the middle stop_position is never matched.</summary>
internal static class TrioStage
{
    public static void Run(EngineState state)
    {
        var atlas = state.Atlas;
        var osm = state.Osm;
        var byUic = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var i in state.UnmatchedAtlasEntities())
        {
            if (atlas.AllowsStationReference(i))
            {
                var uic = atlas.Rows[i].Number.Trim();
                if (!byUic.TryGetValue(uic, out var list))
                {
                    list = [];
                    byUic[uic] = list;
                }

                list.Add(i);
            }
        }

        foreach (var trio in osm.Units.Trios)
        {
            var middle = osm.Units.TrioMiddle(trio);
            var (side1, side2) = osm.Units.TrioSides(trio);
            if (osm.Used[side1] || osm.Used[side2] || osm.UicRef[side1].Length == 0)
            {
                continue;
            }

            var candidates = byUic.GetValueOrDefault(osm.UicRef[side1], []).Where(i => !atlas.Matched[i]).ToList();
            if (candidates.Count != 2)
            {
                continue;
            }

            var (a, b) = (candidates[0], candidates[1]);
            var (aa, ab) = (state.Distance(a, side1), state.Distance(a, side2));
            var (ba, bb) = (state.Distance(b, side1), state.Distance(b, side2));
            (int Atlas, int Osm, double Distance)[] chosen = aa + bb <= ab + ba
                ? [(a, side1, aa), (b, side2, bb)]
                : [(a, side2, ab), (b, side1, ba)];
            foreach (var (i, j, d) in chosen)
            {
                if (atlas.Matched[i] || osm.Used[j] || j == middle)
                {
                    continue;
                }

                state.Commit(i, j, MatchTypeLabels.Trio, d, $"Trio side matched (middle node {osm.Ids[middle]})",
                    new MatchEvidence(MatchTypeLabels.Trio, d, TrioMiddleId: osm.Ids[middle]));
            }
        }
    }
}
