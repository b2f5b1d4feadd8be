using StopSync.Jobs.Sources.Atlas;
using StopSync.Jobs.Sources.Osm;

namespace StopSync.Jobs.Matching.Engine;

/// <summary>Stages change the state only through <see cref="Commit"/> (docs/07-matching.md#mechanics-shared-by-the-stages).</summary>
internal sealed class EngineState
{
    private readonly HashSet<long> _pairs = [];

    /// <summary>Reviewers' forbidden pairs as pair keys; checked on every record, so no stage or propagation can bypass it.</summary>
    private readonly HashSet<long> _forbidden = [];

    private EngineState(AtlasSide atlas, OsmSide osm, MatchingOptions options, MatchingInput input)
    {
        Atlas = atlas;
        Osm = osm;
        Options = options;
        Input = input;
    }

    public AtlasSide Atlas { get; }
    public OsmSide Osm { get; }
    public MatchingOptions Options { get; }
    public MatchingInput Input { get; }
    public List<AtlasOsmMatch> Matches { get; } = [];

    public List<(int Atlas, int Osm)> MatchIndexes { get; } = [];

    public List<string> Diagnostics { get; } = [];

    /// <summary>Reviewers' manual matches whose two sides exist, ordered by SLOID then OSM id (ordinal).</summary>
    public List<(int Atlas, int Osm)> ManualMatches { get; } = [];

    /// <summary>Elements the stages may propose: not station-level and not a hidden group sibling. Built after grouping.</summary>
    public GeoGrid CandidateGrid { get; private set; } = null!;

    public GeoGrid AllOsmGrid { get; private set; } = null!;

    public GeoGrid AllAtlasGrid { get; private set; } = null!;

    public RouteModel Routes { get; set; } = RouteModel.Empty;

    public static EngineState Create(MatchingInput input, MatchingOptions options)
    {
        var atlas = AtlasSide.Create(input.Atlas);
        var osm = OsmSide.Create(input.Osm, options.NameAliasMultiplicity);
        var state = new EngineState(atlas, osm, options, input);
        if (atlas.Rows.Length != input.Atlas.Count)
        {
            state.Diagnostics.Add($"duplicate_sloid: {input.Atlas.Count - atlas.Rows.Length} ATLAS rows repeat an earlier sloid and were ignored");
        }

        if (osm.Elements.Length != input.Osm.Count)
        {
            state.Diagnostics.Add($"duplicate_osm_id: {input.Osm.Count - osm.Elements.Length} OSM elements repeat an earlier id and were ignored");
        }

        state.AllOsmGrid = new GeoGrid(osm.Lat, osm.Lon);
        state.AllAtlasGrid = new GeoGrid(atlas.Lat, atlas.Lon);
        if (input.Rulings.Count > 0)
        {
            state.ResolveRulings(input.Rulings);
        }

        return state;
    }

    public bool IsForbidden(int atlas, int osm) => _forbidden.Count > 0 && _forbidden.Contains(PairKey(atlas, osm));

    public void BuildCandidateIndex() =>
        CandidateGrid = new GeoGrid(Osm.Lat, Osm.Lon, j => !Osm.IsStation[j] && !Osm.IsHidden(j));

    public List<int> UnmatchedAtlasEntities()
    {
        var result = new List<int>();
        for (var i = 0; i < Atlas.Rows.Length; i++)
        {
            if (!Atlas.Matched[i] && !Atlas.IsHidden(i))
            {
                result.Add(i);
            }
        }

        return result;
    }

    public bool IsAvailable(int osm) => !Osm.Used[osm] && !Osm.IsHidden(osm) && !Osm.IsStation[osm];

    /// <summary>Results come in load order, which the stages rely on for ties.</summary>
    public void CandidatesWithin(int atlas, double radiusMeters, List<Neighbor> result) =>
        CandidateGrid.Within(Atlas.Lat[atlas], Atlas.Lon[atlas], radiusMeters, result, j => !Osm.Used[j]);

    public double Distance(int atlas, int osm) => Haversine.DistanceMeters(Atlas.Lat[atlas], Atlas.Lon[atlas], Osm.Lat[osm], Osm.Lon[osm]);

    /// <summary>False, and nothing changes, when reviewers forbade the pair: the entity stays free for later stages.</summary>
    public bool Commit(int atlas, int osm, string matchType, double distance, string notes, MatchEvidence evidence)
    {
        if (!AddRecord(atlas, osm, matchType, distance, notes, evidence))
        {
            return false;
        }

        Atlas.Matched[atlas] = true;
        Osm.Used[osm] = true;

        foreach (var sibling in Atlas.Siblings(atlas))
        {
            if (Atlas.Matched[sibling])
            {
                continue;
            }

            // A forbidden sibling stays unmatched: siblings are hidden from the stages, so nothing else will take it.
            var d = Distance(sibling, osm);
            if (AddRecord(sibling, osm, MatchTypeLabels.DuplicatePropagation, d, $"Propagated from representative: {Atlas.Keys[atlas]}",
                new MatchEvidence(MatchTypeLabels.DuplicatePropagation, d, RepresentativeSloid: Atlas.Rows[atlas].Sloid)))
            {
                Atlas.Matched[sibling] = true;
            }
        }

        if (Osm.Units.GroupKind[osm] is not { } kind || kind == StopUnitKinds.GroupTrio)
        {
            return true;
        }

        foreach (var sibling in Osm.Units.Siblings(osm))
        {
            if (Osm.Used[sibling])
            {
                continue;
            }

            var d = Distance(atlas, sibling);
            if (AddRecord(atlas, sibling, MatchTypeLabels.OsmGroupPropagation, d, $"OSM group partner of: {Osm.Ids[osm]}",
                new MatchEvidence(MatchTypeLabels.OsmGroupPropagation, d, RepresentativeOsmId: Osm.Ids[osm])))
            {
                Osm.Used[sibling] = true;
            }
        }

        return true;
    }

    /// <summary>False only for a forbidden pair; a pair recorded before is not recorded again but counts as permitted.</summary>
    private bool AddRecord(int atlas, int osm, string matchType, double distance, string notes, MatchEvidence evidence)
    {
        var key = PairKey(atlas, osm);
        if (_forbidden.Count > 0 && _forbidden.Contains(key))
        {
            return false;
        }

        // No (sloid, OSM id) pair is recorded twice, whatever path leads to it again.
        if (!_pairs.Add(key))
        {
            return true;
        }

        Matches.Add(new AtlasOsmMatch(Atlas.Rows[atlas], Osm.Elements[osm], matchType, distance, notes, evidence));
        MatchIndexes.Add((atlas, osm));
        return true;
    }

    private long PairKey(int atlas, int osm) => ((long)atlas * Osm.Elements.Length) + osm;

    /// <summary>A ruling naming a SLOID or OSM id the inputs no longer hold is reported and ignored (docs/07-matching.md#reviewer-rulings).</summary>
    private void ResolveRulings(ReviewerRulings rulings)
    {
        var sloids = new Dictionary<string, int>(Atlas.Rows.Length, StringComparer.Ordinal);
        for (var i = 0; i < Atlas.Rows.Length; i++)
        {
            sloids[Atlas.Rows[i].Sloid] = i;
        }

        foreach (var pair in Ordered(rulings.ForbiddenPairs))
        {
            if (Resolve(pair, "not_same_stop", sloids) is { } found)
            {
                _forbidden.Add(PairKey(found.Atlas, found.Osm));
            }
        }

        foreach (var pair in Ordered(rulings.ManualMatches))
        {
            if (Resolve(pair, "same_stop", sloids) is { } found)
            {
                ManualMatches.Add(found);
            }
        }
    }

    private (int Atlas, int Osm)? Resolve(RulingPair pair, string kind, Dictionary<string, int> sloids)
    {
        if (!sloids.TryGetValue(pair.Sloid, out var atlas))
        {
            Diagnostics.Add($"ruling_unknown_sloid: {kind} ({pair.Sloid}, {pair.OsmId}) names a SLOID that is not a current ATLAS platform; ignored");
            return null;
        }

        if (!Osm.IndexOfId.TryGetValue(pair.OsmId, out var osm))
        {
            Diagnostics.Add($"ruling_unknown_osm_id: {kind} ({pair.Sloid}, {pair.OsmId}) names an OSM id that is not among the OSM elements; ignored");
            return null;
        }

        return (atlas, osm);
    }

    // The source's order (database rows, file lines) must not change the result.
    private static IEnumerable<RulingPair> Ordered(IReadOnlyList<RulingPair> pairs) =>
        pairs.OrderBy(p => p.Sloid, StringComparer.Ordinal).ThenBy(p => p.OsmId, StringComparer.Ordinal).Distinct();
}

/// <summary>The ATLAS rows with their duplicate groups (docs/07-matching.md#inputs).</summary>
internal sealed class AtlasSide
{
    private static readonly int[] NoSiblings = [];
    private readonly int[] _representative;
    private readonly Dictionary<int, int[]> _siblings;

    private AtlasSide(AtlasPlatform[] rows, int[] representative, Dictionary<int, int[]> siblings, IReadOnlyList<AtlasDuplicateGroup> groups)
    {
        Rows = rows;
        _representative = representative;
        _siblings = siblings;
        DuplicateGroups = groups;
        Keys = [.. rows.Select(r => "atlas:" + r.Sloid)];
        Lat = [.. rows.Select(r => r.Lat)];
        Lon = [.. rows.Select(r => r.Lon)];
        Matched = new bool[rows.Length];
    }

    public AtlasPlatform[] Rows { get; }

    /// <summary><c>atlas:&lt;sloid&gt;</c>, the key problem ids and sort orders use.</summary>
    public string[] Keys { get; }

    public double[] Lat { get; }
    public double[] Lon { get; }
    public bool[] Matched { get; }
    public IReadOnlyList<AtlasDuplicateGroup> DuplicateGroups { get; }

    /// <summary>A duplicate sibling: invisible to every stage, matched only by propagation from its representative.</summary>
    public bool IsHidden(int i) => _representative[i] != i;

    public bool IsInDuplicateGroup(int i) => _representative[i] != i || _siblings.ContainsKey(i);

    public IReadOnlyList<int> Siblings(int representative) => _siblings.GetValueOrDefault(representative, NoSiblings);

    public bool AllowsStationReference(int i) => Rows[i].Number.Length > 0;

    public static AtlasSide Create(IReadOnlyList<AtlasPlatform> input)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var rows = input.Where(r => seen.Add(r.Sloid)).ToArray();
        var index = new Dictionary<AtlasPlatform, int>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < rows.Length; i++)
        {
            index[rows[i]] = i;
        }

        var representative = Enumerable.Range(0, rows.Length).ToArray();
        var siblings = new Dictionary<int, int[]>();
        var groups = AtlasDuplicateGroup.Find(rows);
        foreach (var group in groups)
        {
            var members = group.Members.Select(m => index[m]).ToArray();
            siblings[members[0]] = members[1..];
            foreach (var member in members[1..])
            {
                representative[member] = members[0];
            }
        }

        return new AtlasSide(rows, representative, siblings, groups);
    }
}

internal sealed class OsmSide
{
    private static readonly string[] NameTags = ["name", "uic_name", "gtfs:name"];

    private OsmSide(OsmElement[] elements, bool nameAliasMultiplicity)
    {
        Elements = elements;
        var n = elements.Length;
        Ids = new string[n];
        Lat = new double[n];
        Lon = new double[n];
        UicRef = new string[n];
        LocalRef = new string[n];
        PublicTransport = new string[n];
        IsStation = new bool[n];
        IsWay = new bool[n];
        IsTramStop = new bool[n];
        Used = new bool[n];
        IndexOfId = new Dictionary<string, int>(n, StringComparer.Ordinal);
        for (var j = 0; j < n; j++)
        {
            var e = elements[j];
            Ids[j] = e.Id;
            Lat[j] = e.Lat;
            Lon[j] = e.Lon;
            UicRef[j] = e.UicRef;
            LocalRef[j] = e.LocalRef;
            PublicTransport[j] = e.Tag("public_transport") ?? "";
            IsStation[j] = e.IsStation;
            IsWay[j] = e.Id.StartsWith("way_", StringComparison.Ordinal);
            IsTramStop[j] = e.Tag("railway") == "tram_stop";
            IndexOfId[e.Id] = j;
            if (UicRef[j].Length > 0)
            {
                UicIndex.Add(UicRef[j], j);
            }

            AddNames(j, e, nameAliasMultiplicity);
        }

        Units = new StopUnitTable(n);
    }

    public OsmElement[] Elements { get; }
    public string[] Ids { get; }
    public double[] Lat { get; }
    public double[] Lon { get; }

    public string[] UicRef { get; }

    public string[] LocalRef { get; }

    public string[] PublicTransport { get; }
    public bool[] IsStation { get; }
    public bool[] IsWay { get; }
    public bool[] IsTramStop { get; }
    public bool[] Used { get; }
    public Dictionary<string, int> IndexOfId { get; }

    public OrderedMultimap<int> UicIndex { get; } = new();

    public OrderedMultimap<int> NameIndex { get; } = new();

    public StopUnitTable Units { get; }

    public bool IsHidden(int j) => Units.IsHidden(j);

    public bool IsPlatform(int j) => PublicTransport[j] == "platform";

    public bool IsStopPosition(int j) => PublicTransport[j] == "stop_position";

    public static OsmSide Create(IReadOnlyList<OsmElement> input, bool nameAliasMultiplicity)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return new OsmSide([.. input.Where(e => seen.Add(e.Id))], nameAliasMultiplicity);
    }

    private void AddNames(int j, OsmElement element, bool multiplicity)
    {
        string? first = null;
        string? second = null;
        foreach (var tag in NameTags)
        {
            if (!element.Tags.TryGetValue(tag, out var value))
            {
                continue;
            }

            if (!multiplicity && (value.Length == 0 || value == first || value == second))
            {
                continue;
            }

            NameIndex.Add(value, j);
            (first, second) = first is null ? (value, second) : (first, value);
        }
    }
}
