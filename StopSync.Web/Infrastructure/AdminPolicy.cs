using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace StopSync.Web.Infrastructure;

public static class AdminPolicy
{
    public const string Name = "Admin";
    public const string Role = "admin";
    public const string SignInRateLimit = "sign-in";
}

/// <summary>
/// The Hangfire dashboard and write actions: an administrator, or a request from this machine when
/// <see cref="AdminOptions.AllowLocalRequests"/> is on.
/// </summary>
public sealed class AdminOrLocalRequirement : IAuthorizationRequirement;

public sealed class AdminOrLocalHandler(IOptionsMonitor<AdminOptions> options) : AuthorizationHandler<AdminOrLocalRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AdminOrLocalRequirement requirement)
    {
        if (context.User.IsInRole(AdminPolicy.Role)
            || (options.CurrentValue.AllowLocalRequests && context.Resource is HttpContext http && IsLocal(http)))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }

    // Test servers and Unix sockets have no remote address: that is not a local request.
    private static bool IsLocal(HttpContext http) =>
        http.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip);
}
