using StopSync.Data.Review;

namespace StopSync.Web.Accounts;

/// <summary>Authorization policy names shared by pages and endpoints.</summary>
public static class AccountPolicies
{
    /// <summary>Reviewers and administrators: may record decisions.</summary>
    public const string Reviewer = "Reviewer";

    public static IReadOnlyList<string> ReviewerRoles { get; } = [AccountRoles.Reviewer, AccountRoles.Admin];
}
