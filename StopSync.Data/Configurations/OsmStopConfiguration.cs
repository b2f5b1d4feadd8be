using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StopSync.Data.Entities;

namespace StopSync.Data.Configurations;

internal sealed class OsmStopConfiguration : IEntityTypeConfiguration<OsmStop>
{
    public void Configure(EntityTypeBuilder<OsmStop> builder)
    {
        builder.ToTable("osm_stops", t =>
        {
            t.HasCheckConstraint("ck_osm_stops_stop_kind", "stop_kind IN ('single', 'pair', 'trio')");
            t.HasCheckConstraint("ck_osm_stops_group_kind",
                "group_kind IS NULL OR group_kind IN ('osm_pair_uic', 'osm_pair_uic_equal_15m', 'osm_pair_name', 'osm_pair_name_equal_15m', "
                + "'osm_pair_tram', 'osm_pair_tram_equal_15m', 'osm_trio')");
        });
        builder.HasKey(x => x.Id);
        // The publisher assigns the ids, so members can point at their stop without a round trip.
        builder.Property(x => x.Id).ValueGeneratedNever();
        builder.Property(x => x.StopKind).HasMaxLength(8);
        builder.Property(x => x.GroupKind).HasMaxLength(32);
        builder.HasOne<OsmNode>().WithMany().HasForeignKey(x => x.RepresentativeNodeId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(x => x.Members).WithOne().HasForeignKey(m => m.OsmStopId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(x => x.StopKind);
        builder.HasIndex(x => x.GroupKind);
        builder.HasIndex(x => x.RepresentativeNodeId);
    }
}
