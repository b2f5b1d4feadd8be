namespace StopSync.Jobs.Matching.Engine;

/// <summary>The rules of docs/07-matching.md#problems; at most one problem per type and record.</summary>
internal sealed class ProblemDetector
{
    /// <summary>Above this a match is critical (P1), unless the platform is SBB's; also the "nothing near" limit for unmatched ATLAS.</summary>
    public const double CriticalMeters = 80;

    /// <summary>Above this a match is P2, unless the platform is SBB's.</summary>
    public const double MajorMeters = 25;

    /// <summary>P3 for everyone: SBB is exempt from P1 and P2 because long trains put its mapped points far from ATLAS's.</summary>
    public const double MinorMeters = 15;

    /// <summary>Beyond this an unmatched row or element has no counterpart candidate: it is isolated.</summary>
    public const double IsolationMeters = MatchingThresholds.MaxDistanceMeters;

    private readonly EngineState _state;
    private readonly HashSet<int> _effectivelyMatched;
    private readonly Dictionary<string, int> _sourceCount = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _osmCount = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _osmPlatformCount = new(StringComparer.Ordinal);
    private readonly Dictionary<int, string[]> _osmDuplicateMembers = [];
    private readonly Dictionary<string, string[]> _atlasDuplicateMembers = new(StringComparer.Ordinal);
    private readonly HashSet<int> _handledAtlasDuplicates = [];
    private readonly Dictionary<string, DetectedProblem> _problems = new(StringComparer.Ordinal);

    private ProblemDetector(EngineState state, HashSet<int> effectivelyMatched)
    {
        _state = state;
        _effectivelyMatched = effectivelyMatched;
    }

    public static List<DetectedProblem> Detect(EngineState state, HashSet<int> effectivelyMatched)
    {
        var detector = new ProblemDetector(state, effectivelyMatched);
        detector.BuildContext();
        detector.Evaluate();
        return [.. detector._problems.Values
            .OrderBy(p => p.Priority)
            .ThenBy(p => p.Type, StringComparer.Ordinal)
            .ThenBy(p => p.Id, StringComparer.Ordinal)];
    }

    public static bool IsSbb(string operatorAbbreviation) =>
        string.Equals(operatorAbbreviation.Trim(), "SBB", StringComparison.OrdinalIgnoreCase);

    /// <summary>The distance rule, strict comparisons: SBB above 15 m is P3 at most.</summary>
    public static int? DistancePriority(double distanceMeters, string atlasOperator)
    {
        var exempt = IsSbb(atlasOperator);
        return distanceMeters switch
        {
            > CriticalMeters when !exempt => 1,
            > MajorMeters when !exempt => 2,
            > MinorMeters => 3,
            _ => null,
        };
    }

    /// <summary>The first disagreement wins; a value missing on either side is no disagreement.</summary>
    public static int? AttributesPriority(
        string atlasNumber, string atlasName, string atlasDesignation, string atlasOperator,
        string osmUicRef, string? osmUicName, string osmLocalRef, string? osmOperator) =>
        AttributesPriority(AttributeDifferences(atlasNumber, atlasName, atlasDesignation, atlasOperator, osmUicRef, osmUicName, osmLocalRef, osmOperator));

    /// <summary>uic_ref and uic_name are critical (P1), local_ref major (P2), operator minor (P3).</summary>
    public static int? AttributesPriority(List<AttributeDifference>? differences) =>
        differences is not { Count: > 0 } ? null
        : differences[0].Attribute switch
        {
            "uic_ref" or "uic_name" => 1,
            "local_ref" => 2,
            _ => 3,
        };

    /// <summary>Every disagreement, in the order of <see cref="ProblemEvidence.Attributes"/>, with the values trimmed as
    /// compared: the UIC number exactly, the other three ignoring case. Null when all agree.</summary>
    public static List<AttributeDifference>? AttributeDifferences(
        string atlasNumber, string atlasName, string atlasDesignation, string atlasOperator,
        string osmUicRef, string? osmUicName, string osmLocalRef, string? osmOperator)
    {
        List<AttributeDifference>? differences = null;
        var (number, uic) = (atlasNumber.Trim(), osmUicRef.Trim());
        if (number.Length > 0 && uic.Length > 0 && number != uic)
        {
            (differences ??= []).Add(new AttributeDifference("uic_ref", number, uic));
        }

        AddIfDifferent(ref differences, "uic_name", atlasName, osmUicName);
        AddIfDifferent(ref differences, "local_ref", atlasDesignation, osmLocalRef);
        AddIfDifferent(ref differences, "operator", atlasOperator, osmOperator);
        return differences;
    }

    private static void AddIfDifferent(ref List<AttributeDifference>? differences, string attribute, string? atlas, string? osm)
    {
        if (TextRules.DifferIgnoringCase(atlas, osm))
        {
            (differences ??= []).Add(new AttributeDifference(attribute, atlas!.Trim(), osm!.Trim()));
        }
    }

    private void BuildContext()
    {
        var atlas = _state.Atlas;
        var osm = _state.Osm;
        // Counts go per match record plus per unmatched entity (upstream quirk 2, kept; see
        // docs/07-matching.md#options-and-decisions-on-upstream-quirks): multi-links count several times.
        foreach (var (i, j) in _state.MatchIndexes)
        {
            CountAtlas(i);
            CountOsm(j);
        }

        for (var i = 0; i < atlas.Rows.Length; i++)
        {
            if (!atlas.Matched[i])
            {
                CountAtlas(i);
            }
        }

        for (var j = 0; j < osm.Elements.Length; j++)
        {
            if (!osm.Used[j])
            {
                CountOsm(j);
            }
        }

        // OSM duplicates: platform-like elements outside any pair or trio that share (uic_ref, local_ref).
        var byKey = new Dictionary<(string, string), List<int>>();
        for (var j = 0; j < osm.Elements.Length; j++)
        {
            if (osm.UicRef[j].Length == 0 || osm.LocalRef[j].Length == 0 || !IsPlatformLike(j) || osm.Units.IsGrouped(j))
            {
                continue;
            }

            var key = (osm.UicRef[j], osm.LocalRef[j].ToLowerInvariant());
            if (!byKey.TryGetValue(key, out var list))
            {
                list = [];
                byKey[key] = list;
            }

            list.Add(j);
        }

        foreach (var list in byKey.Values.Where(l => l.Count >= 2))
        {
            string[] members = [.. list.Select(j => osm.Ids[j]).Order(StringComparer.Ordinal)];
            foreach (var j in list)
            {
                _osmDuplicateMembers[j] = members;
            }
        }

        foreach (var group in atlas.DuplicateGroups)
        {
            string[] members = [.. group.Members.Select(m => m.Sloid).Order(StringComparer.Ordinal)];
            foreach (var member in members)
            {
                _atlasDuplicateMembers[member] = members;
            }
        }

        for (var k = 0; k < _state.Matches.Count; k++)
        {
            if (_state.Matches[k].MatchType == MatchTypeLabels.DuplicatePropagation)
            {
                _handledAtlasDuplicates.Add(_state.MatchIndexes[k].Atlas);
            }
        }
    }

    private void Evaluate()
    {
        var atlas = _state.Atlas;
        var osm = _state.Osm;
        for (var k = 0; k < _state.Matches.Count; k++)
        {
            var match = _state.Matches[k];
            var (i, j) = _state.MatchIndexes[k];
            var row = atlas.Rows[i];
            if (DistancePriority(match.DistanceMeters, row.OperatorAbbreviation) is { } distance)
            {
                Add(ProblemTypes.Distance, distance, i, j, ProblemEvidence.ForDistance(match.DistanceMeters));
            }

            var differences = AttributeDifferences(
                row.Number, row.DesignationOfficial, row.Designation, row.OperatorAbbreviation,
                osm.UicRef[j], osm.Elements[j].Tag("uic_name"), osm.LocalRef[j], osm.Elements[j].Operator ?? osm.Elements[j].Tag("operator"));
            if (AttributesPriority(differences) is { } attributes)
            {
                Add(ProblemTypes.Attributes, attributes, i, j, new ProblemEvidence(Differences: differences));
            }

            var alignment = _state.Routes.Classify(i, j) switch
            {
                RouteAlignment.TokenContradiction => ProblemEvidence.TokenContradiction,
                RouteAlignment.DirectionContradiction => ProblemEvidence.DirectionContradiction,
                _ => null,
            };
            if (alignment is not null)
            {
                Add(ProblemTypes.ContradictsRouteMatching, 2, i, j, new ProblemEvidence(Alignment: alignment));
            }

            AddDuplicates(i, j);
        }

        for (var i = 0; i < atlas.Rows.Length; i++)
        {
            if (!atlas.Matched[i])
            {
                var (priority, isolated) = UnmatchedAtlasPriority(i);
                Add(ProblemTypes.Unmatched, priority, i, -1, new ProblemEvidence(Side: ProblemEvidence.AtlasSide, Isolated: isolated));
                AddDuplicates(i, -1);
            }
        }

        for (var j = 0; j < osm.Elements.Length; j++)
        {
            if (!osm.Used[j] && !_effectivelyMatched.Contains(j))
            {
                var (priority, isolated) = UnmatchedOsmPriority(j);
                Add(ProblemTypes.Unmatched, priority, -1, j, new ProblemEvidence(Side: ProblemEvidence.OsmSide, Isolated: isolated));
                AddDuplicates(-1, j);
            }
        }
    }

    /// <summary>Isolated as the unmatched list has it: no OSM element at all (stations included) within 50 m.</summary>
    private (int Priority, bool Isolated) UnmatchedAtlasPriority(int i)
    {
        var row = _state.Atlas.Rows[i];
        var nearest = _state.AllOsmGrid.Nearest(row.Lat, row.Lon, CriticalMeters);
        var isolated = nearest is null or > IsolationMeters;
        var uic = row.Number.Length > 0 ? row.Number : null;
        if ((uic is not null && _osmCount.GetValueOrDefault(uic) == 0) || nearest is null)
        {
            return (1, isolated);
        }

        if (isolated || (uic is not null && _osmPlatformCount.GetValueOrDefault(uic) != _sourceCount.GetValueOrDefault(uic)))
        {
            return (2, isolated);
        }

        return (3, isolated);
    }

    /// <summary>Isolated as the unmatched list has it: no ATLAS platform within 50 m.</summary>
    private (int Priority, bool Isolated) UnmatchedOsmPriority(int j)
    {
        var osm = _state.Osm;
        var isolated = _state.AllAtlasGrid.Nearest(osm.Lat[j], osm.Lon[j], IsolationMeters) is null;
        var uic = osm.UicRef[j].Length > 0 ? osm.UicRef[j] : null;
        if (uic is not null && _sourceCount.GetValueOrDefault(uic) == 0)
        {
            return (1, isolated);
        }

        if (isolated || (uic is not null && _osmPlatformCount.GetValueOrDefault(uic) != _sourceCount.GetValueOrDefault(uic)))
        {
            return (2, isolated);
        }

        return (3, isolated);
    }

    /// <summary>An OSM-side duplicate (P3) is reported in preference to an unhandled ATLAS duplicate group (P2), never both.</summary>
    private void AddDuplicates(int atlas, int osm)
    {
        if (osm >= 0 && _osmDuplicateMembers.TryGetValue(osm, out var osmMembers))
        {
            Add(ProblemTypes.Duplicates, 3, atlas, osm, new ProblemEvidence(Side: ProblemEvidence.OsmSide, Members: osmMembers), hasOsmDuplicate: true);
        }
        else if (atlas >= 0 && _state.Atlas.IsInDuplicateGroup(atlas) && !_handledAtlasDuplicates.Contains(atlas))
        {
            var members = _atlasDuplicateMembers.GetValueOrDefault(_state.Atlas.Rows[atlas].Sloid) ?? [_state.Atlas.Rows[atlas].Sloid];
            Add(ProblemTypes.Duplicates, 2, atlas, osm, new ProblemEvidence(Side: ProblemEvidence.AtlasSide, Members: members), hasSourceDuplicate: true);
        }
    }

    private void Add(string type, int priority, int atlas, int osm, ProblemEvidence evidence, bool hasSourceDuplicate = false, bool hasOsmDuplicate = false)
    {
        var id = ProblemIds.Compute(type, atlas >= 0 ? _state.Atlas.Keys[atlas] : null, osm >= 0 ? _state.Osm.Ids[osm] : null);
        _problems[id] = new DetectedProblem(
            id, type, priority, atlas >= 0 ? _state.Atlas.Rows[atlas].Sloid : null, osm >= 0 ? _state.Osm.Ids[osm] : null,
            hasSourceDuplicate, hasOsmDuplicate, evidence);
    }

    private void CountAtlas(int i)
    {
        var number = _state.Atlas.Rows[i].Number;
        if (number.Length > 0)
        {
            _sourceCount[number] = _sourceCount.GetValueOrDefault(number) + 1;
        }
    }

    private void CountOsm(int j)
    {
        var uic = _state.Osm.UicRef[j];
        if (uic.Length == 0)
        {
            return;
        }

        _osmCount[uic] = _osmCount.GetValueOrDefault(uic) + 1;
        if (!_state.Osm.IsStation[j] && IsPlatformLike(j))
        {
            _osmPlatformCount[uic] = _osmPlatformCount.GetValueOrDefault(uic) + 1;
        }
    }

    private bool IsPlatformLike(int j) => _state.Osm.IsPlatform(j) || _state.Osm.IsStopPosition(j);
}
