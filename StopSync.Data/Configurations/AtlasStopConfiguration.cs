using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StopSync.Data.Entities;

namespace StopSync.Data.Configurations;

internal sealed class AtlasStopConfiguration : IEntityTypeConfiguration<AtlasStop>
{
    public void Configure(EntityTypeBuilder<AtlasStop> builder)
    {
        builder.ToTable("atlas_stops");
        builder.HasKey(x => x.Sloid);
        builder.Property(x => x.Designation).HasColumnName("atlas_designation");
        builder.Property(x => x.DesignationOfficial).HasColumnName("atlas_designation_official");
        builder.Property(x => x.BusinessOrgAbbr).HasColumnName("atlas_business_org_abbr");
        builder.Property(x => x.BusinessOrgName).HasColumnName("atlas_business_org_name");
        builder.Property(x => x.BusinessOrgSboid).HasColumnName("atlas_business_org_sboid");
        builder.Property(x => x.DesignationOperational).HasColumnName("atlas_designation_operational");
        builder.Property(x => x.Lv95East).HasColumnName("lv95_east");
        builder.Property(x => x.Lv95North).HasColumnName("lv95_north");
        builder.Property(x => x.EditionDate).HasColumnType("timestamp without time zone");
        builder.Property(x => x.Canton).HasMaxLength(2);
        builder.HasIndex(x => x.UicRef);
        builder.HasIndex(x => x.Canton);
        builder.HasIndex(x => x.BusinessOrgAbbr);
        builder.Property(x => x.DuplicateGroupSloids).HasColumnType("jsonb");
        builder.HasIndex(x => x.RepresentativeSloid);
    }
}
