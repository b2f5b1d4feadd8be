using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StopSync.Data.Entities;

namespace StopSync.Data.Configurations;

internal sealed class OsmNodeConfiguration : IEntityTypeConfiguration<OsmNode>
{
    public void Configure(EntityTypeBuilder<OsmNode> builder)
    {
        builder.ToTable("osm_nodes");
        builder.HasKey(x => x.OsmNodeId);
        builder.Property(x => x.ElementType).HasMaxLength(8);
        builder.Property(x => x.Tags).HasColumnType("jsonb");
        builder.Property(x => x.User).HasColumnName("osm_user");
        builder.Property(x => x.Canton).HasMaxLength(2);
        builder.HasIndex(x => x.UicRef);
        builder.HasIndex(x => x.Operator);
    }
}
