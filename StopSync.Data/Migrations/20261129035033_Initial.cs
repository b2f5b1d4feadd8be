using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NetTopologySuite.Geometries;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace StopSync.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:postgis", ",,");

            migrationBuilder.CreateTable(
                name: "atlas_stops",
                columns: table => new
                {
                    sloid = table.Column<string>(type: "text", nullable: false),
                    uic_ref = table.Column<string>(type: "text", nullable: true),
                    atlas_designation = table.Column<string>(type: "text", nullable: true),
                    atlas_designation_official = table.Column<string>(type: "text", nullable: true),
                    atlas_business_org_abbr = table.Column<string>(type: "text", nullable: true),
                    lat = table.Column<double>(type: "double precision", nullable: false),
                    lon = table.Column<double>(type: "double precision", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_atlas_stops", x => x.sloid);
                });

            migrationBuilder.CreateTable(
                name: "dataset_publication",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false),
                    run_id = table.Column<Guid>(type: "uuid", nullable: false),
                    published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    manifest = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_dataset_publication", x => x.id);
                    table.CheckConstraint("ck_dataset_publication_singleton", "id = 1");
                });

            migrationBuilder.CreateTable(
                name: "osm_nodes",
                columns: table => new
                {
                    osm_node_id = table.Column<string>(type: "text", nullable: false),
                    element_type = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    lat = table.Column<double>(type: "double precision", nullable: false),
                    lon = table.Column<double>(type: "double precision", nullable: false),
                    name = table.Column<string>(type: "text", nullable: true),
                    uic_name = table.Column<string>(type: "text", nullable: true),
                    uic_ref = table.Column<string>(type: "text", nullable: true),
                    local_ref = table.Column<string>(type: "text", nullable: true),
                    network = table.Column<string>(type: "text", nullable: true),
                    @operator = table.Column<string>(name: "operator", type: "text", nullable: true),
                    public_transport = table.Column<string>(type: "text", nullable: true),
                    railway = table.Column<string>(type: "text", nullable: true),
                    amenity = table.Column<string>(type: "text", nullable: true),
                    aerialway = table.Column<string>(type: "text", nullable: true),
                    osm_node_type = table.Column<string>(type: "text", nullable: true),
                    tags = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_osm_nodes", x => x.osm_node_id);
                });

            migrationBuilder.CreateTable(
                name: "pipeline_runs",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    trigger = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    mode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    message = table.Column<string>(type: "text", nullable: true),
                    error = table.Column<string>(type: "text", nullable: true),
                    stats = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_pipeline_runs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "stops_matched",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    sloid = table.Column<string>(type: "text", nullable: true),
                    stop_type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    match_type = table.Column<string>(type: "text", nullable: true),
                    atlas_lat = table.Column<double>(type: "double precision", nullable: true),
                    atlas_lon = table.Column<double>(type: "double precision", nullable: true),
                    osm_node_id = table.Column<string>(type: "text", nullable: true),
                    osm_lat = table.Column<double>(type: "double precision", nullable: true),
                    osm_lon = table.Column<double>(type: "double precision", nullable: true),
                    distance_m = table.Column<double>(type: "double precision", nullable: true),
                    matching_notes = table.Column<string>(type: "text", nullable: true),
                    geom = table.Column<Point>(type: "geometry(Point,4326)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_stops_matched", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "problems",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    stop_id = table.Column<long>(type: "bigint", nullable: false),
                    problem_type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    priority = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_problems", x => x.id);
                    table.CheckConstraint("ck_problems_priority", "priority BETWEEN 1 AND 3");
                    table.ForeignKey(
                        name: "fk_problems_stops_matched_stop_id",
                        column: x => x.stop_id,
                        principalTable: "stops_matched",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_atlas_stops_atlas_business_org_abbr",
                table: "atlas_stops",
                column: "atlas_business_org_abbr");

            migrationBuilder.CreateIndex(
                name: "ix_atlas_stops_uic_ref",
                table: "atlas_stops",
                column: "uic_ref");

            migrationBuilder.CreateIndex(
                name: "ix_osm_nodes_uic_ref",
                table: "osm_nodes",
                column: "uic_ref");

            migrationBuilder.CreateIndex(
                name: "ix_pipeline_runs_started_at",
                table: "pipeline_runs",
                column: "started_at");

            migrationBuilder.CreateIndex(
                name: "ix_problems_priority",
                table: "problems",
                column: "priority");

            migrationBuilder.CreateIndex(
                name: "ix_problems_problem_type",
                table: "problems",
                column: "problem_type");

            migrationBuilder.CreateIndex(
                name: "ix_problems_stop_id",
                table: "problems",
                column: "stop_id");

            migrationBuilder.CreateIndex(
                name: "ix_stops_matched_distance_m",
                table: "stops_matched",
                column: "distance_m");

            migrationBuilder.CreateIndex(
                name: "ix_stops_matched_geom",
                table: "stops_matched",
                column: "geom")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_stops_matched_osm_node_id",
                table: "stops_matched",
                column: "osm_node_id");

            migrationBuilder.CreateIndex(
                name: "ix_stops_matched_sloid",
                table: "stops_matched",
                column: "sloid");

            migrationBuilder.CreateIndex(
                name: "ix_stops_matched_stop_type_match_type",
                table: "stops_matched",
                columns: new[] { "stop_type", "match_type" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "atlas_stops");

            migrationBuilder.DropTable(
                name: "dataset_publication");

            migrationBuilder.DropTable(
                name: "osm_nodes");

            migrationBuilder.DropTable(
                name: "pipeline_runs");

            migrationBuilder.DropTable(
                name: "problems");

            migrationBuilder.DropTable(
                name: "stops_matched");
        }
    }
}
