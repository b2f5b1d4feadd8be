using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace StopSync.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReviewMapColumns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "atlas_operator",
                table: "stops_matched",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "canton",
                table: "stops_matched",
                type: "character varying(2)",
                maxLength: 2,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "has_atlas_duplicate",
                table: "stops_matched",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "osm_group_kind",
                table: "stops_matched",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "osm_node_type",
                table: "stops_matched",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "osm_operator",
                table: "stops_matched",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<short>(
                name: "problem_priority",
                table: "stops_matched",
                type: "smallint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "canton",
                table: "osm_nodes",
                type: "character varying(2)",
                maxLength: 2,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "osm_user",
                table: "osm_nodes",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "timestamp",
                table: "osm_nodes",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "version",
                table: "osm_nodes",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "atlas_business_org_name",
                table: "atlas_stops",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "atlas_business_org_sboid",
                table: "atlas_stops",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "atlas_designation_operational",
                table: "atlas_stops",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "canton",
                table: "atlas_stops",
                type: "character varying(2)",
                maxLength: 2,
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "compass_direction",
                table: "atlas_stops",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "edition_date",
                table: "atlas_stops",
                type: "timestamp without time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "element_type",
                table: "atlas_stops",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "lv95_east",
                table: "atlas_stops",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "lv95_north",
                table: "atlas_stops",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "parent_service_point_sloid",
                table: "atlas_stops",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "valid_from",
                table: "atlas_stops",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "valid_to",
                table: "atlas_stops",
                type: "date",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_stops_matched_atlas_operator",
                table: "stops_matched",
                column: "atlas_operator");

            migrationBuilder.CreateIndex(
                name: "ix_stops_matched_canton",
                table: "stops_matched",
                column: "canton");

            migrationBuilder.CreateIndex(
                name: "ix_stops_matched_osm_operator",
                table: "stops_matched",
                column: "osm_operator");

            migrationBuilder.CreateIndex(
                name: "ix_stops_matched_problem_priority",
                table: "stops_matched",
                column: "problem_priority");

            migrationBuilder.CreateIndex(
                name: "ix_osm_nodes_operator",
                table: "osm_nodes",
                column: "operator");

            migrationBuilder.CreateIndex(
                name: "ix_atlas_stops_canton",
                table: "atlas_stops",
                column: "canton");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_stops_matched_atlas_operator",
                table: "stops_matched");

            migrationBuilder.DropIndex(
                name: "ix_stops_matched_canton",
                table: "stops_matched");

            migrationBuilder.DropIndex(
                name: "ix_stops_matched_osm_operator",
                table: "stops_matched");

            migrationBuilder.DropIndex(
                name: "ix_stops_matched_problem_priority",
                table: "stops_matched");

            migrationBuilder.DropIndex(
                name: "ix_osm_nodes_operator",
                table: "osm_nodes");

            migrationBuilder.DropIndex(
                name: "ix_atlas_stops_canton",
                table: "atlas_stops");

            migrationBuilder.DropColumn(
                name: "atlas_operator",
                table: "stops_matched");

            migrationBuilder.DropColumn(
                name: "canton",
                table: "stops_matched");

            migrationBuilder.DropColumn(
                name: "has_atlas_duplicate",
                table: "stops_matched");

            migrationBuilder.DropColumn(
                name: "osm_group_kind",
                table: "stops_matched");

            migrationBuilder.DropColumn(
                name: "osm_node_type",
                table: "stops_matched");

            migrationBuilder.DropColumn(
                name: "osm_operator",
                table: "stops_matched");

            migrationBuilder.DropColumn(
                name: "problem_priority",
                table: "stops_matched");

            migrationBuilder.DropColumn(
                name: "canton",
                table: "osm_nodes");

            migrationBuilder.DropColumn(
                name: "osm_user",
                table: "osm_nodes");

            migrationBuilder.DropColumn(
                name: "timestamp",
                table: "osm_nodes");

            migrationBuilder.DropColumn(
                name: "version",
                table: "osm_nodes");

            migrationBuilder.DropColumn(
                name: "atlas_business_org_name",
                table: "atlas_stops");

            migrationBuilder.DropColumn(
                name: "atlas_business_org_sboid",
                table: "atlas_stops");

            migrationBuilder.DropColumn(
                name: "atlas_designation_operational",
                table: "atlas_stops");

            migrationBuilder.DropColumn(
                name: "canton",
                table: "atlas_stops");

            migrationBuilder.DropColumn(
                name: "compass_direction",
                table: "atlas_stops");

            migrationBuilder.DropColumn(
                name: "edition_date",
                table: "atlas_stops");

            migrationBuilder.DropColumn(
                name: "element_type",
                table: "atlas_stops");

            migrationBuilder.DropColumn(
                name: "lv95_east",
                table: "atlas_stops");

            migrationBuilder.DropColumn(
                name: "lv95_north",
                table: "atlas_stops");

            migrationBuilder.DropColumn(
                name: "parent_service_point_sloid",
                table: "atlas_stops");

            migrationBuilder.DropColumn(
                name: "valid_from",
                table: "atlas_stops");

            migrationBuilder.DropColumn(
                name: "valid_to",
                table: "atlas_stops");
        }
    }
}
