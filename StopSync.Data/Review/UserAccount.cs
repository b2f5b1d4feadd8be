using Microsoft.AspNetCore.Identity;

namespace StopSync.Data.Review;

/// <summary>A person who signs in: a reviewer or an administrator (docs/09-review.md, "Accounts").</summary>
public sealed class UserAccount : IdentityUser
{
    /// <summary>Shown beside decisions instead of the e-mail address.</summary>
    public string? DisplayName { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastSignInAt { get; set; }
}

/// <summary>The two roles of docs/09-review.md: reviewers decide problems, administrators also run the system.</summary>
public static class AccountRoles
{
    public const string Reviewer = "reviewer";
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [Reviewer, Admin];
}
