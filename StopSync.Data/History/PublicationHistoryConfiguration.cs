using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace StopSync.Data.History;

internal sealed class PublicationHistoryConfiguration : IEntityTypeConfiguration<PublicationHistoryEntry>
{
    public void Configure(EntityTypeBuilder<PublicationHistoryEntry> builder)
    {
        builder.ToTable("publication_history");
        builder.HasKey(x => x.RunId);
        builder.Property(x => x.RunId).ValueGeneratedNever();
        builder.Property(x => x.EngineVersion).HasMaxLength(64);
        builder.Property(x => x.ChangeCounts).HasColumnType("jsonb");
        builder.HasIndex(x => x.PublishedAt);
        builder.HasMany(x => x.Statistics).WithOne(x => x.Publication).HasForeignKey(x => x.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
