using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StopSync.Data.Review;

namespace StopSync.Data.Configurations;

internal sealed class DecisionConfiguration : IEntityTypeConfiguration<Decision>
{
    public void Configure(EntityTypeBuilder<Decision> builder)
    {
        builder.ToTable("decisions", ReviewSchema.Name, t =>
        {
            t.HasCheckConstraint("ck_decisions_kind", "kind IN ('osm_wrong', 'atlas_wrong', 'not_a_problem', 'not_same_stop', 'same_stop')");
            t.HasCheckConstraint("ck_decisions_state", "state IN ('decided', 'needs_another_look', 'resolved_by_data')");
        });
        builder.HasKey(x => x.Id);
        builder.HasIndex(x => x.ProblemKey).IsUnique();
        builder.HasIndex(x => x.State);
        builder.HasIndex(x => x.Kind);
        builder.HasIndex(x => x.AtlasOperator);
        builder.Property(x => x.ProblemKey).HasMaxLength(64);
        builder.Property(x => x.ProblemType).HasMaxLength(64);
        builder.Property(x => x.Kind).HasMaxLength(32);
        builder.Property(x => x.State).HasMaxLength(32);
        builder.Property(x => x.Note).HasMaxLength(4000);
        builder.Property(x => x.ChosenValues).HasColumnType("jsonb");
        builder.Property(x => x.Evidence).HasColumnType("jsonb");
        builder.Property(x => x.CurrentEvidence).HasColumnType("jsonb");
        builder.Property(x => x.Revision).IsConcurrencyToken();
    }
}

internal sealed class DecisionEventConfiguration : IEntityTypeConfiguration<DecisionEvent>
{
    public void Configure(EntityTypeBuilder<DecisionEvent> builder)
    {
        builder.ToTable("decision_events", ReviewSchema.Name);
        builder.HasKey(x => x.Id);
        builder.HasIndex(x => x.ProblemKey);
        builder.HasIndex(x => x.DecisionId);
        builder.HasIndex(x => x.At);
        builder.Property(x => x.ProblemKey).HasMaxLength(64);
        builder.Property(x => x.Action).HasMaxLength(32);
        builder.Property(x => x.Kind).HasMaxLength(32);
        builder.Property(x => x.State).HasMaxLength(32);
        builder.Property(x => x.Note).HasMaxLength(4000);
        builder.Property(x => x.ChosenValues).HasColumnType("jsonb");
        builder.Property(x => x.Evidence).HasColumnType("jsonb");
    }
}
