using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using StopSync.Data.Review;

namespace StopSync.Web.Accounts;

/// <summary>Adds the display name to the sign-in cookie, so the layout shows it without a database query.</summary>
public sealed class AccountClaimsFactory(UserManager<UserAccount> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<UserAccount, IdentityRole>(users, roles, options)
{
    public const string DisplayNameClaim = "stopsync:display_name";

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(UserAccount user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (!string.IsNullOrWhiteSpace(user.DisplayName))
        {
            identity.AddClaim(new Claim(DisplayNameClaim, user.DisplayName));
        }

        return identity;
    }

    /// <summary>The display name where the account has one, else the user name.</summary>
    public static string? NameOf(ClaimsPrincipal user) => user.FindFirst(DisplayNameClaim)?.Value ?? user.Identity?.Name;
}
