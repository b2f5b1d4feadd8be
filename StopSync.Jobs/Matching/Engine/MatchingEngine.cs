using System.Diagnostics;
using StopSync.Jobs.Matching.Engine.Stages;

namespace StopSync.Jobs.Matching.Engine;

/// <summary>Deterministic (docs/07-matching.md): the same input gives the same output in the same order.</summary>
public static class MatchingEngine
{
    /// <summary>In run order; <c>exact_postpass</c> is reported only when enabled, <c>manual</c> always (it takes no time without rulings).</summary>
    public static IReadOnlyList<string> StepNames { get; } =
    [
        "prepare", "grouping", "manual", "trio", "exact", "name", "route", "group_proximity_50m", "group_proximity_150m",
        "local_ref", "nearest_single", "nearest_ratio", "nearest_single_second", "exact_postpass", "unmatched", "problems",
        "summary",
    ];

    public static MatchingOutput Run(MatchingInput input, MatchingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        options ??= MatchingOptions.Default;
        var clock = new StepClock(input.StageTimings);

        var state = clock.Time("prepare", () => EngineState.Create(input, options));
        clock.Time("grouping", () => Group(state));
        clock.Time("manual", () => ManualStage.Run(state));
        var stages = options.Stages;
        Stage(EngineStages.Trio, "trio", () => TrioStage.Run(state));
        Stage(EngineStages.Exact, "exact", () => ExactStage.Run(state));
        Stage(EngineStages.Name, "name", () => NameStage.Run(state));
        clock.Time("route", () =>
        {
            state.Routes = RouteModel.Build(state);
            if (!state.Routes.Available)
            {
                state.Diagnostics.Add("route_evidence_unavailable: ATLAS or OSM route evidence is absent; the route stage and route checks were skipped");
            }

            if (stages.HasFlag(EngineStages.Route))
            {
                RouteStage.Run(state);
            }
        });
        Stage(EngineStages.GroupProximity, "group_proximity_50m", () => GroupProximityStage.Run(state, longDistance: false));
        Stage(EngineStages.LongDistanceGroupProximity, "group_proximity_150m", () => GroupProximityStage.Run(state, longDistance: true));
        Stage(EngineStages.LocalRef, "local_ref", () => LocalRefStage.Run(state));
        Stage(EngineStages.NearestSingle, "nearest_single", () => NearestStage.Run(state, NearestStage.Mode.Single));
        Stage(EngineStages.NearestRatio, "nearest_ratio", () => NearestStage.Run(state, NearestStage.Mode.Ratio));
        Stage(EngineStages.NearestSingleSecondPass, "nearest_single_second", () => NearestStage.Run(state, NearestStage.Mode.SingleSecondPass));
        if (options.ExactPostpass)
        {
            clock.Time("exact_postpass", () => ExactPostpassStage.Run(state));
        }

        var (unmatchedAtlas, unmatchedOsm, effectivelyMatched) = clock.Time("unmatched", () => Unmatched(state));
        var problems = clock.Time("problems", () => ProblemDetector.Detect(state, effectivelyMatched));
        var units = StopUnits(state);
        var summary = clock.Time("summary", () => SummaryBuilder.Build(state, unmatchedAtlas, unmatchedOsm, units, problems));
        return new MatchingOutput(
            state.Matches, unmatchedAtlas, unmatchedOsm, units, state.Atlas.DuplicateGroups, problems, summary, state.Diagnostics);

        void Stage(EngineStages stage, string name, Action run)
        {
            if (stages.HasFlag(stage))
            {
                clock.Time(name, run);
            }
        }
    }

    /// <summary>The state after grouping, before any stage: for tests of grouping and of commit.</summary>
    internal static EngineState Prepare(MatchingInput input, MatchingOptions? options = null)
    {
        var state = EngineState.Create(input, options ?? MatchingOptions.Default);
        Group(state);
        return state;
    }

    private static void Group(EngineState state)
    {
        StopUnitBuilder.Build(state);
        state.BuildCandidateIndex();
    }

    private static (List<UnmatchedAtlasPlatform>, List<UnmatchedOsmElement>, HashSet<int>) Unmatched(EngineState state)
    {
        var atlas = state.Atlas;
        var osm = state.Osm;
        var effectivelyMatched = new HashSet<int>();
        foreach (var trio in osm.Units.Trios)
        {
            var (side1, side2) = osm.Units.TrioSides(trio);
            if (osm.Used[side1] && osm.Used[side2])
            {
                effectivelyMatched.Add(osm.Units.TrioMiddle(trio));
            }
        }

        var unmatchedAtlas = new List<UnmatchedAtlasPlatform>();
        for (var i = 0; i < atlas.Rows.Length; i++)
        {
            if (!atlas.Matched[i])
            {
                var isolated = state.AllOsmGrid.Nearest(atlas.Lat[i], atlas.Lon[i], MatchingThresholds.MaxDistanceMeters) is null;
                unmatchedAtlas.Add(new UnmatchedAtlasPlatform(atlas.Rows[i], isolated));
            }
        }

        var unmatchedOsm = new List<UnmatchedOsmElement>();
        for (var j = 0; j < osm.Elements.Length; j++)
        {
            if (!osm.Used[j])
            {
                var isolated = state.AllAtlasGrid.Nearest(osm.Lat[j], osm.Lon[j], MatchingThresholds.MaxDistanceMeters) is null;
                unmatchedOsm.Add(new UnmatchedOsmElement(osm.Elements[j], isolated, effectivelyMatched.Contains(j)));
            }
        }

        return (unmatchedAtlas, unmatchedOsm, effectivelyMatched);
    }

    private static List<StopUnit> StopUnits(EngineState state)
    {
        var osm = state.Osm;
        var units = new List<StopUnit>(osm.Elements.Length);
        foreach (var rep in osm.Units.Registered)
        {
            var kind = osm.Units.GroupKind[rep]!;
            if (kind == StopUnitKinds.GroupTrio)
            {
                var (side1, side2) = osm.Units.TrioSides(rep);
                units.Add(new StopUnit(osm.Ids[rep], StopUnitKinds.TrioKind, kind,
                [
                    new StopUnitMember(osm.Ids[osm.Units.TrioMiddle(rep)], StopUnitKinds.RoleTrioMiddle),
                    new StopUnitMember(osm.Ids[side1], StopUnitKinds.RoleTrioSide),
                    new StopUnitMember(osm.Ids[side2], StopUnitKinds.RoleTrioSide),
                ]));
            }
            else
            {
                units.Add(new StopUnit(osm.Ids[rep], StopUnitKinds.PairKind, kind,
                [
                    new StopUnitMember(osm.Ids[rep], StopUnitKinds.RolePairA),
                    new StopUnitMember(osm.Ids[osm.Units.Siblings(rep)[0]], StopUnitKinds.RolePairB),
                ]));
            }
        }

        for (var j = 0; j < osm.Elements.Length; j++)
        {
            if (!osm.Units.IsGrouped(j))
            {
                units.Add(new StopUnit(osm.Ids[j], StopUnitKinds.SingleKind, null, [new StopUnitMember(osm.Ids[j], StopUnitKinds.RoleSingle)]));
            }
        }

        return units;
    }

    private sealed class StepClock(Action<string, TimeSpan>? sink)
    {
        public void Time(string step, Action action) => Time(step, () =>
        {
            action();
            return true;
        });

        public T Time<T>(string step, Func<T> action)
        {
            if (sink is null)
            {
                return action();
            }

            var started = Stopwatch.GetTimestamp();
            var result = action();
            sink(step, Stopwatch.GetElapsedTime(started));
            return result;
        }
    }
}
