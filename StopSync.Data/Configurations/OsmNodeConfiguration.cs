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
        builder.HasIndex(x => x.UicRef);
    }
}
