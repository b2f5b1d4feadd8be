using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace StopSync.Data.Routes;

internal sealed class ItineraryConfiguration : IEntityTypeConfiguration<Itinerary>
{
    public void Configure(EntityTypeBuilder<Itinerary> builder)
    {
        builder.ToTable("itineraries");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).ValueGeneratedNever();
        builder.Property(x => x.Source).HasMaxLength(8);
        builder.Property(x => x.DirectionId).HasMaxLength(1);
        builder.HasIndex(x => new { x.Source, x.SourceItineraryId }).IsUnique();
        builder.HasIndex(x => x.LineFamilyId);
        builder.HasIndex(x => x.RelationId);
        builder.HasMany(x => x.StopCalls).WithOne(x => x.Itinerary).HasForeignKey(x => x.ItineraryId).OnDelete(DeleteBehavior.Cascade);
    }
}
