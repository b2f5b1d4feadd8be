using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace StopSync.Data.Routes;

internal sealed class LineFamilyMatchConfiguration : IEntityTypeConfiguration<LineFamilyMatch>
{
    public void Configure(EntityTypeBuilder<LineFamilyMatch> builder)
    {
        builder.ToTable("line_family_matches");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).ValueGeneratedNever();
        builder.Property(x => x.MatchMethod).HasMaxLength(32);
        builder.HasIndex(x => new { x.AtlasLineFamilyId, x.OsmLineFamilyId }).IsUnique();
        builder.HasIndex(x => x.OsmLineFamilyId);
        builder.HasOne(x => x.AtlasLineFamily).WithMany().HasForeignKey(x => x.AtlasLineFamilyId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(x => x.OsmLineFamily).WithMany().HasForeignKey(x => x.OsmLineFamilyId).OnDelete(DeleteBehavior.Cascade);
    }
}
