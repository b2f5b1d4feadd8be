namespace StopSync.Jobs.Matching.Engine.Stages;

/// <summary>Stage 2 (docs/07-matching.md#the-ten-stages).</summary>
internal static class ExactStage
{
    public static void Run(EngineState state)
    {
        var atlas = state.Atlas;
        var osm = state.Osm;
        var buckets = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var i in state.UnmatchedAtlasEntities())
        {
            if (atlas.AllowsStationReference(i))
            {
                var number = atlas.Rows[i].Number;
                if (!buckets.TryGetValue(number, out var list))
                {
                    list = [];
                    buckets[number] = list;
                }

                list.Add(i);
            }
        }

        foreach (var (number, bucket) in buckets)
        {
            var entities = bucket.Where(i => !atlas.Matched[i]).ToList();
            // Candidates carry the number in their own uic_ref: a representative that only inherits it from its pair
            // partner is not taken here, although group proximity lists it under that value (upstream quirk 4, kept;
            // docs/07-matching.md#options-and-decisions-on-upstream-quirks).
            var candidates = osm.UicIndex[number].Where(state.IsAvailable).ToList();
            if (entities.Count == 0 || candidates.Count == 0)
            {
                continue;
            }

            if (candidates.Count == 1)
            {
                foreach (var i in entities)
                {
                    Commit(state, i, candidates[0], number, "Single OSM element for station reference");
                }
            }
            else if (entities.Count == 1)
            {
                foreach (var j in candidates)
                {
                    Commit(state, entities[0], j, number, "Single source stop matched to multiple OSM elements");
                }
            }
            else
            {
                foreach (var i in entities)
                {
                    var code = atlas.Rows[i].Designation.Trim();
                    if (code.Length == 0)
                    {
                        continue;
                    }

                    var compatible = candidates.FirstOrDefault(j => !osm.Used[j] && TextRules.SameCode(osm.LocalRef[j], code), -1);
                    if (compatible >= 0)
                    {
                        Commit(state, i, compatible, number, "Exact compatible reference and platform code");
                    }
                }
            }
        }
    }

    private static void Commit(EngineState state, int atlas, int osm, string number, string notes)
    {
        var d = state.Distance(atlas, osm);
        state.Commit(atlas, osm, MatchTypeLabels.Exact, d, notes, new MatchEvidence(MatchTypeLabels.Exact, d, Reference: number));
    }
}
