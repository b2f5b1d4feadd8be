using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace StopSync.Data.Migrations
{
    /// <inheritdoc />
    public partial class StopUnitsAndDuplicateGroups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "duplicate_group_sloids",
                table: "atlas_stops",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "representative_sloid",
                table: "atlas_stops",
                type: "text",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "osm_stops",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false),
                    stop_kind = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    group_kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    representative_node_id = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_osm_stops", x => x.id);
                    table.CheckConstraint("ck_osm_stops_group_kind", "group_kind IS NULL OR group_kind IN ('osm_pair_uic', 'osm_pair_uic_equal_15m', 'osm_pair_name', 'osm_pair_name_equal_15m', 'osm_pair_tram', 'osm_pair_tram_equal_15m', 'osm_trio')");
                    table.CheckConstraint("ck_osm_stops_stop_kind", "stop_kind IN ('single', 'pair', 'trio')");
                    table.ForeignKey(
                        name: "fk_osm_stops_osm_nodes_representative_node_id",
                        column: x => x.representative_node_id,
                        principalTable: "osm_nodes",
                        principalColumn: "osm_node_id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "osm_stop_members",
                columns: table => new
                {
                    osm_stop_id = table.Column<long>(type: "bigint", nullable: false),
                    node_id = table.Column<string>(type: "text", nullable: false),
                    member_role = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_osm_stop_members", x => new { x.osm_stop_id, x.node_id });
                    table.CheckConstraint("ck_osm_stop_members_member_role", "member_role IN ('single', 'pair_a', 'pair_b', 'trio_middle', 'trio_side')");
                    table.ForeignKey(
                        name: "fk_osm_stop_members_osm_nodes_node_id",
                        column: x => x.node_id,
                        principalTable: "osm_nodes",
                        principalColumn: "osm_node_id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_osm_stop_members_osm_stops_osm_stop_id",
                        column: x => x.osm_stop_id,
                        principalTable: "osm_stops",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_atlas_stops_representative_sloid",
                table: "atlas_stops",
                column: "representative_sloid");

            migrationBuilder.CreateIndex(
                name: "ix_osm_stop_members_node_id",
                table: "osm_stop_members",
                column: "node_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_osm_stops_group_kind",
                table: "osm_stops",
                column: "group_kind");

            migrationBuilder.CreateIndex(
                name: "ix_osm_stops_representative_node_id",
                table: "osm_stops",
                column: "representative_node_id");

            migrationBuilder.CreateIndex(
                name: "ix_osm_stops_stop_kind",
                table: "osm_stops",
                column: "stop_kind");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "osm_stop_members");

            migrationBuilder.DropTable(
                name: "osm_stops");

            migrationBuilder.DropIndex(
                name: "ix_atlas_stops_representative_sloid",
                table: "atlas_stops");

            migrationBuilder.DropColumn(
                name: "duplicate_group_sloids",
                table: "atlas_stops");

            migrationBuilder.DropColumn(
                name: "representative_sloid",
                table: "atlas_stops");
        }
    }
}
