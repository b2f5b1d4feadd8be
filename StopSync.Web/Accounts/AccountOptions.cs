using Microsoft.AspNetCore.Http;

namespace StopSync.Web.Accounts;

/// <summary>Settings of section <c>Accounts</c> (docs/02-running.md, docs/09-review.md "Accounts").</summary>
public sealed class AccountOptions
{
    public const string SectionName = "Accounts";

    /// <summary>Closed by default: administrators create accounts; a self-registered account gets no role.</summary>
    public bool AllowSignUp { get; set; }

    /// <summary>
    /// Always by default. SameAsRequest only where the site is reached over plain HTTP on a host name a browser does
    /// not treat as secure (http://localhost is secure to browsers, so run.sh keeps Always); the test factory sets it,
    /// because the test client does not send Secure cookies over http.
    /// </summary>
    public CookieSecurePolicy CookieSecurePolicy { get; set; } = CookieSecurePolicy.Always;

    /// <summary>How long a sign-in lasts without a request; every request within it starts the period again.</summary>
    public TimeSpan SignInLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// How often a sign-in cookie is checked against its account: a lock, a role change or a new invite link ends
    /// the account's sessions within this time. Each check is one database query per active session.
    /// </summary>
    public TimeSpan SessionCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long an invite link (or a new one) is valid.</summary>
    public TimeSpan InviteLifetime { get; set; } = TimeSpan.FromDays(7);
}
