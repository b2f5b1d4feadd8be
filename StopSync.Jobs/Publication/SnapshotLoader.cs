using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using StopSync.Data.Entities;
using StopSync.Data.Geo;
using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Sources.Atlas;
using StopSync.Jobs.Sources.Geography;
using StopSync.Jobs.Sources.Osm;

namespace StopSync.Jobs.Publication;

// COPYs into the tables first on the connection's search path, i.e. the staging schema. Row ids of stops_matched are
// assigned here so that problems can point at their rows.
internal static class SnapshotLoader
{
    /// <summary>The map's value for an unmatched ATLAS platform with no OSM element at all within 50 m.</summary>
    public const string NoNearbyCounterpart = "no_nearby_counterpart";

    public static async Task<PublicationCounts> LoadAsync(
        NpgsqlConnection connection, PublicationInput result, SwissCantons cantons, Func<long, long, Task> onRows, CancellationToken ct)
    {
        var platforms = result.AtlasPlatforms().ToList();
        var elements = result.OsmElements().ToList();
        var total = platforms.Count + elements.Count
            + result.StopUnits.Count + result.StopUnits.Sum(u => u.Members.Count)
            + result.Matches.Count + result.UnmatchedAtlas.Count + result.UnmatchedOsm.Count + result.Problems.Count
            + RouteSnapshotLoader.RowCount(result.Routes, result.GtfsIdentity);
        // Fails on a problem that names no row before anything is written.
        var layout = StopRowLayout.Plan(result);
        long done = 0;
        await onRows(done, total);
        // Cantons are derived here, not stored in the bundle: a held bundle published later gets the same answer from
        // the same boundaries, and bundles written before cantons existed need no upgrade.
        var places = Places.Locate(platforms, elements, cantons);
        var atlasCount = await CopyAtlasStopsAsync(connection, platforms, places, result.AtlasDuplicateGroups, ct);
        await onRows(done += atlasCount, total);
        var osmCount = await CopyOsmNodesAsync(connection, elements, places, ct);
        await onRows(done += osmCount, total);
        await onRows(done += await CopyOsmStopsAsync(connection, result.StopUnits, ct), total);
        var rowCount = await CopyStopsMatchedAsync(connection, result, layout, places, ct);
        await onRows(done += rowCount, total);
        var problemCount = await CopyProblemsAsync(connection, result.Problems, layout, ct);
        await onRows(done += problemCount, total);
        var routes = await RouteSnapshotLoader.LoadAsync(connection, result.Routes, result.GtfsIdentity, rows => onRows(done += rows, total), ct);
        await DatasetPublisher.ExecuteAsync(connection,
            "SELECT setval(pg_get_serial_sequence('stops_matched', 'id'), GREATEST(1, (SELECT max(id) FROM stops_matched)))", ct);
        return new PublicationCounts(atlasCount, osmCount, rowCount, problemCount) { Routes = routes };
    }

    private static async Task<int> CopyAtlasStopsAsync(
        NpgsqlConnection connection, List<AtlasPlatform> platforms, Places places, IReadOnlyList<AtlasDuplicateGroup> duplicateGroups, CancellationToken ct)
    {
        var groups = new Dictionary<string, AtlasDuplicateGroup>(StringComparer.Ordinal);
        foreach (var group in duplicateGroups)
        {
            foreach (var member in group.Members)
            {
                groups[member.Sloid] = group;
            }
        }

        await using var writer = await connection.BeginBinaryImportAsync(
            """
            COPY atlas_stops (sloid, uic_ref, atlas_designation, atlas_designation_official, atlas_business_org_abbr, lat, lon,
                              representative_sloid, duplicate_group_sloids, atlas_business_org_name, atlas_business_org_sboid,
                              atlas_designation_operational, parent_service_point_sloid, element_type, valid_from, valid_to,
                              compass_direction, lv95_east, lv95_north, edition_date, canton) FROM STDIN (FORMAT BINARY)
            """, ct);
        for (var i = 0; i < platforms.Count; i++)
        {
            var p = platforms[i];
            await writer.StartRowAsync(ct);
            await writer.WriteAsync(p.Sloid, ct);
            await writer.WriteAsync(NullIfEmpty(p.Number), NpgsqlDbType.Text, ct);
            await writer.WriteAsync(NullIfEmpty(p.Designation), NpgsqlDbType.Text, ct);
            await writer.WriteAsync(NullIfEmpty(p.DesignationOfficial), NpgsqlDbType.Text, ct);
            await writer.WriteAsync(NullIfEmpty(p.OperatorAbbreviation), NpgsqlDbType.Text, ct);
            await writer.WriteAsync(p.Lat, ct);
            await writer.WriteAsync(p.Lon, ct);
            var group = groups.GetValueOrDefault(p.Sloid);
            await writer.WriteAsync(group?.Representative.Sloid, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(group is null ? null : JsonSerializer.Serialize(group.Members.Select(m => m.Sloid)), NpgsqlDbType.Jsonb, ct);
            await writer.WriteAsync(NullIfEmpty(p.OperatorName), NpgsqlDbType.Text, ct);
            await writer.WriteAsync(NullIfEmpty(p.OperatorId), NpgsqlDbType.Text, ct);
            var d = p.Details;
            await writer.WriteAsync(d?.DesignationOperational, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(d?.ParentServicePointSloid, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(d?.ElementType, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(d?.ValidFrom, NpgsqlDbType.Date, ct);
            await writer.WriteAsync(d?.ValidTo, NpgsqlDbType.Date, ct);
            await writer.WriteAsync(d?.CompassDirection, NpgsqlDbType.Double, ct);
            await writer.WriteAsync(d?.Lv95East, NpgsqlDbType.Double, ct);
            await writer.WriteAsync(d?.Lv95North, NpgsqlDbType.Double, ct);
            // timestamp (without time zone) refuses UTC DateTimes; the value is wall-clock time as ATLAS published it.
            await writer.WriteAsync(d?.EditionDate is { } edited ? DateTime.SpecifyKind(edited, DateTimeKind.Unspecified) : (DateTime?)null, NpgsqlDbType.Timestamp, ct);
            await writer.WriteAsync(places.AtlasCantons[i], NpgsqlDbType.Varchar, ct);
        }

        await writer.CompleteAsync(ct);
        return platforms.Count;
    }

    private static async Task<int> CopyOsmNodesAsync(NpgsqlConnection connection, List<OsmElement> elements, Places places, CancellationToken ct)
    {
        await using var writer = await connection.BeginBinaryImportAsync(
            """
            COPY osm_nodes (osm_node_id, element_type, lat, lon, name, uic_name, uic_ref, local_ref, network, operator,
                            public_transport, railway, amenity, aerialway, osm_node_type, tags, version, timestamp, osm_user, canton)
                 FROM STDIN (FORMAT BINARY)
            """, ct);
        for (var i = 0; i < elements.Count; i++)
        {
            var e = elements[i];
            await writer.StartRowAsync(ct);
            await writer.WriteAsync(e.Id, ct);
            await writer.WriteAsync(e.ElementType, ct);
            await writer.WriteAsync(e.Lat, ct);
            await writer.WriteAsync(e.Lon, ct);
            await writer.WriteAsync(e.Tag("name"), NpgsqlDbType.Text, ct);
            await writer.WriteAsync(e.Tag("uic_name"), NpgsqlDbType.Text, ct);
            await writer.WriteAsync(e.Tag("uic_ref"), NpgsqlDbType.Text, ct);
            await writer.WriteAsync(NullIfEmpty(e.LocalRef), NpgsqlDbType.Text, ct);
            await writer.WriteAsync(e.Tag("network"), NpgsqlDbType.Text, ct);
            await writer.WriteAsync(e.Operator, NpgsqlDbType.Text, ct);
            foreach (var key in (string[])["public_transport", "railway", "amenity", "aerialway"])
            {
                await writer.WriteAsync(e.Tag(key), NpgsqlDbType.Text, ct);
            }

            await writer.WriteAsync(e.NodeType, ct);
            await writer.WriteAsync(JsonSerializer.Serialize(e.Tags), NpgsqlDbType.Jsonb, ct);
            await writer.WriteAsync(e.Version, NpgsqlDbType.Integer, ct);
            // timestamptz takes UTC only; a bundle from elsewhere may carry another offset.
            await writer.WriteAsync(e.Timestamp?.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct);
            await writer.WriteAsync(e.User, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(places.OsmCantons[i], NpgsqlDbType.Varchar, ct);
        }

        await writer.CompleteAsync(ct);
        return elements.Count;
    }

    private static async Task<int> CopyOsmStopsAsync(NpgsqlConnection connection, IReadOnlyList<StopUnit> units, CancellationToken ct)
    {
        await using (var stops = await connection.BeginBinaryImportAsync(
            "COPY osm_stops (id, stop_kind, group_kind, representative_node_id) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var k = 0; k < units.Count; k++)
            {
                await stops.StartRowAsync(ct);
                await stops.WriteAsync(k + 1L, ct);
                await stops.WriteAsync(units[k].Kind, ct);
                await stops.WriteAsync(units[k].GroupKind, NpgsqlDbType.Text, ct);
                await stops.WriteAsync(units[k].UnitId, ct);
            }

            await stops.CompleteAsync(ct);
        }

        var members = 0;
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY osm_stop_members (osm_stop_id, node_id, member_role) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var k = 0; k < units.Count; k++)
            {
                foreach (var member in units[k].Members)
                {
                    await writer.StartRowAsync(ct);
                    await writer.WriteAsync(k + 1L, ct);
                    await writer.WriteAsync(member.OsmId, ct);
                    await writer.WriteAsync(member.Role, ct);
                    members++;
                }
            }

            await writer.CompleteAsync(ct);
        }

        return units.Count + members;
    }

    private static async Task<int> CopyStopsMatchedAsync(
        NpgsqlConnection connection, PublicationInput result, StopRowLayout layout, Places places, CancellationToken ct)
    {
        var filters = new RowFilters(result, layout, places);
        await using var writer = await connection.BeginBinaryImportAsync(
            """
            COPY stops_matched (id, sloid, stop_type, match_type, atlas_lat, atlas_lon, osm_node_id, osm_lat, osm_lon,
                                distance_m, matching_notes, geom, canton, atlas_operator, osm_operator, osm_node_type,
                                osm_group_kind, has_atlas_duplicate, problem_priority) FROM STDIN (FORMAT BINARY)
            """, ct);
        var rows = new List<PendingRow>(layout.Count);
        var k = 0;
        foreach (var m in result.Matches)
        {
            rows.Add(new PendingRow(layout.RowIds[k++], m.Atlas, StopTypes.Matched, m.MatchType, m.Osm, m.DistanceMeters, m.Notes));
        }

        foreach (var a in result.UnmatchedAtlas)
        {
            rows.Add(new PendingRow(layout.RowIds[k++], a.Platform, StopTypes.AtlasUnmatched, a.Isolated ? NoNearbyCounterpart : null, null, null, null));
        }

        foreach (var o in result.UnmatchedOsm)
        {
            // A trio middle whose two sides are matched is fine as it is: shown as effectively matched, not as a gap.
            var stopType = o.EffectivelyMatched ? StopTypes.EffectivelyMatched : StopTypes.OsmUnmatched;
            rows.Add(new PendingRow(layout.RowIds[k++], null, stopType, null, o.Element, null, null));
        }

        // Written in Z-order of their map point, so that the rows of one viewport share few table pages: the map's
        // viewport query then reads a handful of pages instead of one per row (docs/05-api.md, "Performance").
        rows.Sort((x, y) => x.SpatialKey.CompareTo(y.SpatialKey));
        foreach (var r in rows)
        {
            await WriteRowAsync(writer, r.Id, r.Atlas, r.StopType, r.MatchType, r.Osm, r.Distance, r.Notes, filters, ct);
        }

        await writer.CompleteAsync(ct);
        return layout.Count;
    }

    private static async Task WriteRowAsync(
        NpgsqlBinaryImporter writer, long id, AtlasPlatform? atlas, string stopType, string? matchType, OsmElement? osm,
        double? distance, string? notes, RowFilters filters, CancellationToken ct)
    {
        await writer.StartRowAsync(ct);
        await writer.WriteAsync(id, ct);
        await writer.WriteAsync(atlas?.Sloid, NpgsqlDbType.Text, ct);
        await writer.WriteAsync(stopType, ct);
        await writer.WriteAsync(matchType, NpgsqlDbType.Text, ct);
        await writer.WriteAsync(atlas?.Lat, NpgsqlDbType.Double, ct);
        await writer.WriteAsync(atlas?.Lon, NpgsqlDbType.Double, ct);
        await writer.WriteAsync(osm?.Id, NpgsqlDbType.Text, ct);
        await writer.WriteAsync(osm?.Lat, NpgsqlDbType.Double, ct);
        await writer.WriteAsync(osm?.Lon, NpgsqlDbType.Double, ct);
        await writer.WriteAsync(distance, NpgsqlDbType.Double, ct);
        await writer.WriteAsync(notes, NpgsqlDbType.Text, ct);
        // The map shows the ATLAS position when there is one, else the OSM position; the row's canton is that point's.
        var point = atlas is not null ? Srid.Point(atlas.Lat, atlas.Lon) : Srid.Point(osm!.Lat, osm.Lon);
        await writer.WriteAsync(point, NpgsqlDbType.Geometry, ct);
        await writer.WriteAsync(atlas is not null ? filters.Places.AtlasCanton(atlas.Sloid) : filters.Places.OsmCanton(osm!.Id), NpgsqlDbType.Varchar, ct);
        await writer.WriteAsync(atlas is null ? null : NullIfEmpty(atlas.OperatorAbbreviation), NpgsqlDbType.Text, ct);
        await writer.WriteAsync(osm?.Operator, NpgsqlDbType.Text, ct);
        await writer.WriteAsync(osm?.NodeType, NpgsqlDbType.Text, ct);
        await writer.WriteAsync(osm is null ? null : filters.GroupKinds.GetValueOrDefault(osm.Id), NpgsqlDbType.Text, ct);
        await writer.WriteAsync(atlas is not null && filters.DuplicateSloids.Contains(atlas.Sloid), ct);
        await writer.WriteAsync(filters.Priorities[id], NpgsqlDbType.Smallint, ct);
    }

    private static async Task<int> CopyProblemsAsync(NpgsqlConnection connection, IReadOnlyList<DetectedProblem> problems, StopRowLayout layout, CancellationToken ct)
    {
        // problem_key and evidence are what reviewers' decisions hang on (docs/09-review.md): the key outlives the swap,
        // the row id does not.
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY problems (stop_id, problem_type, priority, problem_key, evidence) FROM STDIN (FORMAT BINARY)", ct);
        for (var i = 0; i < problems.Count; i++)
        {
            await writer.StartRowAsync(ct);
            await writer.WriteAsync(layout.ProblemRowIds[i], ct);
            await writer.WriteAsync(problems[i].Type, ct);
            await writer.WriteAsync(problems[i].Priority, ct);
            await writer.WriteAsync(problems[i].Id, NpgsqlDbType.Varchar, ct);
            await writer.WriteAsync(problems[i].Evidence?.ToJson(), NpgsqlDbType.Jsonb, ct);
        }

        await writer.CompleteAsync(ct);
        return problems.Count;
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private sealed record PendingRow(long Id, AtlasPlatform? Atlas, string StopType, string? MatchType, OsmElement? Osm, double? Distance, string? Notes)
    {
        public ulong SpatialKey { get; } = MortonKey(Atlas?.Lat ?? Osm!.Lat, Atlas?.Lon ?? Osm!.Lon);

        // Interleaves the bits of the point's 32-bit quantised latitude and longitude (world-wide, about 1 cm steps).
        private static ulong MortonKey(double lat, double lon)
        {
            var y = (uint)Math.Clamp((lat + 90) / 180 * uint.MaxValue, 0, uint.MaxValue);
            var x = (uint)Math.Clamp((lon + 180) / 360 * uint.MaxValue, 0, uint.MaxValue);
            return Spread(x) | (Spread(y) << 1);
        }

        private static ulong Spread(uint value)
        {
            ulong v = value;
            v = (v | (v << 16)) & 0x0000FFFF0000FFFFUL;
            v = (v | (v << 8)) & 0x00FF00FF00FF00FFUL;
            v = (v | (v << 4)) & 0x0F0F0F0F0F0F0F0FUL;
            v = (v | (v << 2)) & 0x3333333333333333UL;
            v = (v | (v << 1)) & 0x5555555555555555UL;
            return v;
        }
    }

    /// <summary>
    /// The id of every stops_matched row (matches, unmatched ATLAS, unmatched OSM, in that order) and the row each
    /// problem lands on, fixed before any row is written so that a row can carry its problems' top priority.
    /// </summary>
    private sealed class StopRowLayout
    {
        private StopRowLayout(long[] rowIds, long[] problemRowIds, int count)
        {
            RowIds = rowIds;
            ProblemRowIds = problemRowIds;
            Count = count;
        }

        public long[] RowIds { get; }
        public long[] ProblemRowIds { get; }
        public int Count { get; }

        public static StopRowLayout Plan(PublicationInput result)
        {
            var index = new StopRowIndex();
            var rowIds = new long[result.Matches.Count + result.UnmatchedAtlas.Count + result.UnmatchedOsm.Count];
            var k = 0;
            foreach (var m in result.Matches)
            {
                rowIds[k++] = index.Add(m.Sloid, m.OsmId);
            }

            foreach (var a in result.UnmatchedAtlas)
            {
                rowIds[k++] = index.Add(a.Sloid, null);
            }

            foreach (var o in result.UnmatchedOsm)
            {
                rowIds[k++] = index.Add(null, o.OsmId);
            }

            var problemRowIds = new long[result.Problems.Count];
            for (var i = 0; i < result.Problems.Count; i++)
            {
                var problem = result.Problems[i];
                problemRowIds[i] = index.Find(problem.Sloid, problem.OsmId)
                    ?? throw new InvalidOperationException($"Problem {problem.Id} ({problem.Type}) names no published stop row.");
            }

            return new StopRowLayout(rowIds, problemRowIds, index.Count);
        }
    }

    /// <summary>The values copied onto each stops_matched row for the map's filters (docs/04-pipeline.md#publication).</summary>
    private sealed class RowFilters
    {
        public RowFilters(PublicationInput result, StopRowLayout layout, Places places)
        {
            Places = places;
            foreach (var unit in result.StopUnits.Where(u => u.GroupKind is not null))
            {
                foreach (var member in unit.Members)
                {
                    GroupKinds[member.OsmId] = unit.GroupKind!;
                }
            }

            DuplicateSloids = result.AtlasDuplicateGroups.SelectMany(g => g.Members).Select(m => m.Sloid).ToHashSet(StringComparer.Ordinal);
            // Indexed by row id (ids start at 1); 1 is the most urgent priority.
            Priorities = new short?[layout.Count + 2];
            for (var i = 0; i < result.Problems.Count; i++)
            {
                var row = layout.ProblemRowIds[i];
                var priority = (short)result.Problems[i].Priority;
                if (Priorities[row] is not { } current || priority < current)
                {
                    Priorities[row] = priority;
                }
            }
        }

        public Places Places { get; }
        public Dictionary<string, string> GroupKinds { get; } = new(StringComparer.Ordinal);
        public HashSet<string> DuplicateSloids { get; }
        public short?[] Priorities { get; }
    }

    /// <summary>The canton of every published point, aligned with the lists copied into atlas_stops and osm_nodes.</summary>
    private sealed class Places
    {
        private readonly Dictionary<string, string?> _atlas;
        private readonly Dictionary<string, string?> _osm;

        private Places(string?[] atlasCantons, string?[] osmCantons, List<AtlasPlatform> platforms, List<OsmElement> elements)
        {
            AtlasCantons = atlasCantons;
            OsmCantons = osmCantons;
            _atlas = new Dictionary<string, string?>(platforms.Count, StringComparer.Ordinal);
            for (var i = 0; i < platforms.Count; i++)
            {
                _atlas[platforms[i].Sloid] = atlasCantons[i];
            }

            _osm = new Dictionary<string, string?>(elements.Count, StringComparer.Ordinal);
            for (var i = 0; i < elements.Count; i++)
            {
                _osm[elements[i].Id] = osmCantons[i];
            }
        }

        public string?[] AtlasCantons { get; }
        public string?[] OsmCantons { get; }

        public string? AtlasCanton(string sloid) => _atlas.GetValueOrDefault(sloid);

        public string? OsmCanton(string osmId) => _osm.GetValueOrDefault(osmId);

        public static Places Locate(List<AtlasPlatform> platforms, List<OsmElement> elements, SwissCantons cantons)
        {
            var atlas = new string?[platforms.Count];
            var osm = new string?[elements.Count];
            Parallel.For(0, platforms.Count, i => atlas[i] = cantons.CantonOf(platforms[i].Lat, platforms[i].Lon));
            Parallel.For(0, elements.Count, i => osm[i] = cantons.CantonOf(elements[i].Lat, elements[i].Lon));
            return new Places(atlas, osm, platforms, elements);
        }
    }

    // A problem of one side alone lands on that side's row.
    private sealed class StopRowIndex
    {
        private readonly Dictionary<(string?, string?), long> _byPair = [];
        private readonly Dictionary<string, long> _bySloid = new(StringComparer.Ordinal);
        private readonly Dictionary<string, long> _byOsm = new(StringComparer.Ordinal);

        public int Count => _byPair.Count;

        public long Add(string? sloid, string? osmId)
        {
            var id = _byPair.Count + 1L;
            _byPair[(sloid, osmId)] = id;
            if (sloid is not null)
            {
                _bySloid.TryAdd(sloid, id);
            }

            if (osmId is not null)
            {
                _byOsm.TryAdd(osmId, id);
            }

            return id;
        }

        public long? Find(string? sloid, string? osmId) =>
            _byPair.TryGetValue((sloid, osmId), out var exact) ? exact
            : sloid is not null && _bySloid.TryGetValue(sloid, out var atlas) ? atlas
            : osmId is not null && _byOsm.TryGetValue(osmId, out var osm) ? osm
            : null;
    }
}
