using System.Globalization;
using StopSync.Data.History;
using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Publication;
using StopSync.Jobs.Sources.Atlas;
using StopSync.Jobs.Sources.Osm;

namespace StopSync.Jobs.History.Changes;

/// <summary>
/// What changed between two results, by stable keys, and which side caused each change (docs/10-history.md,
/// "What changed"). Pure: no I/O; one pass over each list with ordinal string dictionaries.
/// </summary>
public static class ChangeDetector
{
    /// <summary>A point that moved less than this did not move: coordinates round-trip through files and projections, and
    /// a few centimetres of jitter are no edit anyone made.</summary>
    public const double CoordinateToleranceMeters = 0.5;

    /// <summary>A match's distance that changed by this much or less is the same match: both points may each drift by
    /// <see cref="CoordinateToleranceMeters"/> without being edited.</summary>
    public const double DistanceToleranceMeters = 2 * CoordinateToleranceMeters;

    private const double MetersPerDegree = 111_195;

    /// <param name="cantonOf">The canton code of a point (thread-safe; called in parallel), or null outside every canton.</param>
    /// <param name="matching">What differs between the two runs besides their inputs (engine version, settings), recorded
    /// on changes caused by the matching; null or empty when nothing is known to differ.</param>
    public static IReadOnlyList<DataChange> Detect(
        PublicationInput previous, PublicationInput current, Func<double, double, string?> cantonOf, IReadOnlyList<SettingDifference>? matching = null)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(cantonOf);
        var before = Snapshot.Of(previous);
        var after = Snapshot.Of(current);
        var changes = new List<DataChange>();
        var atlasChanged = new HashSet<string>(StringComparer.Ordinal);
        var osmChanged = new HashSet<string>(StringComparer.Ordinal);
        var context = new Context(before, after, atlasChanged, osmChanged, matching ?? [], Partners.Of(before, after), new Neighbourhood());

        CompareAtlas(context, changes);
        CompareOsm(context, changes);
        context.Nearby.Index(before, after, atlasChanged, osmChanged);
        CompareMatches(context, changes);
        CompareProblems(context, changes);

        // Cantons last and in parallel: a point-in-polygon test per change is the one costly step when much changed.
        Parallel.For(0, changes.Count, i =>
        {
            var c = changes[i];
            if (c.Lat is { } lat && c.Lon is { } lon)
            {
                c.Canton = cantonOf(lat, lon);
            }
        });
        return changes;
    }

    /// <summary>Counts per change type and cause, as <c>publication_history.change_counts</c> holds them.</summary>
    public static SortedDictionary<string, SortedDictionary<string, int>> Count(IEnumerable<DataChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var counts = new SortedDictionary<string, SortedDictionary<string, int>>(StringComparer.Ordinal);
        foreach (var change in changes)
        {
            if (!counts.TryGetValue(change.ChangeType, out var byCause))
            {
                counts[change.ChangeType] = byCause = new SortedDictionary<string, int>(StringComparer.Ordinal);
            }

            byCause[change.Cause] = byCause.GetValueOrDefault(change.Cause) + 1;
        }

        return counts;
    }

    private static void CompareAtlas(Context x, List<DataChange> changes)
    {
        foreach (var (sloid, now) in x.After.Platforms)
        {
            if (!x.Before.Platforms.TryGetValue(sloid, out var was))
            {
                x.AtlasChanged.Add(sloid);
                var change = x.New(ChangeTypes.AtlasAdded, ChangeCauses.Atlas, sloid, null);
                change.After = AtlasSummary(now).ToJson();
                changes.Add(change);
                continue;
            }

            var (b, a) = AtlasDifferences(was, now);
            if (b.Count > 0)
            {
                x.AtlasChanged.Add(sloid);
                var change = x.New(ChangeTypes.AtlasEdited, ChangeCauses.Atlas, sloid, null);
                change.Before = b.ToJson();
                change.After = a.ToJson();
                changes.Add(change);
            }
        }

        foreach (var (sloid, was) in x.Before.Platforms)
        {
            if (!x.After.Platforms.ContainsKey(sloid))
            {
                x.AtlasChanged.Add(sloid);
                var change = x.New(ChangeTypes.AtlasRemoved, ChangeCauses.Atlas, sloid, null);
                change.Before = AtlasSummary(was).ToJson();
                changes.Add(change);
            }
        }
    }

    private static void CompareOsm(Context x, List<DataChange> changes)
    {
        foreach (var (id, now) in x.After.Elements)
        {
            if (!x.Before.Elements.TryGetValue(id, out var was))
            {
                x.OsmChanged.Add(id);
                var change = x.New(ChangeTypes.OsmAdded, ChangeCauses.Osm, null, id);
                change.After = OsmSummary(now).ToJson();
                changes.Add(change);
                continue;
            }

            var (b, a) = OsmDifferences(was, now);
            if (b.Count > 0)
            {
                x.OsmChanged.Add(id);
                var change = x.New(ChangeTypes.OsmEdited, ChangeCauses.Osm, null, id);
                change.Before = b.ToJson();
                change.After = a.ToJson();
                changes.Add(change);
            }
        }

        foreach (var (id, was) in x.Before.Elements)
        {
            if (!x.After.Elements.ContainsKey(id))
            {
                x.OsmChanged.Add(id);
                var change = x.New(ChangeTypes.OsmRemoved, ChangeCauses.Osm, null, id);
                change.Before = OsmSummary(was).ToJson();
                changes.Add(change);
            }
        }
    }

    private static void CompareMatches(Context x, List<DataChange> changes)
    {
        foreach (var (key, now) in x.After.Matches)
        {
            if (!x.Before.Matches.TryGetValue(key, out var was))
            {
                var change = x.New(ChangeTypes.MatchGained, x.Cause([key.Sloid], [key.OsmId]), key.Sloid, key.OsmId);
                change.After = x.WithMatching(change.Cause, MatchFields(now), after: true).ToJsonOrNull();
                change.Before = x.WithMatching(change.Cause, new ChangeJson(), after: false).ToJsonOrNull();
                changes.Add(change);
                continue;
            }

            var b = new ChangeJson();
            var a = new ChangeJson();
            if (!string.Equals(was.MatchType, now.MatchType, StringComparison.Ordinal))
            {
                b.Add("match_type", was.MatchType);
                a.Add("match_type", now.MatchType);
            }

            if (Math.Abs(was.DistanceMeters - now.DistanceMeters) > DistanceToleranceMeters)
            {
                b.Add("distance_m", Round(was.DistanceMeters));
                a.Add("distance_m", Round(now.DistanceMeters));
            }

            if (b.Count > 0)
            {
                var change = x.New(ChangeTypes.MatchChanged, x.Cause([key.Sloid], [key.OsmId]), key.Sloid, key.OsmId);
                change.Before = x.WithMatching(change.Cause, b, after: false).ToJson();
                change.After = x.WithMatching(change.Cause, a, after: true).ToJson();
                changes.Add(change);
            }
        }

        foreach (var (key, was) in x.Before.Matches)
        {
            if (!x.After.Matches.ContainsKey(key))
            {
                var change = x.New(ChangeTypes.MatchLost, x.Cause([key.Sloid], [key.OsmId]), key.Sloid, key.OsmId);
                change.Before = x.WithMatching(change.Cause, MatchFields(was), after: false).ToJsonOrNull();
                change.After = x.WithMatching(change.Cause, new ChangeJson(), after: true).ToJsonOrNull();
                changes.Add(change);
            }
        }
    }

    private static void CompareProblems(Context x, List<DataChange> changes)
    {
        foreach (var (id, now) in x.After.Problems)
        {
            if (!x.Before.Problems.TryGetValue(id, out var was))
            {
                var change = x.Problem(ChangeTypes.ProblemOpened, now, null);
                change.After = x.WithMatching(change.Cause, ProblemFields(now), after: true).ToJsonOrNull();
                change.Before = x.WithMatching(change.Cause, new ChangeJson(), after: false).ToJsonOrNull();
                changes.Add(change);
                continue;
            }

            var b = new ChangeJson();
            var a = new ChangeJson();
            if (was.Priority != now.Priority)
            {
                b.Add("priority", was.Priority);
                a.Add("priority", now.Priority);
            }

            // Evidence is what a reviewer's decision rests on (docs/07-matching.md#evidence): a change there is a change
            // of the problem, even under the same key.
            if (!Equals(was.Evidence, now.Evidence))
            {
                b.Add("evidence", Evidence(was.Evidence));
                a.Add("evidence", Evidence(now.Evidence));
            }

            if (b.Count > 0)
            {
                var change = x.Problem(ChangeTypes.ProblemChanged, now, was);
                change.Before = x.WithMatching(change.Cause, b, after: false).ToJson();
                change.After = x.WithMatching(change.Cause, a, after: true).ToJson();
                changes.Add(change);
            }
        }

        foreach (var (id, was) in x.Before.Problems)
        {
            if (!x.After.Problems.ContainsKey(id))
            {
                var change = x.Problem(ChangeTypes.ProblemClosed, null, was);
                change.Before = x.WithMatching(change.Cause, ProblemFields(was), after: false).ToJsonOrNull();
                change.After = x.WithMatching(change.Cause, new ChangeJson(), after: true).ToJsonOrNull();
                changes.Add(change);
            }
        }
    }

    private static (ChangeJson Before, ChangeJson After) AtlasDifferences(AtlasPlatform was, AtlasPlatform now)
    {
        var b = new ChangeJson();
        var a = new ChangeJson();
        void Text(string name, string? x, string? y)
        {
            if (!string.Equals(x ?? "", y ?? "", StringComparison.Ordinal))
            {
                b.Add(name, x);
                a.Add(name, y);
            }
        }

        void Value<T>(string name, T? x, T? y) where T : struct
        {
            if (!Nullable.Equals(x, y))
            {
                b.Add(name, x);
                a.Add(name, y);
            }
        }

        Text("designation_official", was.DesignationOfficial, now.DesignationOfficial);
        Text("designation", was.Designation, now.Designation);
        Text("designation_operational", was.Details?.DesignationOperational, now.Details?.DesignationOperational);
        Text("uic", was.Number, now.Number);
        Text("operator", was.OperatorAbbreviation, now.OperatorAbbreviation);
        Text("operator_sboid", was.OperatorId, now.OperatorId);
        Text("operator_name", was.OperatorName, now.OperatorName);
        Text("parent_service_point_sloid", was.Details?.ParentServicePointSloid, now.Details?.ParentServicePointSloid);
        Text("element_type", was.Details?.ElementType, now.Details?.ElementType);
        Value("valid_from", was.Details?.ValidFrom, now.Details?.ValidFrom);
        Value("valid_to", was.Details?.ValidTo, now.Details?.ValidTo);
        Value("compass_direction", was.Details?.CompassDirection, now.Details?.CompassDirection);
        Position(b, a, was.Lat, was.Lon, now.Lat, now.Lon);
        return (b, a);
    }

    private static (ChangeJson Before, ChangeJson After) OsmDifferences(OsmElement was, OsmElement now)
    {
        var b = new ChangeJson();
        var a = new ChangeJson();
        if (!string.Equals(was.ElementType, now.ElementType, StringComparison.Ordinal))
        {
            b.Add("element_type", was.ElementType);
            a.Add("element_type", now.ElementType);
        }

        List<KeyValuePair<string, string?>>? tagsBefore = null;
        List<KeyValuePair<string, string?>>? tagsAfter = null;
        foreach (var (key, value) in now.Tags)
        {
            if (!was.Tags.TryGetValue(key, out var old) || !string.Equals(old, value, StringComparison.Ordinal))
            {
                (tagsBefore ??= []).Add(new(key, old));
                (tagsAfter ??= []).Add(new(key, value));
            }
        }

        foreach (var (key, old) in was.Tags)
        {
            if (!now.Tags.ContainsKey(key))
            {
                (tagsBefore ??= []).Add(new(key, old));
                (tagsAfter ??= []).Add(new(key, null));
            }
        }

        if (tagsBefore is not null)
        {
            tagsBefore.Sort((p, q) => string.CompareOrdinal(p.Key, q.Key));
            tagsAfter!.Sort((p, q) => string.CompareOrdinal(p.Key, q.Key));
            b.Add("tags", tagsBefore);
            a.Add("tags", tagsAfter);
        }

        Position(b, a, was.Lat, was.Lon, now.Lat, now.Lon);
        return (b, a);
    }

    private static void Position(ChangeJson b, ChangeJson a, double lat0, double lon0, double lat1, double lon1)
    {
        var moved = Meters(lat0, lon0, lat1, lon1);
        if (moved > CoordinateToleranceMeters)
        {
            b.Add("lat", lat0).Add("lon", lon0);
            a.Add("lat", lat1).Add("lon", lon1).Add("moved_m", Round(moved));
        }
    }

    private static ChangeJson AtlasSummary(AtlasPlatform p) => new ChangeJson()
        .Add("designation_official", p.DesignationOfficial)
        .Add("designation", p.Designation)
        .Add("uic", p.Number)
        .Add("operator", p.OperatorAbbreviation)
        .Add("lat", p.Lat)
        .Add("lon", p.Lon);

    private static ChangeJson OsmSummary(OsmElement e) => new ChangeJson()
        .Add("element_type", e.ElementType)
        .Add("lat", e.Lat)
        .Add("lon", e.Lon)
        .Add("tags", e.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => new KeyValuePair<string, string?>(t.Key, t.Value)).ToList());

    private static ChangeJson MatchFields(AtlasOsmMatch m) => new ChangeJson()
        .Add("match_type", m.MatchType)
        .Add("distance_m", Round(m.DistanceMeters));

    private static ChangeJson ProblemFields(DetectedProblem p) => new ChangeJson()
        .Add("priority", p.Priority)
        .Add("evidence", Evidence(p.Evidence));

    private static RawJson? Evidence(ProblemEvidence? evidence) => evidence is null ? null : new RawJson(evidence.ToJson());

    private static double Round(double meters) => Math.Round(meters, 1);

    /// <summary>Equirectangular: exact to well under a centimetre at the distances a tolerance is judged on.</summary>
    private static double Meters(double lat0, double lon0, double lat1, double lon1)
    {
        var dy = (lat1 - lat0) * MetersPerDegree;
        var dx = (lon1 - lon0) * MetersPerDegree * Math.Cos((lat0 + lat1) * Math.PI / 360);
        return Math.Sqrt((dx * dx) + (dy * dy));
    }

    private sealed class Snapshot
    {
        public Dictionary<string, AtlasPlatform> Platforms { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, OsmElement> Elements { get; } = new(StringComparer.Ordinal);
        public Dictionary<(string Sloid, string OsmId), AtlasOsmMatch> Matches { get; } = [];
        public Dictionary<string, DetectedProblem> Problems { get; } = new(StringComparer.Ordinal);

        public static Snapshot Of(PublicationInput input)
        {
            var s = new Snapshot();
            s.Matches.EnsureCapacity(input.Matches.Count);
            s.Problems.EnsureCapacity(input.Problems.Count);
            s.Platforms.EnsureCapacity(input.Matches.Count + input.UnmatchedAtlas.Count);
            s.Elements.EnsureCapacity(input.Matches.Count + input.UnmatchedOsm.Count);
            foreach (var m in input.Matches)
            {
                s.Platforms.TryAdd(m.Atlas.Sloid, m.Atlas);
                s.Elements.TryAdd(m.Osm.Id, m.Osm);
                s.Matches.TryAdd((m.Atlas.Sloid, m.Osm.Id), m);
            }

            foreach (var u in input.UnmatchedAtlas)
            {
                s.Platforms.TryAdd(u.Platform.Sloid, u.Platform);
            }

            foreach (var u in input.UnmatchedOsm)
            {
                s.Elements.TryAdd(u.Element.Id, u.Element);
            }

            foreach (var p in input.Problems)
            {
                s.Problems.TryAdd(p.Id, p);
            }

            return s;
        }
    }

    private static (double Lat, double Lon) Position(this AtlasPlatform p) => (p.Lat, p.Lon);

    private static (double Lat, double Lon) Position(this OsmElement e) => (e.Lat, e.Lon);

    /// <summary>
    /// Where the changed entities are, before and after, on a grid of cells <see cref="MatchingThresholds.MaxDistanceMeters"/>
    /// wide: a point has every changed entity within that distance in its own cell and the eight around it.
    /// </summary>
    private sealed class Neighbourhood
    {
        private const double Radius = MatchingThresholds.MaxDistanceMeters;
        private const double CellLat = Radius / MetersPerDegree;

        // A degree of longitude shrinks towards the pole: sized at 60° N, a cell is at least 50 m wide wherever the
        // data lies (Switzerland and its border tolerance are far south of that).
        private static readonly double CellLon = Radius / (MetersPerDegree * Math.Cos(60.0 * Math.PI / 180));

        private readonly Dictionary<(int, int), List<(double Lat, double Lon)>> _atlas = [];
        private readonly Dictionary<(int, int), List<(double Lat, double Lon)>> _osm = [];

        public void Index(Snapshot before, Snapshot after, HashSet<string> atlasChanged, HashSet<string> osmChanged)
        {
            foreach (var sloid in atlasChanged)
            {
                Add(_atlas, before.Platforms.GetValueOrDefault(sloid)?.Position());
                Add(_atlas, after.Platforms.GetValueOrDefault(sloid)?.Position());
            }

            foreach (var id in osmChanged)
            {
                Add(_osm, before.Elements.GetValueOrDefault(id)?.Position());
                Add(_osm, after.Elements.GetValueOrDefault(id)?.Position());
            }
        }

        public bool AtlasNear(double lat, double lon) => Any(_atlas, lat, lon);

        public bool OsmNear(double lat, double lon) => Any(_osm, lat, lon);

        private static (int, int) Cell(double lat, double lon) => ((int)Math.Floor(lat / CellLat), (int)Math.Floor(lon / CellLon));

        private static void Add(Dictionary<(int, int), List<(double Lat, double Lon)>> grid, (double Lat, double Lon)? point)
        {
            if (point is not { } p)
            {
                return;
            }

            var cell = Cell(p.Lat, p.Lon);
            if (!grid.TryGetValue(cell, out var list))
            {
                grid[cell] = list = [];
            }

            list.Add(p);
        }

        private static bool Any(Dictionary<(int, int), List<(double Lat, double Lon)>> grid, double lat, double lon)
        {
            if (grid.Count == 0)
            {
                return false;
            }

            var (row, column) = Cell(lat, lon);
            for (var r = row - 1; r <= row + 1; r++)
            {
                for (var c = column - 1; c <= column + 1; c++)
                {
                    if (grid.TryGetValue((r, c), out var points) && points.Exists(p => Meters(lat, lon, p.Lat, p.Lon) <= Radius))
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }

    /// <summary>Who each SLOID and OSM id was matched with, in either run.</summary>
    private sealed class Partners
    {
        private readonly Dictionary<string, List<string>> _ofSloid = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<string>> _ofOsm = new(StringComparer.Ordinal);

        public static Partners Of(Snapshot before, Snapshot after)
        {
            var partners = new Partners();
            foreach (var (sloid, osmId) in before.Matches.Keys)
            {
                partners.Add(sloid, osmId);
            }

            foreach (var (sloid, osmId) in after.Matches.Keys)
            {
                partners.Add(sloid, osmId);
            }

            return partners;
        }

        private static readonly List<string> None = [];

        public List<string> OfSloid(string sloid) => _ofSloid.TryGetValue(sloid, out var list) ? list : None;

        public List<string> OfOsm(string osmId) => _ofOsm.TryGetValue(osmId, out var list) ? list : None;

        private void Add(string sloid, string osmId)
        {
            Append(_ofSloid, sloid, osmId);
            Append(_ofOsm, osmId, sloid);
        }

        private static void Append(Dictionary<string, List<string>> map, string key, string value)
        {
            if (!map.TryGetValue(key, out var list))
            {
                map[key] = list = new List<string>(1);
            }

            if (!list.Contains(value))
            {
                list.Add(value);
            }
        }
    }

    private sealed record Context(
        Snapshot Before, Snapshot After, HashSet<string> AtlasChanged, HashSet<string> OsmChanged, IReadOnlyList<SettingDifference> Matching,
        Partners Partners, Neighbourhood Nearby)
    {
        /// <summary>
        /// The sides whose rows changed among those named and their match partners in either run; neither means the
        /// matching itself decided otherwise. A partner counts because a change travels one step along the matches: an
        /// OSM element freed by a removed ATLAS row is matched to its neighbour, and that new pair is ATLAS's doing.
        /// </summary>
        public string Cause(ReadOnlySpan<string?> sloids, ReadOnlySpan<string?> osmIds)
        {
            var atlas = false;
            var osm = false;
            foreach (var sloid in sloids)
            {
                if (sloid is null)
                {
                    continue;
                }

                atlas |= AtlasChanged.Contains(sloid);
                foreach (var partner in Partners.OfSloid(sloid))
                {
                    osm |= OsmChanged.Contains(partner);
                }
            }

            foreach (var id in osmIds)
            {
                if (id is null)
                {
                    continue;
                }

                osm |= OsmChanged.Contains(id);
                foreach (var partner in Partners.OfOsm(id))
                {
                    atlas |= AtlasChanged.Contains(partner);
                }
            }

            if (!atlas && !osm)
            {
                // The engine weighs neighbours too (the nearest, the second nearest, nothing within 50 m): a row edited
                // next to these entities changes their matching as surely as an edit of their own.
                foreach (var sloid in sloids)
                {
                    Near(sloid is null ? null : Before.Platforms.GetValueOrDefault(sloid)?.Position(), ref atlas, ref osm);
                    Near(sloid is null ? null : After.Platforms.GetValueOrDefault(sloid)?.Position(), ref atlas, ref osm);
                }

                foreach (var id in osmIds)
                {
                    Near(id is null ? null : Before.Elements.GetValueOrDefault(id)?.Position(), ref atlas, ref osm);
                    Near(id is null ? null : After.Elements.GetValueOrDefault(id)?.Position(), ref atlas, ref osm);
                }
            }

            return (atlas, osm) switch
            {
                (true, true) => ChangeCauses.Both,
                (true, false) => ChangeCauses.Atlas,
                (false, true) => ChangeCauses.Osm,
                _ => ChangeCauses.Matching,
            };
        }

        private void Near((double Lat, double Lon)? point, ref bool atlas, ref bool osm)
        {
            if (point is { } p)
            {
                atlas |= Nearby.AtlasNear(p.Lat, p.Lon);
                osm |= Nearby.OsmNear(p.Lat, p.Lon);
            }
        }

        /// <summary>On a change the matching caused: what differs between the runs besides their inputs.</summary>
        public ChangeJson WithMatching(string cause, ChangeJson json, bool after)
        {
            if (cause == ChangeCauses.Matching)
            {
                foreach (var setting in Matching)
                {
                    json.Add(setting.Name, after ? setting.After : setting.Before);
                }
            }

            return json;
        }

        public DataChange Problem(string type, DetectedProblem? now, DetectedProblem? was)
        {
            var p = (now ?? was)!;
            var cause = Cause([now?.Sloid, was?.Sloid], [now?.OsmId, was?.OsmId]);
            var change = New(type, cause, p.Sloid ?? was?.Sloid, p.OsmId ?? was?.OsmId);
            change.ProblemType = p.Type;
            change.ProblemKey = p.Id;
            return change;
        }

        /// <summary>A change placed and labelled by its ATLAS platform if it has one, else by its OSM element, the
        /// current run's version first; the OSM meta and the ATLAS edit date come with the side that changed.</summary>
        public DataChange New(string type, string cause, string? sloid, string? osmId)
        {
            var platform = sloid is null ? null : After.Platforms.GetValueOrDefault(sloid) ?? Before.Platforms.GetValueOrDefault(sloid);
            var element = osmId is null ? null : After.Elements.GetValueOrDefault(osmId) ?? Before.Elements.GetValueOrDefault(osmId);
            var change = new DataChange
            {
                ChangeType = type,
                Cause = cause,
                Sloid = sloid,
                OsmNodeId = osmId,
                AtlasOperator = string.IsNullOrEmpty(platform?.OperatorAbbreviation) ? null : platform.OperatorAbbreviation,
                Lat = platform?.Lat ?? element?.Lat,
                Lon = platform?.Lon ?? element?.Lon,
                Name = !string.IsNullOrEmpty(platform?.DesignationOfficial) ? platform.DesignationOfficial : element?.Tag("name"),
            };
            if (cause is ChangeCauses.Osm or ChangeCauses.Both && osmId is not null && After.Elements.TryGetValue(osmId, out var current))
            {
                change.OsmVersion = current.Version;
                change.OsmTimestamp = current.Timestamp;
                change.OsmUser = current.User;
            }

            if (cause is ChangeCauses.Atlas or ChangeCauses.Both && sloid is not null && After.Platforms.TryGetValue(sloid, out var row))
            {
                change.AtlasEditionDate = row.Details?.EditionDate;
            }

            return change;
        }
    }
}

/// <summary>One thing that differs between two runs besides their inputs (the engine version, a setting), recorded on
/// the changes the matching caused.</summary>
public sealed record SettingDifference(string Name, string? Before, string? After)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name}: {Before ?? "(none)"} → {After ?? "(none)"}");
}
