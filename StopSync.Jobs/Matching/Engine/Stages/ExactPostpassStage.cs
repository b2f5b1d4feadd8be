namespace StopSync.Jobs.Matching.Engine.Stages;

/// <summary>The stricter form only (docs/07-matching.md#options-and-decisions-on-upstream-quirks).</summary>
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
