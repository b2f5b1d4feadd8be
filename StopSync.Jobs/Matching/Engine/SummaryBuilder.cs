namespace StopSync.Jobs.Matching.Engine;

/// <summary>The figures of docs/07-matching.md#summary.</summary>
internal static class SummaryBuilder
{
    public static MatchingSummary Build(
        EngineState state,
        List<UnmatchedAtlasPlatform> unmatchedAtlas,
        List<UnmatchedOsmElement> unmatchedOsm,
        List<StopUnit> units,
        List<DetectedProblem> problems)
    {
        var matches = state.Matches;
        var distancesOfType = matches.GroupBy(m => m.MatchType, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(m => m.DistanceMeters).ToList(), StringComparer.Ordinal);
        var byType = MatchTypeLabels.All
            .Select(t => new KeyValuePair<string, int>(t, distancesOfType.GetValueOrDefault(t)?.Count ?? 0))
            .ToList();
        var distances = MatchTypeLabels.All
            .Where(distancesOfType.ContainsKey)
            .Select(t => new KeyValuePair<string, DistanceStatistics>(t, Statistics(distancesOfType[t])))
            .ToList();
        var unitKinds = units
            .GroupBy(u => u.GroupKind ?? StopUnitKinds.SingleKind, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new KeyValuePair<string, int>(g.Key, g.Count()))
            .ToList();
        var problemTally = problems.CountBy(p => (p.Type, p.Priority)).ToDictionary();
        var problemCounts = ProblemTypes.Stop
            .Select(t => new KeyValuePair<string, ProblemCounts>(t, new ProblemCounts(
                problemTally.GetValueOrDefault((t, 1)), problemTally.GetValueOrDefault((t, 2)), problemTally.GetValueOrDefault((t, 3)))))
            .ToList();

        var notNearest = 0;
        for (var k = 0; k < matches.Count; k++)
        {
            var (i, j) = state.MatchIndexes[k];
            if (state.AllOsmGrid.AnyCloserThan(state.Atlas.Lat[i], state.Atlas.Lon[i], matches[k].DistanceMeters, j))
            {
                notNearest++;
            }
        }

        var atlasCount = state.Atlas.Rows.Length;
        var matchedAtlas = state.Atlas.Matched.Count(m => m);
        return new MatchingSummary(
            AtlasPlatforms: atlasCount,
            OsmElements: state.Osm.Elements.Length,
            StopUnits: units.Count,
            MatchedPairs: matches.Count,
            MatchedAtlas: matchedAtlas,
            MatchRate: atlasCount == 0 ? 0 : (double)matchedAtlas / atlasCount,
            UnmatchedAtlas: unmatchedAtlas.Count,
            UnmatchedOsm: unmatchedOsm.Count,
            IsolatedAtlas: unmatchedAtlas.Count(u => u.Isolated),
            IsolatedOsm: unmatchedOsm.Count(u => u.Isolated),
            EffectivelyMatchedOsm: unmatchedOsm.Count(u => u.EffectivelyMatched),
            NotMatchedToNearest: notNearest,
            ByMatchType: byType,
            DistanceByMatchType: distances,
            StopUnitsByGroupKind: unitKinds,
            Problems: problemCounts,
            OsmElementsWithSeveralAtlas: state.MatchIndexes.GroupBy(x => x.Osm).Count(g => g.Count() > 1),
            AtlasWithSeveralOsm: state.MatchIndexes.GroupBy(x => x.Atlas).Count(g => g.Count() > 1));
    }

    /// <summary>Mean, median and 95th percentile; percentiles interpolate linearly between the closest ranks.</summary>
    public static DistanceStatistics Statistics(IReadOnlyCollection<double> values)
    {
        var sorted = values.Order().ToArray();
        return new DistanceStatistics(sorted.Length, sorted.Average(), Percentile(sorted, 0.5), Percentile(sorted, 0.95));
    }

    private static double Percentile(double[] sorted, double q)
    {
        var rank = q * (sorted.Length - 1);
        var lower = (int)Math.Floor(rank);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * (rank - lower));
    }
}
