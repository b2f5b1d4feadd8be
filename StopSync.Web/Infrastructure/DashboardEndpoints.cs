using Hangfire;
using Hangfire.Dashboard;

namespace StopSync.Web.Infrastructure;

public static class DashboardEndpoints
{
    public const string Path = "/hangfire";

    public static void MapStopSyncDashboard(this IEndpointRouteBuilder app)
    {
        // Authorization is the endpoint policy (cookie login or a local request), not Hangfire's own filters.
        app.MapHangfireDashboardWithAuthorizationPolicy(AdminPolicy.Name, Path, new DashboardOptions
        {
            DashboardTitle = "StopSync jobs",
            AppPath = "/",
            Authorization = [],
            AsyncAuthorization = [],
        });
    }
}
