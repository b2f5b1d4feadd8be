using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace StopSync.Data.Review;

/// <summary>
/// Account administration shared by the admin page and the jobs CLI: list, create, change role, lock, unlock
/// (docs/09-review.md, "Accounts"). An account holds at most one of the roles; admin includes everything a reviewer may.
/// </summary>
public sealed class AccountDirectory(
    StopSyncDbContext db,
    UserManager<UserAccount> users,
    RoleManager<IdentityRole> roles,
    TimeProvider time)
{
    public async Task<IReadOnlyList<AccountSummary>> ListAsync(CancellationToken ct)
    {
        var accounts = await db.Users.AsNoTracking().OrderBy(u => u.NormalizedUserName).ToListAsync(ct);
        var memberships = await (
                from membership in db.UserRoles
                join role in db.Roles on membership.RoleId equals role.Id
                select new { membership.UserId, role.Name })
            .AsNoTracking().ToListAsync(ct);
        var rolesOf = memberships.ToLookup(m => m.UserId, m => m.Name!);
        var now = time.GetUtcNow();
        return [.. accounts.Select(a => new AccountSummary(
            a.Id, a.UserName ?? "", a.DisplayName, a.Email, [.. rolesOf[a.Id].Order(StringComparer.Ordinal)],
            a.LockoutEnd is { } end && end > now, a.LockoutEnd, a.LastSignInAt, a.CreatedAt, a.PasswordHash is not null))];
    }

    public Task<UserAccount?> FindAsync(string userNameOrEmail) => FindByNameOrEmailAsync(users, userNameOrEmail);

    /// <summary>Finds by user name first, then by e-mail address (sign-in accepts either).</summary>
    public static async Task<UserAccount?> FindByNameOrEmailAsync(UserManager<UserAccount> users, string userNameOrEmail) =>
        await users.FindByNameAsync(userNameOrEmail)
        ?? (userNameOrEmail.Contains('@', StringComparison.Ordinal) ? await users.FindByEmailAsync(userNameOrEmail) : null);

    /// <summary>Creates both roles where missing; tolerates another process creating them at the same moment.</summary>
    public async Task EnsureRolesAsync(CancellationToken ct)
    {
        foreach (var name in AccountRoles.All)
        {
            ct.ThrowIfCancellationRequested();
            if (await roles.RoleExistsAsync(name))
            {
                continue;
            }

            try
            {
                var result = await roles.CreateAsync(new IdentityRole(name));
                if (!result.Succeeded && !result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.DuplicateRoleName)))
                {
                    throw new InvalidOperationException($"Creating role {name} failed: {Describe(result)}");
                }
            }
            catch (DbUpdateException ex) when (IsUniqueViolation(ex))
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>
    /// Creates an account with the role (or none) in one transaction, so that no account is ever left without the
    /// role it was created for. Without a password the account cannot sign in until its invitee sets one.
    /// </summary>
    public async Task<IdentityResult> CreateAsync(NewAccount account, string? password, CancellationToken ct)
    {
        if (account.Role is { } role && !AccountRoles.All.Contains(role))
        {
            return IdentityResult.Failed(UnknownRole(role));
        }

        await EnsureRolesAsync(ct);
        var user = new UserAccount
        {
            UserName = account.UserName.Trim(),
            Email = string.IsNullOrWhiteSpace(account.Email) ? null : account.Email.Trim(),
            DisplayName = string.IsNullOrWhiteSpace(account.DisplayName) ? null : account.DisplayName.Trim(),
            CreatedAt = time.GetUtcNow(),
        };
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            var created = password is null ? await users.CreateAsync(user) : await users.CreateAsync(user, password);
            if (!created.Succeeded)
            {
                return created;
            }

            if (account.Role is not null)
            {
                var added = await users.AddToRoleAsync(user, account.Role);
                if (!added.Succeeded)
                {
                    return added;
                }
            }

            await transaction.CommitAsync(ct);
            return IdentityResult.Success;
        }
        catch (DbUpdateException ex) when (IsUniqueViolation(ex))
        {
            // Another process inserted the same user name between the check and the insert.
            db.ChangeTracker.Clear();
            return IdentityResult.Failed(new IdentityErrorDescriber().DuplicateUserName(user.UserName));
        }
    }

    /// <summary>Replaces the account's role; null takes every role away (it may still sign in and read).</summary>
    public async Task<IdentityResult> SetRoleAsync(UserAccount user, string? role, CancellationToken ct)
    {
        if (role is not null && !AccountRoles.All.Contains(role))
        {
            return IdentityResult.Failed(UnknownRole(role));
        }

        await EnsureRolesAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var current = await users.GetRolesAsync(user);
        var result = await users.RemoveFromRolesAsync(user, current.Where(r => r != role));
        if (result.Succeeded && role is not null && !current.Contains(role))
        {
            result = await users.AddToRoleAsync(user, role);
        }

        if (result.Succeeded)
        {
            // A new stamp ends the account's sign-in sessions at their next check: the old role is in their cookie.
            result = await users.UpdateSecurityStampAsync(user);
        }

        if (result.Succeeded)
        {
            await transaction.CommitAsync(ct);
        }

        return result;
    }

    /// <summary>Locks until unlocked, and ends the account's sessions.</summary>
    public async Task<IdentityResult> LockAsync(UserAccount user)
    {
        var result = await users.SetLockoutEnabledAsync(user, true);
        if (result.Succeeded)
        {
            result = await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue);
        }

        return result.Succeeded ? await users.UpdateSecurityStampAsync(user) : result;
    }

    /// <summary>Lifts a lock, whether set by an administrator or by failed sign-ins.</summary>
    public async Task<IdentityResult> UnlockAsync(UserAccount user)
    {
        var result = await users.SetLockoutEndDateAsync(user, null);
        return result.Succeeded ? await users.ResetAccessFailedCountAsync(user) : result;
    }

    public static IdentityError UnknownRole(string role) => new()
    {
        Code = "UnknownRole",
        Description = $"Unknown role '{role}': use {string.Join(" or ", AccountRoles.All)}.",
    };

    /// <summary>The input an Identity error is about: user, email, password or role.</summary>
    public static string ParameterOf(IdentityError error) => error.Code switch
    {
        _ when error.Code.StartsWith("Password", StringComparison.Ordinal) => "password",
        _ when error.Code.Contains("Email", StringComparison.Ordinal) => "email",
        _ when error.Code.Contains("UserName", StringComparison.Ordinal) => "user",
        _ when error.Code.Contains("Role", StringComparison.Ordinal) => "role",
        _ => "account",
    };

    public static string Describe(IdentityResult result) => string.Join(" ", result.Errors.Select(e => e.Description));

    public static bool IsUniqueViolation(DbUpdateException ex) =>
        ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}

public sealed record NewAccount(string UserName, string? Email, string? DisplayName, string? Role);

public sealed record AccountSummary(
    string Id,
    string UserName,
    string? DisplayName,
    string? Email,
    IReadOnlyList<string> Roles,
    bool IsLocked,
    DateTimeOffset? LockedUntil,
    DateTimeOffset? LastSignInAt,
    DateTimeOffset CreatedAt,
    bool HasPassword);
