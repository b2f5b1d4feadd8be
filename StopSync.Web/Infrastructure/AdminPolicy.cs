using System.Net;
using Microsoft.AspNetCore.Authorization;

namespace StopSync.Web.Infrastructure;

public static class AdminPolicy
{
    public const string Name = "Admin";
    public const string Role = "admin";
}

/// <summary>The Hangfire dashboard and write actions: an administrator, or a request from this machine.</summary>
public sealed class AdminOrLocalRequirement : IAuthorizationRequirement;

public sealed class AdminOrLocalHandler : AuthorizationHandler<AdminOrLocalRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AdminOrLocalRequirement requirement)
    {
        if (context.User.IsInRole(AdminPolicy.Role) || (context.Resource is HttpContext http && IsLocal(http)))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }

    // Test servers and Unix sockets have no remote address: that is not a local request.
    private static bool IsLocal(HttpContext http) =>
        http.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip);
}
