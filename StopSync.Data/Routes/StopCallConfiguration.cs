using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace StopSync.Data.Routes;

internal sealed class StopCallConfiguration : IEntityTypeConfiguration<StopCall>
{
    public void Configure(EntityTypeBuilder<StopCall> builder)
    {
        builder.ToTable("stop_calls");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).ValueGeneratedNever();
        builder.HasIndex(x => new { x.ItineraryId, x.StopSequence }).IsUnique();
        // "Lines calling here" on the stop card looks calls up by either side's stop.
        builder.HasIndex(x => x.Sloid);
        builder.HasIndex(x => x.OsmNodeId);
        builder.HasIndex(x => x.UicRef);
    }
}
