using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace StopSync.Data.Migrations
{
    /// <summary>
    /// Trigram indexes for the map's search (docs/05-api.md, "GET /api/search"): one expression per table joining the
    /// searched columns with a newline, lower-cased. A search term never holds a newline (whitespace is normalised), so a
    /// hit never spans two columns. The search query repeats these expressions exactly; a test checks it uses them.
    /// pg_trgm is a trusted extension of PostgreSQL's contrib, so the database owner may create it.
    /// </summary>
    public partial class SearchIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE EXTENSION IF NOT EXISTS pg_trgm");
            migrationBuilder.Sql(
                """
                CREATE INDEX ix_atlas_stops_search ON atlas_stops USING gin (lower(
                    coalesce(sloid, '') || E'\n' || coalesce(uic_ref, '') || E'\n' || coalesce(atlas_designation, '') || E'\n'
                    || coalesce(atlas_designation_official, '') || E'\n' || coalesce(atlas_designation_operational, '') || E'\n'
                    || coalesce(atlas_business_org_abbr, '')) gin_trgm_ops)
                """);
            migrationBuilder.Sql(
                """
                CREATE INDEX ix_osm_nodes_search ON osm_nodes USING gin (lower(
                    coalesce(name, '') || E'\n' || coalesce(uic_name, '') || E'\n' || coalesce(uic_ref, '') || E'\n'
                    || coalesce(local_ref, '') || E'\n' || coalesce(network, '') || E'\n' || coalesce(operator, '')) gin_trgm_ops)
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_osm_nodes_search");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_atlas_stops_search");
        }
    }
}
