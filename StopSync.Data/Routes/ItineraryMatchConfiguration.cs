using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace StopSync.Data.Routes;

internal sealed class ItineraryMatchConfiguration : IEntityTypeConfiguration<ItineraryMatch>
{
    public void Configure(EntityTypeBuilder<ItineraryMatch> builder)
    {
        builder.ToTable("itinerary_matches");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).ValueGeneratedNever();
        builder.Property(x => x.MatchReason).HasMaxLength(64);
        builder.HasIndex(x => new { x.AtlasItineraryId, x.OsmItineraryId }).IsUnique();
        builder.HasIndex(x => x.OsmItineraryId);
        builder.HasIndex(x => x.LineFamilyMatchId);
        builder.HasOne(x => x.LineFamilyMatch).WithMany().HasForeignKey(x => x.LineFamilyMatchId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(x => x.AtlasItinerary).WithMany().HasForeignKey(x => x.AtlasItineraryId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(x => x.OsmItinerary).WithMany().HasForeignKey(x => x.OsmItineraryId).OnDelete(DeleteBehavior.Cascade);
    }
}
