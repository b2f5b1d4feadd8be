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
    public static IServiceCollection AddStopSyncData(this IServiceCollection services)
    {
        // Read when first needed, so that hosts (and test factories) may still change configuration after registration.
        services.AddSingleton(sp => CreateDataSource(
            sp.GetRequiredService<IConfiguration>().GetConnectionString(ConnectionStringName)
            ?? throw new InvalidOperationException(
                $"Connection string '{ConnectionStringName}' is missing: set ConnectionStrings__{ConnectionStringName}.")));
        // The factory also registers the context itself as a scoped service, for pages and endpoints.
        services.AddDbContextFactory<StopSyncDbContext>(
            (sp, options) => Configure(options, sp.GetRequiredService<NpgsqlDataSource>()), ServiceLifetime.Scoped);
        return services;
    }

    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.UseNetTopologySuite();
        return builder.Build();
    }

    internal static void Configure(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, o => o.UseNetTopologySuite()).UseSnakeCaseNamingConvention();

    private static void Configure(DbContextOptionsBuilder options, NpgsqlDataSource dataSource) =>
        options.UseNpgsql(dataSource, o => o.UseNetTopologySuite()).UseSnakeCaseNamingConvention();
}
