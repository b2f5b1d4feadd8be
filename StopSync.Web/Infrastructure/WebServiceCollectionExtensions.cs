using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using StopSync.Data;
using StopSync.Data.Hosting;
using StopSync.Data.Review;
using StopSync.Web.Accounts;
using StopSync.Web.Pages.Data;
using StopSync.Web.Pages.Data.Changes;
using StopSync.Web.Pages.Docs;
using StopSync.Web.Pages.Health;
using StopSync.Web.Pages.Map;
using StopSync.Web.Pages.Map.Search;
using StopSync.Web.Pages.Map.StopCard;
using StopSync.Web.Pages.Operators;
using StopSync.Web.Pages.Problems;
using StopSync.Web.Pages.Problems.Decisions;
using StopSync.Web.Pages.Problems.Exports;
using StopSync.Web.Pages.Routes;
using StopSync.Web.Pages.Routes.GtfsStops;
using StopSync.Web.Pages.Site;
using StopSync.Web.Pages.SystemStatus;

namespace StopSync.Web.Infrastructure;

public static class WebServiceCollectionExtensions
{
    private const string DefaultDataProtectionKey = "stopsync:data-protection-keys";

    public static IServiceCollection AddStopSyncWeb(this IServiceCollection services)
    {
        services.AddStopSyncData(DataSourceRole.Site);
        services.AddStopSyncRedis();
        // The web process is a Hangfire client and hosts the dashboard; the jobs host runs the server.
        services.AddStopSyncHangfire();
        services.AddStopSyncTransport();
        services.AddStopSyncErrorResponses();

        services.AddOptions<MapOptions>().BindConfiguration(MapOptions.SectionName);
        services.AddOptions<DocsOptions>().BindConfiguration(DocsOptions.SectionName);
        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.SectionName);
        services.AddSingleton<DocsCatalog>();
        services.AddScoped<MapQueries>();
        services.AddSingleton<ReviewMapQueries>();
        services.AddSingleton<PublishedDataCache>();
        services.AddSingleton<StopUnitPartners>();
        services.AddStopSyncApiRateLimits();
        services.AddStopSyncApiDocumentation();
        services.AddSingleton<StopCardQueries>();
        services.AddSingleton<SearchQueries>();
        services.AddStopSyncAccounts();
        services.AddProblemQueue();
        services.AddDecisions();
        services.AddFixExports();
        services.AddRoutePages();
        services.AddGtfsStops();
        services.AddSite();
        services.AddAnalyticsPage();
        services.AddOwnerPages();
        services.AddChangesPages();
        services.AddDataExports();

        // One casing for every JSON answer of the site: snake_case, as the status document and the run statistics.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower);
        services.AddRazorPages(o =>
        {
            o.Conventions.AddPageRoute("/Map/Index", "map");
        });
        // Sign-in cookies and antiforgery tokens must survive restarts and be readable by every app replica.
        services.AddDataProtection().SetApplicationName("StopSync");
        services.AddOptions<KeyManagementOptions>().Configure<IConnectionMultiplexer, IConfiguration>((o, redis, configuration) =>
            o.XmlRepository = new RedisXmlRepository(
                () => redis.GetDatabase(), configuration["DataProtection:RedisKey"] ?? DefaultDataProtectionKey));
        // Sign-in (Identity and its cookie) comes with AddStopSyncAccounts above.
        services.AddAuthorization(o =>
        {
            o.AddPolicy(AdminPolicy.Name, p => p.RequireRole(AccountRoles.Admin));
            o.AddPolicy(AccountPolicies.Reviewer, p => p.RequireRole(AccountPolicies.ReviewerRoles));
        });
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(AdminPolicy.SignInRateLimit, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = http.RequestServices.GetRequiredService<IOptions<AdminOptions>>().Value.SignInRequestsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                }));
        });

        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
            .AddCheck<RedisHealthCheck>("redis", tags: ["ready"]);
        return services;
    }

    public static WebApplication UseStopSyncWeb(this WebApplication app)
    {
        app.UseRobotsHeader();
        app.UseStopSyncTransport(app.Environment);
        app.UseStopSyncErrorResponses(app.Environment);
        app.UseStopSyncApiCompression();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseRouteApiGuard();
        app.MapStaticAssets();
        app.MapRazorPages().WithStaticAssets();
        app.MapMapEndpoints();
        app.MapOpenApi(ApiDocumentation.DocumentPath);
        app.MapStopCardEndpoints();
        app.MapSearchEndpoints();
        app.MapAccountEndpoints();
        app.MapProblemEndpoints();
        app.MapDecisionEndpoints();
        app.MapExportEndpoints();
        app.MapRouteEndpoints();
        app.MapGtfsStopEndpoints();
        app.MapSiteEndpoints();
        app.MapAnalyticsEndpoints();
        app.MapChangesEndpoints();
        app.MapDataExportEndpoints();
        app.MapHealthEndpoints();
        app.MapSystemEndpoints();
        app.MapStopSyncDashboard();
        return app;
    }
}
