using Microsoft.AspNetCore.Authorization;
using StopSync.Data.Review;

namespace StopSync.Web.Infrastructure;

/// <summary>The administrator gate (dashboard, Run now, maintenance switch, held runs): the <c>admin</c> role.</summary>
public static class AdminPolicy
{
    public const string Name = "Admin";
    public const string Role = AccountRoles.Admin;
    public const string SignInRateLimit = "sign-in";

    public static async Task<bool> IsAdminAsync(HttpContext http) =>
        (await http.RequestServices.GetRequiredService<IAuthorizationService>().AuthorizeAsync(http.User, http, Name)).Succeeded;
}
