using Npgsql;
using NpgsqlTypes;
using StopSync.Data.Geo;
using StopSync.Jobs.Matching.Routes;
using StopSync.Jobs.Sources.Gtfs;

namespace StopSync.Jobs.Publication;

/// <summary>
/// COPYs the route tables (docs/04-pipeline.md#publication) on the connection's search path, i.e. the staging schema.
/// Ids are assigned here in the order of the lists, so the matches can point at families and itineraries.
/// </summary>
internal static class RouteSnapshotLoader
{
    public static long RowCount(RouteMatchingOutput? routes, GtfsStopIdentities? gtfs) =>
        (routes is null ? 0 : routes.Families.Count + routes.Families.Sum(f => f.Itineraries.Count + f.Itineraries.Sum(i => i.Calls.Count))
            + routes.FamilyMatches.Count + routes.ItineraryMatches.Count)
        + (gtfs?.Stops.Count ?? 0);

    public static async Task<RouteCounts> LoadAsync(
        NpgsqlConnection connection, RouteMatchingOutput? routes, GtfsStopIdentities? gtfs, Func<long, Task> onRows, CancellationToken ct)
    {
        var gtfsStops = gtfs is null ? 0 : await CopyGtfsStopsAsync(connection, gtfs, ct);
        await onRows(gtfsStops);
        if (routes is null)
        {
            return new RouteCounts(0, 0, 0, 0, 0, gtfsStops);
        }

        var ids = RouteIds.Plan(routes);
        await CopyFamiliesAsync(connection, routes, ids, ct);
        await onRows(routes.Families.Count);
        var (itineraries, calls) = await CopyItinerariesAsync(connection, routes, ids, ct);
        await onRows(itineraries + calls);
        await CopyMatchesAsync(connection, routes, ids, ct);
        await onRows(routes.FamilyMatches.Count + routes.ItineraryMatches.Count);
        return new RouteCounts(routes.Families.Count, itineraries, calls, routes.FamilyMatches.Count, routes.ItineraryMatches.Count, gtfsStops);
    }

    private static async Task CopyFamiliesAsync(NpgsqlConnection connection, RouteMatchingOutput routes, RouteIds ids, CancellationToken ct)
    {
        await using var writer = await connection.BeginBinaryImportAsync(
            """
            COPY line_families (id, source, source_family_id, family_origin, route_type, mode, display_route_id, gtfs_route_id,
                                normalized_route_id, public_name, ref, operator, network, agency_id, route_master_id, is_non_gtfs,
                                itinerary_count, stop_count, matched_family_id) FROM STDIN (FORMAT BINARY)
            """, ct);
        foreach (var f in routes.Families)
        {
            await writer.StartRowAsync(ct);
            await writer.WriteAsync(ids.Family(f.Source, f.FamilyId), ct);
            await writer.WriteAsync(f.Source, ct);
            await writer.WriteAsync(f.FamilyId, ct);
            await writer.WriteAsync(f.FamilyOrigin, ct);
            await writer.WriteAsync(f.RouteType, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(f.Mode, ct);
            await writer.WriteAsync(f.DisplayRouteId, ct);
            await writer.WriteAsync(f.GtfsRouteId, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(f.NormalizedRouteId, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(f.PublicName, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(f.Ref, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(f.Operator, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(f.Network, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(f.AgencyId, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(f.RouteMasterId, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(f.IsNonGtfs, ct);
            await writer.WriteAsync(f.Itineraries.Count, ct);
            await writer.WriteAsync(f.DistinctStopCount, ct);
            await writer.WriteAsync(ids.MatchedFamily(f.Source, f.FamilyId), NpgsqlDbType.Bigint, ct);
        }

        await writer.CompleteAsync(ct);
    }

    private static async Task<(int Itineraries, int Calls)> CopyItinerariesAsync(
        NpgsqlConnection connection, RouteMatchingOutput routes, RouteIds ids, CancellationToken ct)
    {
        var itineraries = 0;
        await using (var writer = await connection.BeginBinaryImportAsync(
            """
            COPY itineraries (id, line_family_id, source, source_itinerary_id, direction_id, headsign, from_name, to_name, display_name,
                              trip_count, stop_count, relation_id, matched_itinerary_id) FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            foreach (var f in routes.Families)
            {
                foreach (var i in f.Itineraries)
                {
                    await writer.StartRowAsync(ct);
                    await writer.WriteAsync(ids.Itinerary(f.Source, i.ItineraryId), ct);
                    await writer.WriteAsync(ids.Family(f.Source, f.FamilyId), ct);
                    await writer.WriteAsync(f.Source, ct);
                    await writer.WriteAsync(i.ItineraryId, ct);
                    await writer.WriteAsync(i.DirectionId, NpgsqlDbType.Varchar, ct);
                    await writer.WriteAsync(i.Headsign, NpgsqlDbType.Text, ct);
                    await writer.WriteAsync(i.FromName, NpgsqlDbType.Text, ct);
                    await writer.WriteAsync(i.ToName, NpgsqlDbType.Text, ct);
                    await writer.WriteAsync(i.Name, NpgsqlDbType.Text, ct);
                    await writer.WriteAsync(i.TripCount, ct);
                    await writer.WriteAsync(i.Calls.Count, ct);
                    await writer.WriteAsync(i.RelationId, NpgsqlDbType.Text, ct);
                    await writer.WriteAsync(ids.MatchedItinerary(f.Source, i.ItineraryId), NpgsqlDbType.Bigint, ct);
                    itineraries++;
                }
            }

            await writer.CompleteAsync(ct);
        }

        var calls = 0;
        await using (var writer = await connection.BeginBinaryImportAsync(
            """
            COPY stop_calls (id, itinerary_id, stop_sequence, source_stop_id, sloid, sloid_variants, osm_node_id, stop_keys, stop_label,
                             uic_ref, platform_code, lat, lon, member_role) FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            foreach (var f in routes.Families)
            {
                foreach (var i in f.Itineraries)
                {
                    var itineraryId = ids.Itinerary(f.Source, i.ItineraryId);
                    foreach (var c in i.Calls)
                    {
                        await writer.StartRowAsync(ct);
                        await writer.WriteAsync(++calls, NpgsqlDbType.Bigint, ct);
                        await writer.WriteAsync(itineraryId, ct);
                        await writer.WriteAsync(c.Sequence, ct);
                        await writer.WriteAsync(c.SourceStopId, ct);
                        await writer.WriteAsync(c.Sloid, NpgsqlDbType.Text, ct);
                        await writer.WriteAsync(c.SloidVariants.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
                        await writer.WriteAsync(c.OsmId, NpgsqlDbType.Text, ct);
                        await writer.WriteAsync(c.StopKeys.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
                        await writer.WriteAsync(c.Label, ct);
                        await writer.WriteAsync(c.UicRef, NpgsqlDbType.Text, ct);
                        await writer.WriteAsync(c.PlatformCode, NpgsqlDbType.Text, ct);
                        await writer.WriteAsync(c.Lat, ct);
                        await writer.WriteAsync(c.Lon, ct);
                        await writer.WriteAsync(c.Role, NpgsqlDbType.Text, ct);
                    }
                }
            }

            await writer.CompleteAsync(ct);
        }

        return (itineraries, calls);
    }

    private static async Task CopyMatchesAsync(NpgsqlConnection connection, RouteMatchingOutput routes, RouteIds ids, CancellationToken ct)
    {
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY line_family_matches (id, atlas_line_family_id, osm_line_family_id, match_method, score) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var k = 0; k < routes.FamilyMatches.Count; k++)
            {
                var m = routes.FamilyMatches[k];
                await writer.StartRowAsync(ct);
                await writer.WriteAsync(k + 1L, ct);
                await writer.WriteAsync(ids.Family(RouteSides.Atlas, m.AtlasFamilyId), ct);
                await writer.WriteAsync(ids.Family(RouteSides.Osm, m.OsmFamilyId), ct);
                await writer.WriteAsync(m.Method, ct);
                await writer.WriteAsync(m.Score, ct);
            }

            await writer.CompleteAsync(ct);
        }

        await using (var writer = await connection.BeginBinaryImportAsync(
            """
            COPY itinerary_matches (id, line_family_match_id, atlas_itinerary_id, osm_itinerary_id, direction_score, stop_score,
                                    geometry_score, overall_score, matched_stops, match_reason) FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            for (var k = 0; k < routes.ItineraryMatches.Count; k++)
            {
                var m = routes.ItineraryMatches[k];
                await writer.StartRowAsync(ct);
                await writer.WriteAsync(k + 1L, ct);
                await writer.WriteAsync(ids.FamilyMatch(m.AtlasFamilyId, m.OsmFamilyId), ct);
                await writer.WriteAsync(ids.Itinerary(RouteSides.Atlas, m.AtlasItineraryId), ct);
                await writer.WriteAsync(ids.Itinerary(RouteSides.Osm, m.OsmItineraryId), ct);
                await writer.WriteAsync(m.DirectionScore, ct);
                await writer.WriteAsync(m.StopScore, ct);
                await writer.WriteAsync(m.GeometryScore, NpgsqlDbType.Double, ct);
                await writer.WriteAsync(m.OverallScore, ct);
                await writer.WriteAsync(m.MatchedStops, ct);
                await writer.WriteAsync(m.MatchReason, ct);
            }

            await writer.CompleteAsync(ct);
        }
    }

    private static async Task<int> CopyGtfsStopsAsync(NpgsqlConnection connection, GtfsStopIdentities gtfs, CancellationToken ct)
    {
        await using var writer = await connection.BeginBinaryImportAsync(
            """
            COPY gtfs_stops (stop_id, stop_name, lat, lon, geom, stop_code, uic_number, local_ref, normalized_local_ref, platform_code,
                             original_stop_id, location_type, parent_station, identity_level, resolution_method, confidence, distance_m,
                             resolved_sloid, resolved_sloids) FROM STDIN (FORMAT BINARY)
            """, ct);
        for (var k = 0; k < gtfs.Stops.Count; k++)
        {
            var s = gtfs.Stops[k];
            var r = gtfs.Resolutions[k];
            if (!string.Equals(s.StopId, r.StopId, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"GTFS stop {s.StopId} is paired with the resolution of {r.StopId}: the two lists are not aligned.");
            }

            await writer.StartRowAsync(ct);
            await writer.WriteAsync(s.StopId, ct);
            await writer.WriteAsync(s.StopName, ct);
            await writer.WriteAsync(s.Lat, ct);
            await writer.WriteAsync(s.Lon, ct);
            await writer.WriteAsync(Srid.Point(s.Lat, s.Lon), NpgsqlDbType.Geometry, ct);
            await writer.WriteAsync(s.StopCode, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(s.UicNumber, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(s.LocalRef, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(s.NormalizedLocalRef, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(s.PlatformCode, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(s.OriginalStopId, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(s.LocationType, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(s.ParentStation, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(GtfsLabels.Of(s.IdentityLevel), NpgsqlDbType.Varchar, ct);
            await writer.WriteAsync(r.MethodLabel, NpgsqlDbType.Varchar, ct);
            await writer.WriteAsync(r.Confidence, ct);
            await writer.WriteAsync(r.DistanceMeters, NpgsqlDbType.Double, ct);
            await writer.WriteAsync(r.Sloids.Count > 0 ? r.Sloids[0] : null, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(r.Sloids.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
        }

        await writer.CompleteAsync(ct);
        return gtfs.Stops.Count;
    }

    /// <summary>The published id of every family, itinerary and family match, and which one each is matched to.</summary>
    private sealed class RouteIds
    {
        private readonly Dictionary<(string, string), long> _families = [];
        private readonly Dictionary<(string, string), long> _itineraries = [];
        private readonly Dictionary<(string, string), long> _familyMatches = [];
        private readonly Dictionary<(string, string), long> _matchedFamily = [];
        private readonly Dictionary<(string, string), long> _matchedItinerary = [];

        public static RouteIds Plan(RouteMatchingOutput routes)
        {
            var ids = new RouteIds();
            foreach (var f in routes.Families)
            {
                if (!ids._families.TryAdd((f.Source, f.FamilyId), ids._families.Count + 1L))
                {
                    throw new InvalidOperationException($"Line family {f.Source}:{f.FamilyId} appears twice.");
                }

                foreach (var i in f.Itineraries)
                {
                    if (!ids._itineraries.TryAdd((f.Source, i.ItineraryId), ids._itineraries.Count + 1L))
                    {
                        throw new InvalidOperationException($"Itinerary {f.Source}:{i.ItineraryId} appears twice.");
                    }
                }
            }

            foreach (var m in routes.FamilyMatches)
            {
                ids._familyMatches[(m.AtlasFamilyId, m.OsmFamilyId)] = ids._familyMatches.Count + 1L;
                ids._matchedFamily[(RouteSides.Atlas, m.AtlasFamilyId)] = ids.Family(RouteSides.Osm, m.OsmFamilyId);
                ids._matchedFamily[(RouteSides.Osm, m.OsmFamilyId)] = ids.Family(RouteSides.Atlas, m.AtlasFamilyId);
            }

            foreach (var m in routes.ItineraryMatches)
            {
                ids._matchedItinerary[(RouteSides.Atlas, m.AtlasItineraryId)] = ids.Itinerary(RouteSides.Osm, m.OsmItineraryId);
                ids._matchedItinerary[(RouteSides.Osm, m.OsmItineraryId)] = ids.Itinerary(RouteSides.Atlas, m.AtlasItineraryId);
            }

            return ids;
        }

        public long Family(string source, string familyId) =>
            _families.TryGetValue((source, familyId), out var id) ? id
            : throw new InvalidOperationException($"A route match names line family {source}:{familyId}, which is not in the result.");

        public long Itinerary(string source, string itineraryId) =>
            _itineraries.TryGetValue((source, itineraryId), out var id) ? id
            : throw new InvalidOperationException($"A route match names itinerary {source}:{itineraryId}, which is not in the result.");

        public long FamilyMatch(string atlasFamilyId, string osmFamilyId) =>
            _familyMatches.TryGetValue((atlasFamilyId, osmFamilyId), out var id) ? id
            : throw new InvalidOperationException($"An itinerary match names families {atlasFamilyId} / {osmFamilyId}, which are not matched.");

        public long? MatchedFamily(string source, string familyId) => _matchedFamily.TryGetValue((source, familyId), out var id) ? id : null;

        public long? MatchedItinerary(string source, string itineraryId) =>
            _matchedItinerary.TryGetValue((source, itineraryId), out var id) ? id : null;
    }
}

public sealed record RouteCounts(int Families, int Itineraries, int StopCalls, int FamilyMatches, int ItineraryMatches, int GtfsStops);
