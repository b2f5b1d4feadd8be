namespace StopSync.Web.Infrastructure;

public sealed class AdminOptions
{
    public const string SectionName = "Admin";

    public string UserName { get; set; } = "admin";

    // No default: without a configured password nobody can sign in.
    public string? Password { get; set; }

    // Off by default: behind a reverse proxy on the same host every request would look local (run.sh turns it on).
    public bool AllowLocalRequests { get; set; }

    /// <summary>Per client address: slows down password guessing.</summary>
    public int SignInRequestsPerMinute { get; set; } = 10;
}
