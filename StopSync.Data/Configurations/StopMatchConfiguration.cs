using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StopSync.Data.Entities;
using StopSync.Data.Geo;

namespace StopSync.Data.Configurations;

internal sealed class StopMatchConfiguration : IEntityTypeConfiguration<StopMatch>
{
    public void Configure(EntityTypeBuilder<StopMatch> builder)
    {
        builder.ToTable("stops_matched");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.StopType).HasMaxLength(32);
        builder.Property(x => x.Geom).HasColumnType($"geometry(Point,{Srid.Wgs84})");
        builder.HasIndex(x => x.Geom).HasMethod("gist");
        builder.HasIndex(x => new { x.StopType, x.MatchType });
        builder.HasIndex(x => x.DistanceM);
        builder.HasIndex(x => x.Sloid);
        builder.HasIndex(x => x.OsmNodeId);
        builder.Property(x => x.Canton).HasMaxLength(2);
        builder.HasIndex(x => x.Canton);
        builder.HasIndex(x => x.AtlasOperator);
        builder.HasIndex(x => x.OsmOperator);
        builder.HasIndex(x => x.ProblemPriority);
        builder.HasMany(x => x.Problems).WithOne(x => x.Stop).HasForeignKey(x => x.StopId).OnDelete(DeleteBehavior.Cascade);
    }
}
