using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using StopSync.Data.Entities;
using StopSync.Data.Geo;
using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Sources.Atlas;
using StopSync.Jobs.Sources.Osm;

namespace StopSync.Jobs.Publication;

// COPYs into the tables first on the connection's search path, i.e. the staging schema. Row ids of stops_matched are
// assigned here so that problems can point at their rows.
internal static class SnapshotLoader
{
    /// <summary>The map's value for an unmatched ATLAS platform with no OSM element at all within 50 m.</summary>
    public const string NoNearbyCounterpart = "no_nearby_counterpart";

    public static async Task<PublicationCounts> LoadAsync(
        NpgsqlConnection connection, PublicationInput result, Func<long, long, Task> onRows, CancellationToken ct)
    {
        var platforms = result.AtlasPlatforms().ToList();
        var elements = result.OsmElements().ToList();
        var total = platforms.Count + elements.Count
            + result.StopUnits.Count + result.StopUnits.Sum(u => u.Members.Count)
            + result.Matches.Count + result.UnmatchedAtlas.Count + result.UnmatchedOsm.Count + result.Problems.Count;
        long done = 0;
        await onRows(done, total);
        var atlasCount = await CopyAtlasStopsAsync(connection, platforms, result.AtlasDuplicateGroups, ct);
        await onRows(done += atlasCount, total);
        var osmCount = await CopyOsmNodesAsync(connection, elements, ct);
        await onRows(done += osmCount, total);
        await onRows(done += await CopyOsmStopsAsync(connection, result.StopUnits, ct), total);
        var rows = await CopyStopsMatchedAsync(connection, result, ct);
        await onRows(done += rows.Count, total);
        var problemCount = await CopyProblemsAsync(connection, result.Problems, rows, ct);
        await onRows(done + problemCount, total);
        await DatasetPublisher.ExecuteAsync(connection,
            "SELECT setval(pg_get_serial_sequence('stops_matched', 'id'), GREATEST(1, (SELECT max(id) FROM stops_matched)))", ct);
        return new PublicationCounts(atlasCount, osmCount, rows.Count, problemCount);
    }

    private static async Task<int> CopyAtlasStopsAsync(
        NpgsqlConnection connection, List<AtlasPlatform> platforms, IReadOnlyList<AtlasDuplicateGroup> duplicateGroups, CancellationToken ct)
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
                              representative_sloid, duplicate_group_sloids) FROM STDIN (FORMAT BINARY)
            """, ct);
        foreach (var p in platforms)
        {
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
        }

        await writer.CompleteAsync(ct);
        return platforms.Count;
    }

    private static async Task<int> CopyOsmNodesAsync(NpgsqlConnection connection, List<OsmElement> elements, CancellationToken ct)
    {
        await using var writer = await connection.BeginBinaryImportAsync(
            """
            COPY osm_nodes (osm_node_id, element_type, lat, lon, name, uic_name, uic_ref, local_ref, network, operator,
                            public_transport, railway, amenity, aerialway, osm_node_type, tags) FROM STDIN (FORMAT BINARY)
            """, ct);
        foreach (var e in elements)
        {
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

    private static async Task<StopRowIndex> CopyStopsMatchedAsync(NpgsqlConnection connection, PublicationInput result, CancellationToken ct)
    {
        var rows = new StopRowIndex();
        await using var writer = await connection.BeginBinaryImportAsync(
            """
            COPY stops_matched (id, sloid, stop_type, match_type, atlas_lat, atlas_lon, osm_node_id, osm_lat, osm_lon,
                                distance_m, matching_notes, geom) FROM STDIN (FORMAT BINARY)
            """, ct);
        foreach (var m in result.Matches)
        {
            var id = rows.Add(m.Sloid, m.OsmId);
            await WriteRowAsync(writer, id, m.Atlas, StopTypes.Matched, m.MatchType, m.Osm, m.DistanceMeters, m.Notes, ct);
        }

        foreach (var a in result.UnmatchedAtlas)
        {
            var id = rows.Add(a.Sloid, null);
            await WriteRowAsync(writer, id, a.Platform, StopTypes.AtlasUnmatched, a.Isolated ? NoNearbyCounterpart : null, null, null, null, ct);
        }

        foreach (var o in result.UnmatchedOsm)
        {
            var id = rows.Add(null, o.OsmId);
            // A trio middle whose two sides are matched is fine as it is: shown as effectively matched, not as a gap.
            var stopType = o.EffectivelyMatched ? StopTypes.EffectivelyMatched : StopTypes.OsmUnmatched;
            await WriteRowAsync(writer, id, null, stopType, null, o.Element, null, null, ct);
        }

        await writer.CompleteAsync(ct);
        return rows;
    }

    private static async Task WriteRowAsync(
        NpgsqlBinaryImporter writer, long id, AtlasPlatform? atlas, string stopType, string? matchType, OsmElement? osm,
        double? distance, string? notes, CancellationToken ct)
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
        // The map shows the ATLAS position when there is one, else the OSM position.
        var point = atlas is not null ? Srid.Point(atlas.Lat, atlas.Lon) : Srid.Point(osm!.Lat, osm.Lon);
        await writer.WriteAsync(point, NpgsqlDbType.Geometry, ct);
    }

    private static async Task<int> CopyProblemsAsync(NpgsqlConnection connection, IReadOnlyList<DetectedProblem> problems, StopRowIndex rows, CancellationToken ct)
    {
        var count = 0;
        await using var writer = await connection.BeginBinaryImportAsync("COPY problems (stop_id, problem_type, priority) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var problem in problems)
        {
            var stopId = rows.Find(problem.Sloid, problem.OsmId)
                ?? throw new InvalidOperationException($"Problem {problem.Id} ({problem.Type}) names no published stop row.");
            await writer.StartRowAsync(ct);
            await writer.WriteAsync(stopId, ct);
            await writer.WriteAsync(problem.Type, ct);
            await writer.WriteAsync(problem.Priority, ct);
            count++;
        }

        await writer.CompleteAsync(ct);
        return count;
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

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
