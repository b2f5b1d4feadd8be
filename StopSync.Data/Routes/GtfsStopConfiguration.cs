using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StopSync.Data.Geo;

namespace StopSync.Data.Routes;

internal sealed class GtfsStopConfiguration : IEntityTypeConfiguration<GtfsStop>
{
    public void Configure(EntityTypeBuilder<GtfsStop> builder)
    {
        builder.ToTable("gtfs_stops");
        builder.HasKey(x => x.StopId);
        builder.Property(x => x.Geom).HasColumnType($"geometry(Point,{Srid.Wgs84})");
        builder.HasIndex(x => x.Geom).HasMethod("gist");
        builder.Property(x => x.IdentityLevel).HasMaxLength(16);
        builder.Property(x => x.ResolutionMethod).HasMaxLength(32);
        builder.HasIndex(x => x.ResolutionMethod);
        builder.HasIndex(x => x.ResolvedSloid);
        builder.HasIndex(x => x.UicNumber);
    }
}
