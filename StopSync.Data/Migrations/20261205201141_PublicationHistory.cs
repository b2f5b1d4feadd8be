using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace StopSync.Data.Migrations
{
    /// <inheritdoc />
    public partial class PublicationHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "publication_history",
                columns: table => new
                {
                    run_id = table.Column<Guid>(type: "uuid", nullable: false),
                    previous_run_id = table.Column<Guid>(type: "uuid", nullable: true),
                    bundle_run_id = table.Column<Guid>(type: "uuid", nullable: false),
                    generated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    engine_version = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    no_comparison_reason = table.Column<string>(type: "text", nullable: true),
                    change_counts = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_publication_history", x => x.run_id);
                });

            migrationBuilder.CreateTable(
                name: "data_changes",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    run_id = table.Column<Guid>(type: "uuid", nullable: false),
                    change_type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    cause = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    sloid = table.Column<string>(type: "text", nullable: true),
                    osm_node_id = table.Column<string>(type: "text", nullable: true),
                    problem_type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    problem_key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    atlas_operator = table.Column<string>(type: "text", nullable: true),
                    canton = table.Column<string>(type: "text", nullable: true),
                    lat = table.Column<double>(type: "double precision", nullable: true),
                    lon = table.Column<double>(type: "double precision", nullable: true),
                    name = table.Column<string>(type: "text", nullable: true),
                    before = table.Column<string>(type: "jsonb", nullable: true),
                    after = table.Column<string>(type: "jsonb", nullable: true),
                    osm_version = table.Column<int>(type: "integer", nullable: true),
                    osm_timestamp = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    osm_user = table.Column<string>(type: "text", nullable: true),
                    atlas_edition_date = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_data_changes", x => x.id);
                    table.ForeignKey(
                        name: "fk_data_changes_publication_history_run_id",
                        column: x => x.run_id,
                        principalTable: "publication_history",
                        principalColumn: "run_id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "publication_statistics",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    run_id = table.Column<Guid>(type: "uuid", nullable: false),
                    scope_kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    scope_key = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    scope_name = table.Column<string>(type: "text", nullable: true),
                    atlas_platforms = table.Column<int>(type: "integer", nullable: false),
                    atlas_matched = table.Column<int>(type: "integer", nullable: false),
                    atlas_effectively_matched = table.Column<int>(type: "integer", nullable: false),
                    atlas_unmatched = table.Column<int>(type: "integer", nullable: false),
                    osm_nodes = table.Column<int>(type: "integer", nullable: false),
                    osm_matched = table.Column<int>(type: "integer", nullable: false),
                    osm_unmatched = table.Column<int>(type: "integer", nullable: false),
                    problems = table.Column<int>(type: "integer", nullable: false),
                    problems_p1 = table.Column<int>(type: "integer", nullable: false),
                    problems_p2 = table.Column<int>(type: "integer", nullable: false),
                    problems_p3 = table.Column<int>(type: "integer", nullable: false),
                    details = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_publication_statistics", x => x.id);
                    table.CheckConstraint("ck_publication_statistics_scope_kind", "scope_kind IN ('all', 'operator', 'canton')");
                    table.ForeignKey(
                        name: "fk_publication_statistics_publication_history_run_id",
                        column: x => x.run_id,
                        principalTable: "publication_history",
                        principalColumn: "run_id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_data_changes_atlas_operator_run_id",
                table: "data_changes",
                columns: new[] { "atlas_operator", "run_id" });

            migrationBuilder.CreateIndex(
                name: "ix_data_changes_canton_run_id",
                table: "data_changes",
                columns: new[] { "canton", "run_id" });

            migrationBuilder.CreateIndex(
                name: "ix_data_changes_run_id_change_type",
                table: "data_changes",
                columns: new[] { "run_id", "change_type" });

            migrationBuilder.CreateIndex(
                name: "ix_data_changes_run_id_osm_node_id",
                table: "data_changes",
                columns: new[] { "run_id", "osm_node_id" });

            migrationBuilder.CreateIndex(
                name: "ix_data_changes_run_id_sloid",
                table: "data_changes",
                columns: new[] { "run_id", "sloid" });

            migrationBuilder.CreateIndex(
                name: "ix_publication_history_published_at",
                table: "publication_history",
                column: "published_at");

            migrationBuilder.CreateIndex(
                name: "ix_publication_statistics_run_id_scope_kind_scope_key",
                table: "publication_statistics",
                columns: new[] { "run_id", "scope_kind", "scope_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_publication_statistics_scope_kind_scope_key",
                table: "publication_statistics",
                columns: new[] { "scope_kind", "scope_key" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "data_changes");

            migrationBuilder.DropTable(
                name: "publication_statistics");

            migrationBuilder.DropTable(
                name: "publication_history");
        }
    }
}
