using StopSync.Jobs.Matching.Engine;

namespace StopSync.Jobs.Matching.Routes;

/// <summary>
/// Route problems (docs/07-matching.md#route-problems). Each lands on one published stop row, named by its SLOID and/or
/// OSM id, so the problems page and reviewers' decisions treat it like a stop problem; its id hashes the line (by its
/// normalised route id) and the OSM family, never an itinerary hash, so it survives the yearly change of route ids.
/// </summary>
internal static class RouteProblemDetector
{
    public const string MissingInOsm = "missing_in_osm";
    public const string ExtraInOsm = "extra_in_osm";
    public const string WrongOrder = "wrong_order";
    public const string OtherPlatform = "other_platform";

    /// <summary>Unmatched families: more distinct stops than this are P1 …</summary>
    private const int CriticalStops = 20;

    /// <summary>… at least this many P2, fewer P3.</summary>
    private const int MajorStops = 5;

    /// <param name="atlas">Ordered by family id.</param>
    /// <param name="osm">Ordered by family id, non-GTFS flags set.</param>
    /// <param name="families">Matched family pairs as indexes into the two lists.</param>
    /// <param name="itineraries">Matched itinerary pairs with their alignments.</param>
    public static RouteProblems Detect(
        LineFamily[] atlas, LineFamily[] osm, List<FamilyPair> families, List<AlignedItineraries> itineraries, StopKeyTable keys)
    {
        var found = new Found();
        var atlasMatched = new bool[atlas.Length];
        var osmMatched = new bool[osm.Length];
        foreach (var pair in families)
        {
            atlasMatched[pair.Atlas] = true;
            osmMatched[pair.Osm] = true;
        }

        for (var a = 0; a < atlas.Length; a++)
        {
            if (!atlasMatched[a])
            {
                UnmatchedAtlas(atlas[a], found);
            }
        }

        for (var o = 0; o < osm.Length; o++)
        {
            // Without a GTFS id an unmatched OSM family is non-GTFS: listed apart, no problem.
            if (!osmMatched[o] && !osm[o].IsNonGtfs && FamilyMatcher.HasGtfsId(osm[o]))
            {
                UnmatchedOsm(osm[o], found);
            }
        }

        foreach (var pair in families)
        {
            Metadata(atlas[pair.Atlas], osm[pair.Osm], found);
        }

        var atlasById = families.ToDictionary(p => atlas[p.Atlas].FamilyId, p => atlas[p.Atlas], StringComparer.Ordinal);
        foreach (var aligned in itineraries)
        {
            Membership(atlasById[aligned.Match.AtlasFamilyId], aligned, keys, found);
        }

        var problems = found.Problems.Values
            .OrderBy(p => p.Priority)
            .ThenBy(p => p.Type, StringComparer.Ordinal)
            .ThenBy(p => p.Id, StringComparer.Ordinal)
            .ToList();
        return new RouteProblems(problems, found.Unplaced.Count);
    }

    /// <summary>P1 above 20 distinct stops, P2 from 5 to 20, P3 below 5.</summary>
    public static int UnmatchedPriority(int distinctStops) => distinctStops > CriticalStops ? 1 : distinctStops >= MajorStops ? 2 : 3;

    /// <summary>The line's key in problem ids: the normalised route id, equal for <c>-j25</c> and <c>-j26</c>.</summary>
    private static string LineKey(LineFamily atlas) =>
        "line:" + (atlas.NormalizedRouteId ?? RouteIds.Normalize(atlas.GtfsRouteId ?? atlas.FamilyId));

    private static string FamilyKey(LineFamily osm) => "family:" + osm.FamilyId;

    private static ProblemEvidence Evidence(LineFamily atlas, LineFamily osm) =>
        new(Line: atlas.DisplayRouteId, AtlasFamily: LineKey(atlas)["line:".Length..], OsmFamily: osm.FamilyId);

    private static void UnmatchedAtlas(LineFamily family, Found found)
    {
        var id = ProblemIds.Compute(ProblemTypes.RouteUnmatched, [LineKey(family)], []);
        var landing = Longest(family)?.Calls.FirstOrDefault(c => c.Sloid is not null);
        if (landing is null)
        {
            found.Unplaced.Add(id);
            return;
        }

        var evidence = new ProblemEvidence(
            Side: ProblemEvidence.AtlasSide, Line: family.DisplayRouteId, AtlasFamily: LineKey(family)["line:".Length..]);
        found.Add(new DetectedProblem(
            id, ProblemTypes.RouteUnmatched, UnmatchedPriority(family.DistinctStopCount), landing.Sloid, null, Evidence: evidence));
    }

    private static void UnmatchedOsm(LineFamily family, Found found)
    {
        var id = ProblemIds.Compute(ProblemTypes.RouteUnmatched, [], [FamilyKey(family)]);
        var landing = Longest(family)?.Calls.FirstOrDefault(c => c.OsmId is not null);
        if (landing is null)
        {
            found.Unplaced.Add(id);
            return;
        }

        var evidence = new ProblemEvidence(Side: ProblemEvidence.OsmSide, Line: family.DisplayRouteId, OsmFamily: family.FamilyId);
        found.Add(new DetectedProblem(
            id, ProblemTypes.RouteUnmatched, UnmatchedPriority(family.DistinctStopCount), null, landing.OsmId, Evidence: evidence));
    }

    private static void Metadata(LineFamily atlas, LineFamily osm, Found found)
    {
        var differences = MetadataDifferences(atlas, osm);
        if (differences.Count == 0)
        {
            return;
        }

        var id = ProblemIds.Compute(ProblemTypes.RouteMetadata, [LineKey(atlas)], [FamilyKey(osm)]);
        var landing = Longest(osm)?.Calls.FirstOrDefault(c => c.OsmId is not null);
        if (landing is null)
        {
            found.Unplaced.Add(id);
            return;
        }

        var priority = differences.Any(d => d.Attribute is "ref" or "mode") ? 2 : 3;
        found.Add(new DetectedProblem(
            id, ProblemTypes.RouteMetadata, priority, null, landing.OsmId, Evidence: Evidence(atlas, osm) with { Differences = differences }));
    }

    /// <summary>
    /// ref and operator when the timetable has one (a missing OSM value differs); network only when both sides have one;
    /// mode unless either side is <c>other</c>. Values trimmed, compared ignoring case; operators are the same when one
    /// contains the other (agency names are often the long form of the operator tag) or the OSM value is one of the
    /// family's <see cref="LineFamily.OperatorAliases"/>.
    /// </summary>
    public static List<AttributeDifference> MetadataDifferences(LineFamily atlas, LineFamily osm)
    {
        var differences = new List<AttributeDifference>();
        var atlasRef = Trimmed(atlas.Ref);
        var osmRef = Trimmed(osm.Ref);
        if (atlasRef.Length > 0 && !string.Equals(atlasRef, osmRef, StringComparison.OrdinalIgnoreCase))
        {
            differences.Add(new AttributeDifference("ref", atlasRef, osmRef));
        }

        var atlasOperator = Trimmed(atlas.Operator);
        var osmOperator = Trimmed(osm.Operator);
        if (atlasOperator.Length > 0
            && (osmOperator.Length == 0
                || !(atlasOperator.Contains(osmOperator, StringComparison.OrdinalIgnoreCase)
                     || osmOperator.Contains(atlasOperator, StringComparison.OrdinalIgnoreCase)
                     || (atlas.OperatorAliases ?? []).Contains(osmOperator, StringComparer.OrdinalIgnoreCase))))
        {
            differences.Add(new AttributeDifference("operator", atlasOperator, osmOperator));
        }

        var atlasNetwork = Trimmed(atlas.Network);
        var osmNetwork = Trimmed(osm.Network);
        if (atlasNetwork.Length > 0 && osmNetwork.Length > 0 && !string.Equals(atlasNetwork, osmNetwork, StringComparison.OrdinalIgnoreCase))
        {
            differences.Add(new AttributeDifference("network", atlasNetwork, osmNetwork));
        }

        if (atlas.Mode != RouteModes.Other && osm.Mode != RouteModes.Other && !string.Equals(atlas.Mode, osm.Mode, StringComparison.Ordinal))
        {
            differences.Add(new AttributeDifference("mode", atlas.Mode, osm.Mode));
        }

        return differences;
    }

    /// <summary>
    /// Per matched itinerary pair; the same (kind, stop, family pair) found in several itineraries is one problem. An
    /// unaligned OSM call is out of order when the timetable itinerary has its stop, else extra. An unaligned timetable
    /// call is missing when the OSM itinerary lacks its stop; when the OSM itinerary has it but every such OSM call is
    /// aligned elsewhere (a stop the timetable calls twice), the first of them is out of order; otherwise the OSM side
    /// already reported it. An aligned pair sharing only the station's <c>uic:</c> key while both have SLOIDs is served
    /// at another platform.
    /// </summary>
    private static void Membership(LineFamily atlasFamily, AlignedItineraries aligned, StopKeyTable keys, Found found)
    {
        var atlas = keys.Calls(aligned.Atlas);
        var osm = keys.Calls(aligned.Osm);
        var atlasAligned = new bool[atlas.Length];
        var osmAligned = new bool[osm.Length];
        foreach (var (a, o) in aligned.Pairs)
        {
            atlasAligned[a] = true;
            osmAligned[o] = true;
        }

        var atlasKeys = atlas.SelectMany(k => k).ToHashSet();
        var osmKeys = osm.SelectMany(k => k).ToHashSet();
        var context = new MembershipContext(atlasFamily, aligned.Match.OsmFamilyId, found);

        for (var o = 0; o < osm.Length; o++)
        {
            if (!osmAligned[o])
            {
                var call = aligned.Osm.Calls[o];
                if (osm[o].Any(atlasKeys.Contains))
                {
                    context.Add(WrongOrder, 2, call.Sloid, call.OsmId);
                }
                else
                {
                    context.Add(ExtraInOsm, 3, null, call.OsmId);
                }
            }
        }

        for (var a = 0; a < atlas.Length; a++)
        {
            if (atlasAligned[a])
            {
                continue;
            }

            if (!atlas[a].Any(osmKeys.Contains))
            {
                var missing = aligned.Atlas.Calls[a];
                context.Add(MissingInOsm, 2, missing.Sloid, null, missing.Sloid ?? missing.StopKeys[0]);
                continue;
            }

            var sameStop = Enumerable.Range(0, osm.Length).Where(o => StopAlignment.Same(atlas[a], osm[o])).ToList();
            if (sameStop.TrueForAll(o => osmAligned[o]))
            {
                var call = aligned.Osm.Calls[sameStop[0]];
                context.Add(WrongOrder, 2, call.Sloid, call.OsmId);
            }
        }

        foreach (var (a, o) in aligned.Pairs)
        {
            var atlasCall = aligned.Atlas.Calls[a];
            var osmCall = aligned.Osm.Calls[o];
            if (atlasCall.SloidVariants.Count > 0 && osmCall.SloidVariants.Count > 0 && SharesOnlyStation(atlas[a], osm[o], keys))
            {
                context.Add(OtherPlatform, 2, atlasCall.Sloid, osmCall.OsmId);
            }
        }
    }

    private static bool SharesOnlyStation(int[] atlas, int[] osm, StopKeyTable keys)
    {
        foreach (var key in atlas)
        {
            if (Array.BinarySearch(osm, key) >= 0 && !keys.IsUic(key))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The itinerary with the most calls, ties by the smaller id.</summary>
    private static Itinerary? Longest(LineFamily family) =>
        family.Itineraries
            .OrderByDescending(i => i.Calls.Count)
            .ThenBy(i => i.ItineraryId, StringComparer.Ordinal)
            .FirstOrDefault();

    private static string Trimmed(string? value) => value?.Trim() ?? "";

    /// <summary>The problems by id, first found kept, and the ids of those with no stop row to land on.</summary>
    private sealed class Found
    {
        public Dictionary<string, DetectedProblem> Problems { get; } = new(StringComparer.Ordinal);
        public HashSet<string> Unplaced { get; } = new(StringComparer.Ordinal);

        public void Add(DetectedProblem problem) => Problems.TryAdd(problem.Id, problem);
    }

    private sealed class MembershipContext(LineFamily atlas, string osmFamilyId, Found found)
    {
        private readonly string _lineKey = LineKey(atlas);
        private readonly string _familyKey = "family:" + osmFamilyId;

        /// <summary>
        /// The id names the kind, the line, the OSM family and the stop the kind is about: the timetable's SLOID for a
        /// missing stop, the OSM element for an extra or misplaced one, both for another platform.
        /// </summary>
        /// <param name="atlasStop">For a missing stop: its SLOID, else its identity key (the problem cannot land then).</param>
        public void Add(string kind, int priority, string? sloid, string? osmId, string? atlasStop = null)
        {
            List<string> atlasKeys = [_lineKey, "kind:" + kind];
            List<string> osmKeys = [_familyKey];
            switch (kind)
            {
                case MissingInOsm:
                    atlasKeys.Add("atlas:" + atlasStop);
                    break;
                case OtherPlatform:
                    atlasKeys.Add("atlas:" + sloid);
                    osmKeys.Add(osmId ?? "");
                    break;
                default:
                    osmKeys.Add(osmId ?? "");
                    break;
            }

            var id = ProblemIds.Compute(ProblemTypes.RouteMembership, atlasKeys, osmKeys);
            var lands = kind switch
            {
                MissingInOsm => sloid is not null,
                OtherPlatform => sloid is not null && osmId is not null,
                _ => osmId is not null,
            };
            if (!lands)
            {
                found.Unplaced.Add(id);
                return;
            }

            var evidence = new ProblemEvidence(
                Line: atlas.DisplayRouteId, AtlasFamily: _lineKey["line:".Length..], OsmFamily: osmFamilyId, Kind: kind);
            found.Add(new DetectedProblem(id, ProblemTypes.RouteMembership, priority, sloid, osmId, Evidence: evidence));
        }
    }
}

/// <param name="Unplaced">Distinct problems none of whose stops has a row to land on; left out of <paramref name="Problems"/>.</param>
internal sealed record RouteProblems(List<DetectedProblem> Problems, int Unplaced);
