using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;

namespace StopSync.Data.Review;

/// <summary>Password, lockout and user rules, the same for the site and the jobs CLI (docs/09-review.md, "Accounts").</summary>
public static class AccountRules
{
    public const int MinimumPasswordLength = 12;

    /// <summary>Failed sign-ins in a row that lock an account.</summary>
    public const int MaxFailedSignIns = 5;

    public static TimeSpan LockoutDuration { get; } = TimeSpan.FromMinutes(15);

    public static void Apply(IdentityOptions o)
    {
        // Length rather than composition: a long passphrase of plain words is stronger than "Passw0rd!" and easier to
        // keep; four distinct characters only turn away "aaaaaaaaaaaa".
        o.Password.RequiredLength = MinimumPasswordLength;
        o.Password.RequiredUniqueChars = 4;
        o.Password.RequireDigit = false;
        o.Password.RequireLowercase = false;
        o.Password.RequireUppercase = false;
        o.Password.RequireNonAlphanumeric = false;

        // Also for accounts created a minute ago: an invitee's fresh account is as worth guessing as an old one.
        o.Lockout.AllowedForNewUsers = true;
        o.Lockout.MaxFailedAccessAttempts = MaxFailedSignIns;
        o.Lockout.DefaultLockoutTimeSpan = LockoutDuration;

        // The configured administrator may have no e-mail address, which Identity's own uniqueness rule forbids;
        // AccountEmailValidator refuses a second account with an address already in use instead.
        o.User.RequireUniqueEmail = false;
    }
}

/// <summary>
/// An e-mail address is well-formed and names at most one account: sign-in by e-mail looks the account up by it. An
/// empty address is allowed (the configured administrator's is optional). Identity checks neither once
/// RequireUniqueEmail is off.
/// </summary>
public sealed class AccountEmailValidator : IUserValidator<UserAccount>
{
    public async Task<IdentityResult> ValidateAsync(UserManager<UserAccount> manager, UserAccount user)
    {
        var email = await manager.GetEmailAsync(user);
        if (string.IsNullOrWhiteSpace(email))
        {
            return IdentityResult.Success;
        }

        if (!new EmailAddressAttribute().IsValid(email))
        {
            return IdentityResult.Failed(manager.ErrorDescriber.InvalidEmail(email));
        }

        var owner = await manager.FindByEmailAsync(email);
        return owner is null || owner.Id == user.Id
            ? IdentityResult.Success
            : IdentityResult.Failed(manager.ErrorDescriber.DuplicateEmail(email));
    }
}
