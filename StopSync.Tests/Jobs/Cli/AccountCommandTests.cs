using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Jobs.Cli;

/// <summary><c>accounts …</c> of the jobs executable on the integration database; sign-in through the web app.</summary>
[Collection(IntegrationGroup.Name)]
public sealed partial class AccountCommandTests(IntegrationFixture fixture)
{
    [Fact]
    public async Task Create_WithThePasswordOnStdin_GivesAnAccountThatSignsInThroughTheWeb()
    {
        var name = NewName();

        var (exitCode, output) = await RunWithInputAsync("cli-chosen-password\n",
            "accounts", "create", "--user", name, "--email", name + "@example.org", "--display-name", "Cli Person", "--role", "reviewer", "--password-stdin");
        using var client = await SignedInClient.SignedInAsAsync(fixture.Factory, name, "cli-chosen-password");
        var me = await client.GetStringAsync("/api/account");

        Assert.True(exitCode == 0, output);
        Assert.DoesNotContain("cli-chosen-password", output, StringComparison.Ordinal);
        Assert.Contains("\"display_name\":\"Cli Person\"", me, StringComparison.Ordinal);
        Assert.Contains("\"roles\":[\"reviewer\"]", me, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WithoutPasswordStdin_PrintsAGeneratedPasswordOnce_ThatSignsIn()
    {
        var name = NewName();

        var (exitCode, output) = await RunAsync("accounts", "create", "--user", name, "--email", name + "@example.org", "--role", "admin");
        var password = GeneratedPassword().Match(output).Groups[1].Value;
        using var client = await SignedInClient.SignedInAsAsync(fixture.Factory, name, password, new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        Assert.True(exitCode == 0, output);
        Assert.Equal(20, password.Length);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/hangfire")).StatusCode);
    }

    [Fact]
    public async Task Create_Exits2NamingTheRole_WhenTheRoleIsUnknown()
    {
        var name = NewName();

        var (exitCode, output) = await RunAsync("accounts", "create", "--user", name, "--email", name + "@example.org", "--role", "owner");

        Assert.Equal(2, exitCode);
        Assert.Contains("error: --role: Unknown role 'owner'", output, StringComparison.Ordinal);
        Assert.False(await ExistsAsync(name));
    }

    [Fact]
    public async Task Create_Exits2NamingTheUser_WhenTheNameIsTaken()
    {
        var existing = await SignedInClient.CreateAccountAsync(fixture.Factory, "reviewer");

        var (exitCode, output) = await RunAsync("accounts", "create", "--user", existing.UserName, "--email", "someone-else@example.org", "--role", "reviewer");

        Assert.Equal(2, exitCode);
        Assert.Contains($"error: --user: Username '{existing.UserName}' is already taken.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_Exits2NamingTheEmail_WhenItIsMalformedOrTaken()
    {
        var existing = await SignedInClient.CreateAccountAsync(fixture.Factory, "reviewer");

        var malformed = await RunAsync("accounts", "create", "--user", NewName(), "--email", "not-an-address", "--role", "reviewer");
        var taken = await RunAsync("accounts", "create", "--user", NewName(), "--email", existing.Email, "--role", "reviewer");

        Assert.Equal(2, malformed.ExitCode);
        Assert.Contains("error: --email: Email 'not-an-address' is invalid.", malformed.Output, StringComparison.Ordinal);
        Assert.Equal(2, taken.ExitCode);
        Assert.Contains($"error: --email: Email '{existing.Email}' is already taken.", taken.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_Exits2WithIdentitysMessage_WhenThePasswordIsTooShort()
    {
        var name = NewName();

        var (exitCode, output) = await RunWithInputAsync("short\n",
            "accounts", "create", "--user", name, "--email", name + "@example.org", "--role", "reviewer", "--password-stdin");

        Assert.Equal(2, exitCode);
        Assert.Contains("error: --password-stdin: Passwords must be at least 12 characters.", output, StringComparison.Ordinal);
        Assert.False(await ExistsAsync(name));
    }

    [Fact]
    public async Task SetRoleLockAndUnlock_ChangeTheAccount_AndListShowsIt()
    {
        var account = await SignedInClient.CreateAccountAsync(fixture.Factory, "reviewer");

        var setRole = await RunAsync("accounts", "set-role", "--user", account.UserName, "--role", "admin");
        var locked = await RunAsync("accounts", "lock", "--user", account.UserName);
        var listLocked = await RunAsync("accounts", "list");
        using var whileLocked = fixture.Factory.CreateClient();
        var refused = await SignedInClient.SignInAsync(whileLocked, account.UserName, account.Password);
        var unlocked = await RunAsync("accounts", "unlock", "--user", account.UserName);
        using var afterUnlock = await SignedInClient.SignedInAsAsync(fixture.Factory, account.UserName, account.Password);

        Assert.True(setRole.ExitCode == 0, setRole.Output);
        Assert.True(locked.ExitCode == 0, locked.Output);
        Assert.True(unlocked.ExitCode == 0, unlocked.Output);
        var row = listLocked.Output.Split('\n').Single(l => l.StartsWith(account.UserName + "\t", StringComparison.Ordinal)).Split('\t');
        Assert.Equal(["admin", "yes"], row[3..5]);
        Assert.Contains("This account is locked", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("\"roles\":[\"admin\"]", await afterUnlock.GetStringAsync("/api/account"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("set-role", "--role", "reviewer")]
    [InlineData("lock")]
    [InlineData("unlock")]
    public async Task Commands_Exit2NamingTheUser_WhenNoSuchAccountExists(string command, params string[] extra)
    {
        var (exitCode, output) = await RunAsync(["accounts", command, "--user", "no-such-account", .. extra]);

        Assert.Equal(2, exitCode);
        Assert.Contains("error: --user: no account named 'no-such-account'.", output, StringComparison.Ordinal);
    }

    private static string NewName() => "cli-" + Guid.NewGuid().ToString("N")[..10];

    private async Task<bool> ExistsAsync(string name)
    {
        await using var db = fixture.CreateDbContext();
        return await db.Users.AnyAsync(u => u.UserName == name);
    }

    private Task<(int ExitCode, string Output)> RunAsync(params string[] args) => RunWithInputAsync(null, args);

    private Task<(int ExitCode, string Output)> RunWithInputAsync(string? input, params string[] args) =>
        JobsExecutable.RunWithInputAsync(new Dictionary<string, string> { ["ConnectionStrings__StopSync"] = fixture.ConnectionString }, input, args);

    [GeneratedRegex(@"Password \(shown only now\): (\S+)")]
    private static partial Regex GeneratedPassword();
}
