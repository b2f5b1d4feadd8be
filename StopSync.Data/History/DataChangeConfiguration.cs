using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace StopSync.Data.History;

internal sealed class DataChangeConfiguration : IEntityTypeConfiguration<DataChange>
{
    public void Configure(EntityTypeBuilder<DataChange> builder)
    {
        builder.ToTable("data_changes");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.ChangeType).HasMaxLength(32);
        builder.Property(x => x.Cause).HasMaxLength(16);
        builder.Property(x => x.ProblemType).HasMaxLength(64);
        builder.Property(x => x.ProblemKey).HasMaxLength(64);
        builder.Property(x => x.Before).HasColumnType("jsonb");
        builder.Property(x => x.After).HasColumnType("jsonb");
        builder.HasOne<PublicationHistoryEntry>().WithMany().HasForeignKey(x => x.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(x => new { x.RunId, x.ChangeType });
        builder.HasIndex(x => new { x.RunId, x.Sloid });
        builder.HasIndex(x => new { x.RunId, x.OsmNodeId });
        builder.HasIndex(x => new { x.AtlasOperator, x.RunId });
        builder.HasIndex(x => new { x.Canton, x.RunId });
    }
}
