namespace StopSync.Web.Infrastructure;

/// <summary>The administrator account (configured credentials until real accounts exist).</summary>
public sealed class AdminOptions
{
    public const string SectionName = "Admin";

    public string UserName { get; set; } = "admin";

    /// <summary>No default: without a configured password nobody can sign in.</summary>
    public string? Password { get; set; }
}
