using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace StopSync.Data;

/// <summary>Lets <c>dotnet ef</c> build the context with StopSync.Data as its own startup project.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<StopSyncDbContext>
{
    public StopSyncDbContext CreateDbContext(string[] args)
    {
        var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__StopSync")
            ?? DataServiceCollectionExtensions.DefaultConnectionString;
        var options = new DbContextOptionsBuilder<StopSyncDbContext>();
        DataServiceCollectionExtensions.Configure(options, connectionString);
        return new StopSyncDbContext(options.Options);
    }
}
