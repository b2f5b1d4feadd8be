using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StopSync.Data;
using StopSync.Data.Review;

namespace StopSync.Jobs.Cli;

/// <summary>
/// <c>accounts list|create|set-role|lock|unlock</c>: account administration from the shell, the same rules as the
/// admin page (docs/09-review.md, "Accounts"). Exit codes: 0 done, 1 the database failed, 2 bad input (unknown user
/// or role, duplicate user, weak password), each message naming the option.
/// </summary>
internal static class AccountCommands
{
    public const string NoRole = "none";

    // No 0/O, 1/l/I: a generated password is read off a terminal and typed elsewhere.
    private const string PasswordAlphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private const int GeneratedPasswordLength = 20;

    public static Command Accounts()
    {
        var command = new Command("accounts", "List and administer reviewer and administrator accounts.");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Create());
        command.Subcommands.Add(SetRole());
        command.Subcommands.Add(Lock(lockIt: true));
        command.Subcommands.Add(Lock(lockIt: false));
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List the accounts: user name, display name, e-mail, roles, locked, last sign-in.");
        command.SetAction((_, ct) => RunAsync(async directory =>
        {
            var accounts = await directory.ListAsync(ct);
            await Console.Out.WriteLineAsync("user\tdisplay_name\temail\troles\tlocked\tlast_sign_in");
            foreach (var a in accounts)
            {
                var lastSignIn = a.LastSignInAt?.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture) ?? "never";
                var roles = a.Roles.Count == 0 ? NoRole : string.Join(",", a.Roles);
                await Console.Out.WriteLineAsync($"{a.UserName}\t{a.DisplayName}\t{a.Email}\t{roles}\t{(a.IsLocked ? "yes" : "no")}\t{lastSignIn}");
            }

            await Console.Out.WriteLineAsync($"{accounts.Count} account(s)");
            return 0;
        }, ct));
        return command;
    }

    private static Command Create()
    {
        var user = UserOption();
        var email = new Option<string>("--email") { Description = "E-mail address (one account per address)", Required = true };
        var displayName = new Option<string?>("--display-name") { Description = "Name shown beside the account's decisions" };
        var role = new Option<string>("--role") { Description = "reviewer or admin", Required = true };
        var passwordStdin = new Option<bool>("--password-stdin")
        {
            Description = "Read the password from the first line of standard input; without it a password is generated and printed once",
        };
        var command = new Command("create", "Create an account with a role.") { user, email, displayName, role, passwordStdin };
        command.SetAction((parse, ct) => RunAsync(async directory =>
        {
            var roleName = parse.GetValue(role)!;
            if (!AccountRoles.All.Contains(roleName))
            {
                return await FailAsync("--role", AccountDirectory.UnknownRole(roleName).Description);
            }

            string password;
            var generated = !parse.GetValue(passwordStdin);
            if (generated)
            {
                password = RandomNumberGenerator.GetString(PasswordAlphabet, GeneratedPasswordLength);
            }
            else
            {
                password = (await Console.In.ReadLineAsync(ct))?.TrimEnd('\r') ?? "";
                if (password.Length == 0)
                {
                    return await FailAsync("--password-stdin", "no password on standard input.");
                }
            }

            var name = parse.GetValue(user)!;
            var result = await directory.CreateAsync(
                new NewAccount(name, parse.GetValue(email), parse.GetValue(displayName), roleName), password, ct);
            if (!result.Succeeded)
            {
                return await FailAsync(result, generated ? "password" : "--password-stdin");
            }

            await Console.Out.WriteLineAsync($"Created account {name.Trim()} with role {roleName}.");
            if (generated)
            {
                await Console.Out.WriteLineAsync($"Password (shown only now): {password}");
            }

            return 0;
        }, ct));
        return command;
    }

    private static Command SetRole()
    {
        var user = UserOption();
        var role = new Option<string>("--role") { Description = "reviewer, admin, or none (signs in and reads, nothing more)", Required = true };
        var command = new Command("set-role", "Replace the account's role.") { user, role };
        command.SetAction((parse, ct) => RunAsync(async directory =>
        {
            var roleName = parse.GetValue(role)!;
            if (roleName != NoRole && !AccountRoles.All.Contains(roleName))
            {
                return await FailAsync("--role", $"Unknown role '{roleName}': use reviewer, admin or {NoRole}.");
            }

            if (await FindAsync(directory, parse.GetValue(user)!) is not { } account)
            {
                return 2;
            }

            var result = await directory.SetRoleAsync(account, roleName == NoRole ? null : roleName, ct);
            if (!result.Succeeded)
            {
                return await FailAsync(result, "password");
            }

            await Console.Out.WriteLineAsync($"{account.UserName} now has role {roleName}.");
            return 0;
        }, ct));
        return command;
    }

    private static Command Lock(bool lockIt)
    {
        var user = UserOption();
        var command = lockIt
            ? new Command("lock", "Lock the account until it is unlocked; its sessions end within a minute.") { user }
            : new Command("unlock", "Unlock the account (a lock by an administrator or by failed sign-ins).") { user };
        command.SetAction((parse, ct) => RunAsync(async directory =>
        {
            if (await FindAsync(directory, parse.GetValue(user)!) is not { } account)
            {
                return 2;
            }

            var result = lockIt ? await directory.LockAsync(account) : await directory.UnlockAsync(account);
            if (!result.Succeeded)
            {
                return await FailAsync(result, "password");
            }

            await Console.Out.WriteLineAsync($"{account.UserName} is {(lockIt ? "locked" : "unlocked")}.");
            return 0;
        }, ct));
        return command;
    }

    private static Option<string> UserOption() => new("--user") { Description = "User name of the account", Required = true };

    private static async Task<UserAccount?> FindAsync(AccountDirectory directory, string userName)
    {
        var account = await directory.FindAsync(userName);
        if (account is null)
        {
            await FailAsync("--user", $"no account named '{userName}'.");
        }

        return account;
    }

    private static async Task<int> RunAsync(Func<AccountDirectory, Task<int>> action, CancellationToken ct)
    {
        var builder = JobsCommands.CreateBuilder([]);
        // Identity logs each refused password or duplicate name as a warning; the command prints it as its error.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Identity", LogLevel.Error);
        builder.Services.AddStopSyncData();
        builder.Services.AddIdentityCore<UserAccount>(AccountRules.Apply)
            .AddRoles<IdentityRole>()
            .AddStopSyncAccountStore();
        using var host = builder.Build();
        await using var scope = host.Services.CreateAsyncScope();
        try
        {
            return await action(scope.ServiceProvider.GetRequiredService<AccountDirectory>());
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"error: the accounts in the database could not be read or changed: {ex.Message}");
            return 1;
        }
    }

    private static async Task<int> FailAsync(string parameter, string message)
    {
        await Console.Error.WriteLineAsync($"error: {parameter}: {message}");
        return 2;
    }

    private static async Task<int> FailAsync(IdentityResult result, string passwordOption)
    {
        foreach (var error in result.Errors)
        {
            var option = AccountDirectory.ParameterOf(error) switch
            {
                "user" => "--user",
                "email" => "--email",
                "password" => passwordOption,
                "role" => "--role",
                _ => "account",
            };
            await Console.Error.WriteLineAsync($"error: {option}: {error.Description}");
        }

        return 2;
    }
}
