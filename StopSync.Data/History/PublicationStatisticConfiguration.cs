using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace StopSync.Data.History;

internal sealed class PublicationStatisticConfiguration : IEntityTypeConfiguration<PublicationStatistic>
{
    public void Configure(EntityTypeBuilder<PublicationStatistic> builder)
    {
        builder.ToTable("publication_statistics", t =>
            t.HasCheckConstraint("ck_publication_statistics_scope_kind", "scope_kind IN ('all', 'operator', 'canton')"));
        builder.HasKey(x => x.Id);
        builder.Property(x => x.ScopeKind).HasMaxLength(16);
        builder.Property(x => x.ScopeKey).HasMaxLength(128);
        builder.Property(x => x.Details).HasColumnType("jsonb");
        builder.HasIndex(x => new { x.RunId, x.ScopeKind, x.ScopeKey }).IsUnique();
        // Trends of one scope across runs.
        builder.HasIndex(x => new { x.ScopeKind, x.ScopeKey });
    }
}
