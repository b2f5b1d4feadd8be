using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using StopSync.Data.Entities;
using StopSync.Data.Review;
using StopSync.Data.Routes;

namespace StopSync.Data;

// Migrations: dotnet ef migrations add <Name> --project StopSync.Data --startup-project StopSync.Data. Only the
// migration bundle applies them; the web app and the jobs host never migrate.
public sealed class StopSyncDbContext(DbContextOptions<StopSyncDbContext> options) : IdentityDbContext<UserAccount>(options)
{
    public DbSet<AtlasStop> AtlasStops => Set<AtlasStop>();
    public DbSet<OsmNode> OsmNodes => Set<OsmNode>();
    public DbSet<OsmStop> OsmStops => Set<OsmStop>();
    public DbSet<OsmStopMember> OsmStopMembers => Set<OsmStopMember>();
    public DbSet<StopMatch> StopsMatched => Set<StopMatch>();
    public DbSet<Problem> Problems => Set<Problem>();
    public DbSet<DatasetPublication> DatasetPublications => Set<DatasetPublication>();
    public DbSet<PipelineRun> PipelineRuns => Set<PipelineRun>();
    public DbSet<LineFamily> LineFamilies => Set<LineFamily>();
    public DbSet<Itinerary> Itineraries => Set<Itinerary>();
    public DbSet<StopCall> StopCalls => Set<StopCall>();
    public DbSet<LineFamilyMatch> LineFamilyMatches => Set<LineFamilyMatch>();
    public DbSet<ItineraryMatch> ItineraryMatches => Set<ItineraryMatch>();
    public DbSet<GtfsStop> GtfsStops => Set<GtfsStop>();
    public DbSet<Decision> Decisions => Set<Decision>();
    public DbSet<DecisionEvent> DecisionEvents => Set<DecisionEvent>();
    public DbSet<History.PublicationHistoryEntry> PublicationHistory => Set<History.PublicationHistoryEntry>();
    public DbSet<History.PublicationStatistic> PublicationStatistics => Set<History.PublicationStatistic>();
    public DbSet<History.DataChange> DataChanges => Set<History.DataChange>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.HasPostgresExtension("postgis");
        builder.ApplyConfigurationsFromAssembly(typeof(StopSyncDbContext).Assembly);

        // Identity's tables go to the review schema with the project's names, out of reach of the publication swap.
        builder.Entity<UserAccount>().ToTable("accounts", ReviewSchema.Name);
        builder.Entity<IdentityRole>().ToTable("roles", ReviewSchema.Name);
        builder.Entity<IdentityUserRole<string>>().ToTable("account_roles", ReviewSchema.Name);
        builder.Entity<IdentityUserClaim<string>>().ToTable("account_claims", ReviewSchema.Name);
        builder.Entity<IdentityUserLogin<string>>().ToTable("account_logins", ReviewSchema.Name);
        builder.Entity<IdentityUserToken<string>>().ToTable("account_tokens", ReviewSchema.Name);
        builder.Entity<IdentityRoleClaim<string>>().ToTable("role_claims", ReviewSchema.Name);
    }
}
