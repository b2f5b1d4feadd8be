using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StopSync.Data.Entities;

namespace StopSync.Data.Configurations;

internal sealed class OsmStopMemberConfiguration : IEntityTypeConfiguration<OsmStopMember>
{
    public void Configure(EntityTypeBuilder<OsmStopMember> builder)
    {
        builder.ToTable("osm_stop_members", t => t.HasCheckConstraint(
            "ck_osm_stop_members_member_role", "member_role IN ('single', 'pair_a', 'pair_b', 'trio_middle', 'trio_side')"));
        builder.HasKey(x => new { x.OsmStopId, x.NodeId });
        builder.Property(x => x.MemberRole).HasMaxLength(16);
        builder.HasOne<OsmNode>().WithMany().HasForeignKey(x => x.NodeId).OnDelete(DeleteBehavior.Cascade);
        // Each OSM element is in exactly one stop.
        builder.HasIndex(x => x.NodeId).IsUnique();
    }
}
