using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using StopSync.Data.Review;
using StopSync.Web.Infrastructure;

namespace StopSync.Web.Accounts;

/// <summary>
/// At start: both roles, and the configured administrator (Admin:UserName, Admin:Password, Admin:Email) when no account
/// of that name exists. An existing account is never changed, its password least of all. Runs in the background and
/// retries while the database is down or not migrated yet, so the site starts and serves what it can meanwhile; several
/// replicas may do this at once (a concurrent insert of the same role or user counts as done).
/// </summary>
public sealed class AdminAccountBootstrap(
    IServiceScopeFactory scopes,
    IOptions<AdminOptions> admin,
    ILogger<AdminAccountBootstrap> logger) : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromMinutes(1);

    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the roles and the administrator exist, or the settings are unusable (logged).</summary>
    public Task Completion => _done.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Off the host's start path: the first database call may wait for a connection timeout.
        await Task.Yield();
        var delay = FirstRetry;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await EnsureAsync(stoppingToken);
                _done.TrySetResult();
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                _done.TrySetCanceled(stoppingToken);
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(
                    "Accounts: roles and administrator not ensured yet (attempt {Attempt}, retry in {Delay}): {Error}",
                    attempt, delay, ex.Message);
            }

            try
            {
                await Task.Delay(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                _done.TrySetCanceled(stoppingToken);
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestRetry.Ticks));
        }
    }

    private async Task EnsureAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var directory = scope.ServiceProvider.GetRequiredService<AccountDirectory>();
        await directory.EnsureRolesAsync(ct);

        var settings = admin.Value;
        if (string.IsNullOrEmpty(settings.Password) || string.IsNullOrWhiteSpace(settings.UserName))
        {
            logger.LogInformation("Accounts: no administrator configured (Admin:UserName, Admin:Password); none created");
            return;
        }

        var users = scope.ServiceProvider.GetRequiredService<UserManager<UserAccount>>();
        if (await users.FindByNameAsync(settings.UserName) is not null)
        {
            return;
        }

        var result = await directory.CreateAsync(
            new NewAccount(settings.UserName, settings.Email, null, AccountRoles.Admin), settings.Password, ct);
        if (result.Succeeded)
        {
            logger.LogInformation("Accounts: created the administrator account {UserName}", settings.UserName);
        }
        else if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.DuplicateUserName)))
        {
            // Another replica created it a moment ago.
        }
        else
        {
            // A setting to fix, not an outage: trying again would give the same answer.
            logger.LogError(
                "Accounts: the administrator account {UserName} was not created ({Parameter}): {Errors} (settings Admin:UserName, Admin:Password, Admin:Email)",
                settings.UserName, string.Join(", ", result.Errors.Select(AccountDirectory.ParameterOf).Distinct()), AccountDirectory.Describe(result));
        }
    }
}
