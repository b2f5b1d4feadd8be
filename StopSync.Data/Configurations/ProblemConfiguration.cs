using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StopSync.Data.Entities;

namespace StopSync.Data.Configurations;

internal sealed class ProblemConfiguration : IEntityTypeConfiguration<Problem>
{
    public void Configure(EntityTypeBuilder<Problem> builder)
    {
        builder.ToTable("problems", t => t.HasCheckConstraint("ck_problems_priority", "priority BETWEEN 1 AND 3"));
        builder.HasKey(x => x.Id);
        builder.Property(x => x.ProblemType).HasMaxLength(64);
        builder.HasIndex(x => x.ProblemType);
        builder.HasIndex(x => x.StopId);
        builder.HasIndex(x => x.Priority);
        builder.HasIndex(x => x.ProblemKey);
        builder.Property(x => x.ProblemKey).HasMaxLength(64);
        builder.Property(x => x.Evidence).HasColumnType("jsonb");
    }
}
