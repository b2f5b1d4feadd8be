using Microsoft.EntityFrameworkCore;
using StopSync.Data.Entities;

namespace StopSync.Data;

// Migrations: dotnet ef migrations add <Name> --project StopSync.Data --startup-project StopSync.Data. Only the
// migration bundle applies them; the web app and the jobs host never migrate.
public sealed class StopSyncDbContext(DbContextOptions<StopSyncDbContext> options) : DbContext(options)
{
    public DbSet<AtlasStop> AtlasStops => Set<AtlasStop>();
    public DbSet<OsmNode> OsmNodes => Set<OsmNode>();
    public DbSet<OsmStop> OsmStops => Set<OsmStop>();
    public DbSet<OsmStopMember> OsmStopMembers => Set<OsmStopMember>();
    public DbSet<StopMatch> StopsMatched => Set<StopMatch>();
    public DbSet<Problem> Problems => Set<Problem>();
    public DbSet<DatasetPublication> DatasetPublications => Set<DatasetPublication>();
    public DbSet<PipelineRun> PipelineRuns => Set<PipelineRun>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasPostgresExtension("postgis");
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(StopSyncDbContext).Assembly);
    }
}
