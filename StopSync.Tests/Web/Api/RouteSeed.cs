using Npgsql;

namespace StopSync.Tests.Web.Api;

/// <summary>
/// Writes the published route tables (line_families, itineraries, stop_calls and the matches) by SQL, as the publication
/// fills them, for web tests that seed a dataset of their own.
/// </summary>
internal static class RouteSeed
{
    public static async Task FamilyAsync(
        NpgsqlConnection c, long id, string source, string sourceFamilyId, string displayRouteId, string? gtfsRouteId, string? @ref,
        string mode, string? name, string? @operator, long? matchedFamilyId = null, bool nonGtfs = false, string? origin = null)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO line_families (id, source, source_family_id, family_origin, mode, display_route_id, gtfs_route_id, normalized_route_id,
                                       public_name, ref, operator, is_non_gtfs, itinerary_count, stop_count, matched_family_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, regexp_replace($7, '-j[0-9]+', '-jXX', 'g'), $8, $9, $10, $11, 0, 0, $12)
            """, c);
        foreach (var value in new object?[]
                 {
                     id, source, sourceFamilyId, origin ?? (source == "atlas" ? "gtfs_route" : "route_master"), mode, displayRouteId, gtfsRouteId,
                     name, @ref, @operator, nonGtfs, matchedFamilyId,
                 })
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        // A text parameter that may be null needs its type.
        command.Parameters[6].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// An itinerary with its calls in order; a call names the SLOID, the OSM element, or both, and lies where the OSM
    /// element (else the ATLAS stop) is. Call ids are id × 100 + sequence.
    /// </summary>
    public static async Task ItineraryAsync(
        NpgsqlConnection c, long id, long familyId, string source, string sourceItineraryId, string? direction, string? headsign,
        long? matchedItineraryId, params (string? Sloid, string? Osm)[] calls)
    {
        await using (var command = new NpgsqlCommand(
            """
            INSERT INTO itineraries (id, line_family_id, source, source_itinerary_id, direction_id, headsign, to_name, display_name, trip_count,
                                     stop_count, relation_id, matched_itinerary_id)
            VALUES ($1, $2, $3, $4, $5, $6, $6, $6, 3, $7, $8, $9)
            """, c))
        {
            foreach (var value in new object?[]
                     {
                         id, familyId, source, sourceItineraryId, direction, headsign, calls.Length, source == "osm" ? sourceItineraryId : null,
                         matchedItineraryId,
                     })
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
            }

            command.Parameters[4].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Varchar;
            command.Parameters[5].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text;
            command.Parameters[7].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text;
            command.Parameters[8].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint;
            await command.ExecuteNonQueryAsync();
        }

        for (var k = 0; k < calls.Length; k++)
        {
            var (sloid, osm) = calls[k];
            await using var call = new NpgsqlCommand(
                """
                INSERT INTO stop_calls (id, itinerary_id, stop_sequence, source_stop_id, sloid, sloid_variants, osm_node_id, stop_keys, stop_label,
                                        lat, lon, member_role)
                VALUES ($1, $2, $3, $4, $5, CASE WHEN $5::text IS NULL THEN '{}'::text[] ELSE ARRAY[$5::text] END, $6,
                        ARRAY[coalesce('sloid:' || $5::text, 'osm:' || $6::text)], $4,
                        coalesce((SELECT o.lat FROM osm_nodes o WHERE o.osm_node_id = $6::text), (SELECT a.lat FROM atlas_stops a WHERE a.sloid = $5::text), 47.0),
                        coalesce((SELECT o.lon FROM osm_nodes o WHERE o.osm_node_id = $6::text), (SELECT a.lon FROM atlas_stops a WHERE a.sloid = $5::text), 8.0),
                        $7)
                """, c);
            call.Parameters.Add(new NpgsqlParameter { Value = id * 100 + k + 1 });
            call.Parameters.Add(new NpgsqlParameter { Value = id });
            call.Parameters.Add(new NpgsqlParameter { Value = k + 1 });
            call.Parameters.Add(new NpgsqlParameter { Value = osm ?? sloid ?? "?" });
            call.Parameters.Add(new NpgsqlParameter { Value = (object?)sloid ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            call.Parameters.Add(new NpgsqlParameter { Value = (object?)osm ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            call.Parameters.Add(new NpgsqlParameter { Value = source == "osm" ? "platform" : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            await call.ExecuteNonQueryAsync();
        }
    }

    public static async Task MatchAsync(NpgsqlConnection c, long familyMatchId, long atlasFamily, long osmFamily, string method,
        params (long Id, long Atlas, long Osm)[] itineraryMatches)
    {
        await using (var command = new NpgsqlCommand(
            "INSERT INTO line_family_matches (id, atlas_line_family_id, osm_line_family_id, match_method, score) VALUES ($1, $2, $3, $4, 1.0)", c))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = familyMatchId });
            command.Parameters.Add(new NpgsqlParameter { Value = atlasFamily });
            command.Parameters.Add(new NpgsqlParameter { Value = osmFamily });
            command.Parameters.Add(new NpgsqlParameter { Value = method });
            await command.ExecuteNonQueryAsync();
        }

        foreach (var (id, atlas, osm) in itineraryMatches)
        {
            await using var command = new NpgsqlCommand(
                """
                INSERT INTO itinerary_matches (id, line_family_match_id, atlas_itinerary_id, osm_itinerary_id, direction_score, stop_score,
                                               overall_score, matched_stops, match_reason)
                VALUES ($1, $2, $3, $4, 1.0, 1.0, 1.0, 3, 'ordered_stop_match')
                """, c);
            command.Parameters.Add(new NpgsqlParameter { Value = id });
            command.Parameters.Add(new NpgsqlParameter { Value = familyMatchId });
            command.Parameters.Add(new NpgsqlParameter { Value = atlas });
            command.Parameters.Add(new NpgsqlParameter { Value = osm });
            await command.ExecuteNonQueryAsync();
        }
    }
}
