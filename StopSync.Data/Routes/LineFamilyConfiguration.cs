using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace StopSync.Data.Routes;

internal sealed class LineFamilyConfiguration : IEntityTypeConfiguration<LineFamily>
{
    public void Configure(EntityTypeBuilder<LineFamily> builder)
    {
        builder.ToTable("line_families", t => t.HasCheckConstraint("ck_line_families_source", "source IN ('atlas', 'osm')"));
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).ValueGeneratedNever();
        builder.Property(x => x.Source).HasMaxLength(8);
        builder.Property(x => x.FamilyOrigin).HasMaxLength(32);
        builder.Property(x => x.Mode).HasMaxLength(16);
        builder.HasIndex(x => new { x.Source, x.SourceFamilyId }).IsUnique();
        builder.HasIndex(x => x.DisplayRouteId);
        builder.HasIndex(x => x.GtfsRouteId);
        builder.HasIndex(x => x.NormalizedRouteId);
        builder.HasIndex(x => x.Operator);
        builder.HasIndex(x => x.MatchedFamilyId);
        builder.HasMany(x => x.Itineraries).WithOne(x => x.LineFamily).HasForeignKey(x => x.LineFamilyId).OnDelete(DeleteBehavior.Cascade);
    }
}
