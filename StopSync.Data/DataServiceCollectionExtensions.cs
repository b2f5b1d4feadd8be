using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace StopSync.Data;

public static class DataServiceCollectionExtensions
{
    public const string ConnectionStringName = "StopSync";
    public const string DefaultConnectionString = "Host=127.0.0.1;Port=5432;Database=stopsync;Username=stopsync;Password=stopsync";

    // One NTS-enabled data source, shared by EF and the publisher's binary COPY.
    public static IServiceCollection AddStopSyncData(this IServiceCollection services, DataSourceRole role = DataSourceRole.Pipeline)
    {
        // Read when first needed, so that hosts (and test factories) may still change configuration after registration.
        services.AddSingleton(sp => CreateDataSource(
            sp.GetRequiredService<IConfiguration>().GetConnectionString(ConnectionStringName)
            ?? throw new InvalidOperationException(
                $"Connection string '{ConnectionStringName}' is missing: set ConnectionStrings__{ConnectionStringName}."), role));
        // The factory also registers the context itself as a scoped service, for pages and endpoints.
        services.AddDbContextFactory<StopSyncDbContext>(
            (sp, options) => Configure(options, sp.GetRequiredService<NpgsqlDataSource>()), ServiceLifetime.Scoped);
        return services;
    }

    public static NpgsqlDataSource CreateDataSource(string connectionString, DataSourceRole role = DataSourceRole.Pipeline)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (role == DataSourceRole.Site)
        {
            // The site's queries read a few hundred rows each, many at once. A parallel plan pays for starting its
            // workers on every request (a zoom-15 viewport took 78 ms with two workers, 5 ms without) and takes the
            // cores the other requests need (docs/05-api.md, "Performance").
            builder.ConnectionStringBuilder.Options = $"{builder.ConnectionStringBuilder.Options} -c max_parallel_workers_per_gather=0".Trim();
        }

        builder.UseNetTopologySuite();
        return builder.Build();
    }

    internal static void Configure(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, o => o.UseNetTopologySuite()).UseSnakeCaseNamingConvention();

    private static void Configure(DbContextOptionsBuilder options, NpgsqlDataSource dataSource) =>
        options.UseNpgsql(dataSource, o => o.UseNetTopologySuite()).UseSnakeCaseNamingConvention();
}

/// <summary>Who uses a data source: the pipeline (few large statements) or the site (many small ones).</summary>
public enum DataSourceRole
{
    Pipeline,
    Site,
}
