using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StopSync.Data.Entities;

namespace StopSync.Data.Configurations;

internal sealed class DatasetPublicationConfiguration : IEntityTypeConfiguration<DatasetPublication>
{
    public void Configure(EntityTypeBuilder<DatasetPublication> builder)
    {
        builder.ToTable("dataset_publication", t => t.HasCheckConstraint("ck_dataset_publication_singleton", "id = 1"));
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).ValueGeneratedNever();
        builder.Property(x => x.Manifest).HasColumnType("jsonb");
    }
}
