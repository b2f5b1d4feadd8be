namespace StopSync.Jobs.Matching.Engine.Stages;

/// <summary>
/// Optional <c>exact_postpass</c> after the last nearest pass (matching-spec §2.12), in the stricter form of the
/// deployed upstream docs rather than the G2 code: a UIC with exactly one unmatched ATLAS platform and exactly one
/// free candidate carrying that <c>uic_ref</c>, which has no <c>local_ref</c>, is a match whatever the distance.
/// The G2 rule (one candidate takes every unmatched platform of the UIC) is not implemented: it links platforms that
/// the earlier stages deliberately left apart.
/// </summary>
internal static class ExactPostpassStage
{
    public static void Run(EngineState state)
    {
        var atlas = state.Atlas;
        var osm = state.Osm;
        var byUic = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var i in state.UnmatchedAtlasEntities())
        {
            if (atlas.AllowsStationReference(i))
            {
                var number = atlas.Rows[i].Number;
                if (!byUic.TryGetValue(number, out var list))
                {
                    list = [];
                    byUic[number] = list;
                }

                list.Add(i);
            }
        }

        foreach (var (number, entities) in byUic)
        {
            if (entities.Count != 1)
            {
                continue;
            }

            var candidates = osm.UicIndex[number].Where(state.IsAvailable).Take(2).ToList();
            if (candidates.Count != 1 || osm.LocalRef[candidates[0]].Length > 0)
            {
                continue;
            }

            var d = state.Distance(entities[0], candidates[0]);
            state.Commit(entities[0], candidates[0], MatchTypeLabels.ExactPostpass, d, "Only unmatched platform and only free element of the UIC",
                new MatchEvidence(MatchTypeLabels.ExactPostpass, d, Reference: number));
        }
    }
}
