using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using StopSync.Data.Entities;
using StopSync.Data.Geo;
using StopSync.Jobs.Pipeline.Matching;
using StopSync.Jobs.Pipeline.OsmImport;
using StopSync.Jobs.Pipeline.Problems;

namespace StopSync.Jobs.Pipeline.Publication;

/// <summary>
/// Replaces the published dataset with a new match result in one transaction (binary COPY), so readers see either
/// the old dataset or the new one, and a failure leaves the old one in place.
/// </summary>
public sealed class DatasetPublisher(NpgsqlDataSource dataSource)
{
    public async Task<PublicationCounts> PublishAsync(Guid runId, MatchResult result, object manifest, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);

        await ExecuteAsync(connection, "TRUNCATE problems, stops_matched, atlas_stops, osm_nodes", ct);
        var atlasCount = await CopyAtlasStopsAsync(connection, result, ct);
        var osmCount = await CopyOsmNodesAsync(connection, result, ct);
        var (stopRows, problems) = await CopyStopsMatchedAsync(connection, result, ct);
        var problemCount = await CopyProblemsAsync(connection, problems, ct);
        await ExecuteAsync(connection, "SELECT setval(pg_get_serial_sequence('stops_matched', 'id'), GREATEST(1, (SELECT max(id) FROM stops_matched)))", ct);

        await using (var upsert = new NpgsqlCommand(
            """
            INSERT INTO dataset_publication (id, run_id, published_at, manifest) VALUES (1, @run, now(), @manifest)
            ON CONFLICT (id) DO UPDATE SET run_id = EXCLUDED.run_id, published_at = EXCLUDED.published_at, manifest = EXCLUDED.manifest
            """, connection))
        {
            upsert.Parameters.AddWithValue("run", runId);
            upsert.Parameters.Add(new NpgsqlParameter("manifest", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(manifest) });
            await upsert.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
        return new PublicationCounts(atlasCount, osmCount, stopRows, problemCount);
    }

    private static async Task<int> CopyAtlasStopsAsync(NpgsqlConnection connection, MatchResult result, CancellationToken ct)
    {
        var platforms = result.Matches.Select(m => m.Atlas).Concat(result.UnmatchedAtlas).DistinctBy(p => p.Sloid).ToList();
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY atlas_stops (sloid, uic_ref, atlas_designation, atlas_designation_official, atlas_business_org_abbr, lat, lon) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var p in platforms)
        {
            await writer.StartRowAsync(ct);
            await writer.WriteAsync(p.Sloid, ct);
            await writer.WriteAsync(NullIfEmpty(p.Number), ct);
            await writer.WriteAsync(NullIfEmpty(p.Designation), ct);
            await writer.WriteAsync(NullIfEmpty(p.DesignationOfficial), ct);
            await writer.WriteAsync(NullIfEmpty(p.OperatorAbbreviation), ct);
            await writer.WriteAsync(p.Lat, ct);
            await writer.WriteAsync(p.Lon, ct);
        }

        await writer.CompleteAsync(ct);
        return platforms.Count;
    }

    private static async Task<int> CopyOsmNodesAsync(NpgsqlConnection connection, MatchResult result, CancellationToken ct)
    {
        var elements = result.Matches.Select(m => m.Osm).Concat(result.UnmatchedOsm).DistinctBy(e => e.Id).ToList();
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
            foreach (var key in (string[])["name", "uic_name", "uic_ref"])
            {
                await writer.WriteAsync(e.Tag(key), NpgsqlDbType.Text, ct);
            }

            await writer.WriteAsync(NullIfEmpty(e.LocalRef), NpgsqlDbType.Text, ct);
            foreach (var key in (string[])["network", "operator", "public_transport", "railway", "amenity", "aerialway"])
            {
                await writer.WriteAsync(e.Tag(key), NpgsqlDbType.Text, ct);
            }

            await writer.WriteAsync(e.NodeType, ct);
            await writer.WriteAsync(JsonSerializer.Serialize(e.Tags), NpgsqlDbType.Jsonb, ct);
        }

        await writer.CompleteAsync(ct);
        return elements.Count;
    }

    private static async Task<(int Rows, List<(long StopId, string Type, int Priority)> Problems)> CopyStopsMatchedAsync(
        NpgsqlConnection connection, MatchResult result, CancellationToken ct)
    {
        var problems = new List<(long, string, int)>();
        long id = 0;
        await using var writer = await connection.BeginBinaryImportAsync(
            """
            COPY stops_matched (id, sloid, stop_type, match_type, atlas_lat, atlas_lon, osm_node_id, osm_lat, osm_lon,
                                distance_m, matching_notes, geom) FROM STDIN (FORMAT BINARY)
            """, ct);
        foreach (var m in result.Matches)
        {
            id++;
            await WriteRowAsync(writer, id, m.Atlas.Sloid, StopTypes.Matched, m.MatchType, (m.Atlas.Lat, m.Atlas.Lon), m.Osm, m.DistanceMeters, m.Notes, ct);
            if (DistanceProblemRule.Priority(m) is { } priority)
            {
                problems.Add((id, DistanceProblemRule.ProblemType, priority));
            }
        }

        foreach (var a in result.UnmatchedAtlas)
        {
            id++;
            await WriteRowAsync(writer, id, a.Sloid, StopTypes.AtlasUnmatched, null, (a.Lat, a.Lon), null, null, null, ct);
        }

        foreach (var e in result.UnmatchedOsm)
        {
            id++;
            await WriteRowAsync(writer, id, null, StopTypes.OsmUnmatched, null, null, e, null, null, ct);
        }

        await writer.CompleteAsync(ct);
        return ((int)id, problems);
    }

    private static async Task WriteRowAsync(
        NpgsqlBinaryImporter writer, long id, string? sloid, string stopType, string? matchType, (double Lat, double Lon)? atlas,
        OsmElement? osm, double? distance, string? notes, CancellationToken ct)
    {
        await writer.StartRowAsync(ct);
        await writer.WriteAsync(id, ct);
        await writer.WriteAsync(sloid, NpgsqlDbType.Text, ct);
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
        var point = atlas is { } a ? Srid.Point(a.Lat, a.Lon) : Srid.Point(osm!.Lat, osm.Lon);
        await writer.WriteAsync(point, NpgsqlDbType.Geometry, ct);
    }

    private static async Task<int> CopyProblemsAsync(NpgsqlConnection connection, List<(long StopId, string Type, int Priority)> problems, CancellationToken ct)
    {
        await using var writer = await connection.BeginBinaryImportAsync("COPY problems (stop_id, problem_type, priority) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var (stopId, type, priority) in problems)
        {
            await writer.StartRowAsync(ct);
            await writer.WriteAsync(stopId, ct);
            await writer.WriteAsync(type, ct);
            await writer.WriteAsync(priority, ct);
        }

        await writer.CompleteAsync(ct);
        return problems.Count;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}

public sealed record PublicationCounts(int AtlasStops, int OsmNodes, int StopRows, int Problems);
