using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using NetTopologySuite.Geometries;

#nullable disable

namespace StopSync.Data.Migrations
{
    /// <inheritdoc />
    public partial class RouteTables : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "gtfs_stops",
                columns: table => new
                {
                    stop_id = table.Column<string>(type: "text", nullable: false),
                    stop_name = table.Column<string>(type: "text", nullable: false),
                    lat = table.Column<double>(type: "double precision", nullable: false),
                    lon = table.Column<double>(type: "double precision", nullable: false),
                    geom = table.Column<Point>(type: "geometry(Point,4326)", nullable: false),
                    stop_code = table.Column<string>(type: "text", nullable: true),
                    uic_number = table.Column<string>(type: "text", nullable: true),
                    local_ref = table.Column<string>(type: "text", nullable: true),
                    normalized_local_ref = table.Column<string>(type: "text", nullable: true),
                    platform_code = table.Column<string>(type: "text", nullable: true),
                    original_stop_id = table.Column<string>(type: "text", nullable: true),
                    location_type = table.Column<string>(type: "text", nullable: true),
                    parent_station = table.Column<string>(type: "text", nullable: true),
                    identity_level = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    resolution_method = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    confidence = table.Column<double>(type: "double precision", nullable: false),
                    distance_m = table.Column<double>(type: "double precision", nullable: true),
                    resolved_sloid = table.Column<string>(type: "text", nullable: true),
                    resolved_sloids = table.Column<List<string>>(type: "text[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_gtfs_stops", x => x.stop_id);
                });

            migrationBuilder.CreateTable(
                name: "line_families",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false),
                    source = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    source_family_id = table.Column<string>(type: "text", nullable: false),
                    family_origin = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    route_type = table.Column<string>(type: "text", nullable: true),
                    mode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    display_route_id = table.Column<string>(type: "text", nullable: false),
                    gtfs_route_id = table.Column<string>(type: "text", nullable: true),
                    normalized_route_id = table.Column<string>(type: "text", nullable: true),
                    public_name = table.Column<string>(type: "text", nullable: true),
                    @ref = table.Column<string>(name: "ref", type: "text", nullable: true),
                    @operator = table.Column<string>(name: "operator", type: "text", nullable: true),
                    network = table.Column<string>(type: "text", nullable: true),
                    agency_id = table.Column<string>(type: "text", nullable: true),
                    route_master_id = table.Column<string>(type: "text", nullable: true),
                    is_non_gtfs = table.Column<bool>(type: "boolean", nullable: false),
                    itinerary_count = table.Column<int>(type: "integer", nullable: false),
                    stop_count = table.Column<int>(type: "integer", nullable: false),
                    matched_family_id = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_line_families", x => x.id);
                    table.CheckConstraint("ck_line_families_source", "source IN ('atlas', 'osm')");
                });

            migrationBuilder.CreateTable(
                name: "itineraries",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false),
                    line_family_id = table.Column<long>(type: "bigint", nullable: false),
                    source = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    source_itinerary_id = table.Column<string>(type: "text", nullable: false),
                    direction_id = table.Column<string>(type: "character varying(1)", maxLength: 1, nullable: true),
                    headsign = table.Column<string>(type: "text", nullable: true),
                    from_name = table.Column<string>(type: "text", nullable: true),
                    to_name = table.Column<string>(type: "text", nullable: true),
                    display_name = table.Column<string>(type: "text", nullable: true),
                    trip_count = table.Column<int>(type: "integer", nullable: false),
                    stop_count = table.Column<int>(type: "integer", nullable: false),
                    relation_id = table.Column<string>(type: "text", nullable: true),
                    matched_itinerary_id = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_itineraries", x => x.id);
                    table.ForeignKey(
                        name: "fk_itineraries_line_families_line_family_id",
                        column: x => x.line_family_id,
                        principalTable: "line_families",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "line_family_matches",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false),
                    atlas_line_family_id = table.Column<long>(type: "bigint", nullable: false),
                    osm_line_family_id = table.Column<long>(type: "bigint", nullable: false),
                    match_method = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    score = table.Column<double>(type: "double precision", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_line_family_matches", x => x.id);
                    table.ForeignKey(
                        name: "fk_line_family_matches_line_families_atlas_line_family_id",
                        column: x => x.atlas_line_family_id,
                        principalTable: "line_families",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_line_family_matches_line_families_osm_line_family_id",
                        column: x => x.osm_line_family_id,
                        principalTable: "line_families",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "stop_calls",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false),
                    itinerary_id = table.Column<long>(type: "bigint", nullable: false),
                    stop_sequence = table.Column<int>(type: "integer", nullable: false),
                    source_stop_id = table.Column<string>(type: "text", nullable: false),
                    sloid = table.Column<string>(type: "text", nullable: true),
                    sloid_variants = table.Column<List<string>>(type: "text[]", nullable: false),
                    osm_node_id = table.Column<string>(type: "text", nullable: true),
                    stop_keys = table.Column<List<string>>(type: "text[]", nullable: false),
                    stop_label = table.Column<string>(type: "text", nullable: false),
                    uic_ref = table.Column<string>(type: "text", nullable: true),
                    platform_code = table.Column<string>(type: "text", nullable: true),
                    lat = table.Column<double>(type: "double precision", nullable: false),
                    lon = table.Column<double>(type: "double precision", nullable: false),
                    member_role = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_stop_calls", x => x.id);
                    table.ForeignKey(
                        name: "fk_stop_calls_itineraries_itinerary_id",
                        column: x => x.itinerary_id,
                        principalTable: "itineraries",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "itinerary_matches",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false),
                    line_family_match_id = table.Column<long>(type: "bigint", nullable: false),
                    atlas_itinerary_id = table.Column<long>(type: "bigint", nullable: false),
                    osm_itinerary_id = table.Column<long>(type: "bigint", nullable: false),
                    direction_score = table.Column<double>(type: "double precision", nullable: false),
                    stop_score = table.Column<double>(type: "double precision", nullable: false),
                    geometry_score = table.Column<double>(type: "double precision", nullable: true),
                    overall_score = table.Column<double>(type: "double precision", nullable: false),
                    matched_stops = table.Column<int>(type: "integer", nullable: false),
                    match_reason = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_itinerary_matches", x => x.id);
                    table.ForeignKey(
                        name: "fk_itinerary_matches_itineraries_atlas_itinerary_id",
                        column: x => x.atlas_itinerary_id,
                        principalTable: "itineraries",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_itinerary_matches_itineraries_osm_itinerary_id",
                        column: x => x.osm_itinerary_id,
                        principalTable: "itineraries",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_itinerary_matches_line_family_matches_line_family_match_id",
                        column: x => x.line_family_match_id,
                        principalTable: "line_family_matches",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_gtfs_stops_geom",
                table: "gtfs_stops",
                column: "geom")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_gtfs_stops_resolution_method",
                table: "gtfs_stops",
                column: "resolution_method");

            migrationBuilder.CreateIndex(
                name: "ix_gtfs_stops_resolved_sloid",
                table: "gtfs_stops",
                column: "resolved_sloid");

            migrationBuilder.CreateIndex(
                name: "ix_gtfs_stops_uic_number",
                table: "gtfs_stops",
                column: "uic_number");

            migrationBuilder.CreateIndex(
                name: "ix_itineraries_line_family_id",
                table: "itineraries",
                column: "line_family_id");

            migrationBuilder.CreateIndex(
                name: "ix_itineraries_relation_id",
                table: "itineraries",
                column: "relation_id");

            migrationBuilder.CreateIndex(
                name: "ix_itineraries_source_source_itinerary_id",
                table: "itineraries",
                columns: new[] { "source", "source_itinerary_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_itinerary_matches_atlas_itinerary_id_osm_itinerary_id",
                table: "itinerary_matches",
                columns: new[] { "atlas_itinerary_id", "osm_itinerary_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_itinerary_matches_line_family_match_id",
                table: "itinerary_matches",
                column: "line_family_match_id");

            migrationBuilder.CreateIndex(
                name: "ix_itinerary_matches_osm_itinerary_id",
                table: "itinerary_matches",
                column: "osm_itinerary_id");

            migrationBuilder.CreateIndex(
                name: "ix_line_families_display_route_id",
                table: "line_families",
                column: "display_route_id");

            migrationBuilder.CreateIndex(
                name: "ix_line_families_gtfs_route_id",
                table: "line_families",
                column: "gtfs_route_id");

            migrationBuilder.CreateIndex(
                name: "ix_line_families_matched_family_id",
                table: "line_families",
                column: "matched_family_id");

            migrationBuilder.CreateIndex(
                name: "ix_line_families_normalized_route_id",
                table: "line_families",
                column: "normalized_route_id");

            migrationBuilder.CreateIndex(
                name: "ix_line_families_operator",
                table: "line_families",
                column: "operator");

            migrationBuilder.CreateIndex(
                name: "ix_line_families_source_source_family_id",
                table: "line_families",
                columns: new[] { "source", "source_family_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_line_family_matches_atlas_line_family_id_osm_line_family_id",
                table: "line_family_matches",
                columns: new[] { "atlas_line_family_id", "osm_line_family_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_line_family_matches_osm_line_family_id",
                table: "line_family_matches",
                column: "osm_line_family_id");

            migrationBuilder.CreateIndex(
                name: "ix_stop_calls_itinerary_id_stop_sequence",
                table: "stop_calls",
                columns: new[] { "itinerary_id", "stop_sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_stop_calls_osm_node_id",
                table: "stop_calls",
                column: "osm_node_id");

            migrationBuilder.CreateIndex(
                name: "ix_stop_calls_sloid",
                table: "stop_calls",
                column: "sloid");

            migrationBuilder.CreateIndex(
                name: "ix_stop_calls_uic_ref",
                table: "stop_calls",
                column: "uic_ref");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "gtfs_stops");

            migrationBuilder.DropTable(
                name: "itinerary_matches");

            migrationBuilder.DropTable(
                name: "stop_calls");

            migrationBuilder.DropTable(
                name: "line_family_matches");

            migrationBuilder.DropTable(
                name: "itineraries");

            migrationBuilder.DropTable(
                name: "line_families");
        }
    }
}
