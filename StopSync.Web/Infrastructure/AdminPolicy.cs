using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace StopSync.Web.Infrastructure;

public static class AdminPolicy
{
    public const string Name = "Admin";
    public const string Role = "admin";
    public const string SignInRateLimit = "sign-in";

    // The policy, not just the role: a local request counts too when AllowLocalRequests is on.
    public static async Task<bool> IsAdminAsync(HttpContext http) =>
        (await http.RequestServices.GetRequiredService<IAuthorizationService>().AuthorizeAsync(http.User, http, Name)).Succeeded;
}

public sealed class AdminOrLocalRequirement : IAuthorizationRequirement;

public sealed class AdminOrLocalHandler(IOptionsMonitor<AdminOptions> options) : AuthorizationHandler<AdminOrLocalRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AdminOrLocalRequirement requirement)
    {
        if (context.User.IsInRole(AdminPolicy.Role)
            || (options.CurrentValue.AllowLocalRequests && context.Resource is HttpContext http && ConnectionOrigin.IsDirectLocalRequest(http)))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
