namespace StopSync.Jobs.Matching.Engine.Stages;

/// <summary>Stage 3 (docs/07-matching.md#the-ten-stages): byte-for-byte names and no distance cap, as upstream.</summary>
internal static class NameStage
{
    public static void Run(EngineState state)
    {
        var atlas = state.Atlas;
        var osm = state.Osm;
        foreach (var i in state.UnmatchedAtlasEntities())
        {
            var name = atlas.Rows[i].DesignationOfficial.Trim();
            if (name.Length == 0)
            {
                continue;
            }

            var candidates = osm.NameIndex[name].Where(state.IsAvailable).ToList();
            if (candidates.Count == 0)
            {
                continue;
            }

            var code = atlas.Rows[i].Designation.Trim();
            var chosen = candidates.Count == 1 ? candidates[0]
                : code.Length == 0 ? -1
                : candidates.FirstOrDefault(j => TextRules.SameCode(osm.LocalRef[j], code), -1);
            if (chosen < 0)
            {
                continue;
            }

            var d = state.Distance(i, chosen);
            state.Commit(i, chosen, MatchTypeLabels.Name, d, $"Name index match ({candidates.Count} candidates)",
                new MatchEvidence(MatchTypeLabels.Name, d, SourceName: name, CandidateCount: candidates.Count, PlatformCode: atlas.Rows[i].Designation));
        }
    }
}
