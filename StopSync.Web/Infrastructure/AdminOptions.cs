namespace StopSync.Web.Infrastructure;

/// <summary>The administrator account (configured credentials until real accounts exist).</summary>
public sealed class AdminOptions
{
    public const string SectionName = "Admin";

    public string UserName { get; set; } = "admin";

    /// <summary>No default: without a configured password nobody can sign in.</summary>
    public string? Password { get; set; }

    /// <summary>
    /// Let requests from this machine in without signing in (run.sh turns it on). Off by default: behind a reverse
    /// proxy on the same host every request would look local.
    /// </summary>
    public bool AllowLocalRequests { get; set; }

    /// <summary>Sign-in requests one client address may make per minute: slows down password guessing.</summary>
    public int SignInRequestsPerMinute { get; set; } = 10;
}
