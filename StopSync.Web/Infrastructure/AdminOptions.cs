namespace StopSync.Web.Infrastructure;

/// <summary>
/// Section <c>Admin</c>: the administrator account created at first start (docs/09-review.md, "Accounts") and the
/// sign-in rate limit.
/// </summary>
public sealed class AdminOptions
{
    public const string SectionName = "Admin";

    public string UserName { get; set; } = "admin";

    // No default: without a configured password no administrator is created at start (the jobs CLI can create one).
    public string? Password { get; set; }

    public string? Email { get; set; }

    /// <summary>Per client address, for the sign-in, sign-up and invite forms: slows down password guessing.</summary>
    public int SignInRequestsPerMinute { get; set; } = 10;
}
