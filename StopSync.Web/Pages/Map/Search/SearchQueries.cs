using Npgsql;

namespace StopSync.Web.Pages.Map.Search;

/// <summary>
/// The map's free-text search over the published tables. Each side is one ILIKE on the lower-cased expression of its
/// trigram index (migration SearchIndexes; the expressions here must stay identical to the index's), exact and prefix
/// hits ranked first.
/// </summary>
public sealed class SearchQueries(NpgsqlDataSource dataSource)
{
    public const int MaxRowsPerSide = 200;

    /// <summary>Milliseconds: a search that needs longer is too broad to be useful and would hold a connection.</summary>
    public const int StatementTimeoutMilliseconds = 1500;

    private const string RowOrder = "CASE s.stop_type WHEN 'matched' THEN 0 WHEN 'effectively_matched' THEN 1 ELSE 2 END, s.distance_m NULLS LAST, s.id";

    // $1 the term, $2 its escaped prefix pattern, $3 its escaped infix pattern.
    internal static readonly string AtlasSql =
        $"""
        SELECT s.id, a.sloid, s.osm_node_id, a.atlas_designation_official, a.uic_ref, a.atlas_designation, a.atlas_business_org_abbr,
               s.stop_type, a.lat, a.lon
        FROM (
            SELECT a.*,
                   CASE WHEN lower(a.sloid) = $1 OR a.uic_ref = $1 OR lower(a.atlas_designation_official) = $1
                             OR lower(a.atlas_designation_operational) = $1 OR lower(a.atlas_business_org_abbr) = $1 THEN 0
                        WHEN lower(a.sloid) LIKE $2 ESCAPE '\' OR a.uic_ref LIKE $2 ESCAPE '\'
                             OR lower(a.atlas_designation_official) LIKE $2 ESCAPE '\'
                             OR lower(a.atlas_designation_operational) LIKE $2 ESCAPE '\' THEN 1
                        ELSE 2 END AS rank
            FROM atlas_stops a
            WHERE lower(
                coalesce(sloid, '') || E'\n' || coalesce(uic_ref, '') || E'\n' || coalesce(atlas_designation, '') || E'\n'
                || coalesce(atlas_designation_official, '') || E'\n' || coalesce(atlas_designation_operational, '') || E'\n'
                || coalesce(atlas_business_org_abbr, '')) LIKE $3 ESCAPE '\'
            ORDER BY rank, a.atlas_designation_official NULLS LAST, a.sloid
            LIMIT {MaxRowsPerSide}) a
        JOIN LATERAL (SELECT s.id, s.osm_node_id, s.stop_type FROM stops_matched s WHERE s.sloid = a.sloid ORDER BY {RowOrder} LIMIT 1) s ON true
        ORDER BY a.rank, a.atlas_designation_official NULLS LAST, a.sloid
        """;

    internal static readonly string OsmSql =
        $"""
        SELECT s.id, s.sloid, o.osm_node_id, coalesce(o.name, o.uic_name), o.uic_ref, o.local_ref, o.operator, s.stop_type, o.lat, o.lon
        FROM (
            SELECT o.*,
                   CASE WHEN lower(o.name) = $1 OR lower(o.uic_name) = $1 OR o.uic_ref = $1 OR lower(o.local_ref) = $1
                             OR lower(o.network) = $1 OR lower(o.operator) = $1 THEN 0
                        WHEN lower(o.name) LIKE $2 ESCAPE '\' OR lower(o.uic_name) LIKE $2 ESCAPE '\' OR o.uic_ref LIKE $2 ESCAPE '\' THEN 1
                        ELSE 2 END AS rank
            FROM osm_nodes o
            WHERE lower(
                coalesce(name, '') || E'\n' || coalesce(uic_name, '') || E'\n' || coalesce(uic_ref, '') || E'\n'
                || coalesce(local_ref, '') || E'\n' || coalesce(network, '') || E'\n' || coalesce(operator, '')) LIKE $3 ESCAPE '\'
            ORDER BY rank, o.name NULLS LAST, o.osm_node_id
            LIMIT {MaxRowsPerSide}) o
        JOIN LATERAL (SELECT s.id, s.sloid, s.stop_type FROM stops_matched s WHERE s.osm_node_id = o.osm_node_id ORDER BY {RowOrder} LIMIT 1) s ON true
        ORDER BY o.rank, o.name NULLS LAST, o.osm_node_id
        """;

    /// <summary>The hits for a normalised term of 3–50 characters; null when the database stopped the search at its time limit.</summary>
    public async Task<SearchResults?> SearchAsync(string term, CancellationToken ct)
    {
        var escaped = SearchText.EscapeLike(term);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands = { new NpgsqlBatchCommand($"SET LOCAL statement_timeout = {StatementTimeoutMilliseconds}") },
        };
        foreach (var sql in (string[])[AtlasSql, OsmSql])
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.Add(new NpgsqlParameter { Value = term });
            command.Parameters.Add(new NpgsqlParameter { Value = escaped + "%" });
            command.Parameters.Add(new NpgsqlParameter { Value = "%" + escaped + "%" });
            batch.BatchCommands.Add(command);
        }

        try
        {
            var atlas = new List<SearchHit>();
            var osm = new List<SearchHit>();
            // The reader skips the SET, which returns no rows: its first result is the ATLAS half.
            await using (var reader = await batch.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    atlas.Add(Read(reader, "atlas"));
                }

                await reader.NextResultAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    osm.Add(Read(reader, "osm"));
                }
            }

            await transaction.CommitAsync(ct);
            return new SearchResults(atlas, osm);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.QueryCanceled && !ct.IsCancellationRequested)
        {
            return null;
        }
    }

    private static SearchHit Read(NpgsqlDataReader r, string viewType) => new(
        r.GetInt64(0), Text(r, 1), Text(r, 2), Text(r, 3), Text(r, 4), Text(r, 5), Text(r, 6), r.GetString(7), r.GetDouble(8), r.GetDouble(9), viewType);

    private static string? Text(NpgsqlDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);
}
