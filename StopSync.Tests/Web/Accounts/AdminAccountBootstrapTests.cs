using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StopSync.Data;
using StopSync.Data.Review;
using StopSync.Tests.Infrastructure;
using StopSync.Web.Accounts;

namespace StopSync.Tests.Web.Accounts;

/// <summary>The configured administrator, created at first start on a database of its own per test.</summary>
public sealed class AdminAccountBootstrapTests : IAsyncLifetime
{
    private readonly string _prefix = $"stopsync-test:{Guid.NewGuid():N}:";
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        await IntegrationFixture.DeleteRedisKeysAsync(_prefix);
    }

    [Fact]
    public async Task FirstStart_CreatesTheAdministratorWithBothRoles_AndASecondStartKeepsItsPassword()
    {
        await MigrateAsync();
        string firstHash;
        await using (var first = Factory("first-admin-password"))
        {
            await SignedInClient.WaitForAdministratorAsync(first);
            await using var db = Db();
            var admin = await db.Users.AsNoTracking().SingleAsync(u => u.NormalizedUserName == "ADMIN");
            firstHash = admin.PasswordHash!;
            Assert.Equal(["admin", "reviewer"], await db.Roles.Select(r => r.Name!).OrderBy(n => n).ToListAsync());
            Assert.Equal(["admin"], await RolesOfAsync(db, admin.Id));
            Assert.Equal("admin@example.org", admin.Email);
            Assert.True(admin.LockoutEnabled);
        }

        await using var second = Factory("second-admin-password");
        await SignedInClient.WaitForAdministratorAsync(second);

        await using (var db = Db())
        {
            Assert.Equal(firstHash, (await db.Users.AsNoTracking().SingleAsync(u => u.NormalizedUserName == "ADMIN")).PasswordHash);
            Assert.Equal(1, await db.Users.CountAsync());
        }

        using var signedIn = await SignedInClient.SignedInAsAsync(second, "admin", "first-admin-password");
        using var refused = second.CreateClient(new() { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.OK, (await SignedInClient.SignInAsync(refused, "admin", "second-admin-password")).StatusCode);
    }

    [Fact]
    public async Task ManyAppsStartingAtOnce_CreateOneAdministratorAndTwoRoles()
    {
        await MigrateAsync();
        var factories = Enumerable.Range(0, 4).Select(_ => Factory("shared-admin-password")).ToList();
        try
        {
            await Task.WhenAll(factories.Select(f => Task.Run(() => SignedInClient.WaitForAdministratorAsync(f))));

            await using var db = Db();
            Assert.Equal(1, await db.Users.CountAsync());
            Assert.Equal(2, await db.Roles.CountAsync());
            Assert.Equal(1, await db.UserRoles.CountAsync());
        }
        finally
        {
            foreach (var factory in factories)
            {
                await factory.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Site_ServesPagesWhileTheDatabaseIsNotMigrated_AndTheAdministratorFollowsOnceItIs()
    {
        await using var factory = Factory("patient-admin-password");
        using var client = factory.CreateClient();

        var docs = await client.GetAsync("/docs");
        var bootstrap = factory.Services.GetRequiredService<AdminAccountBootstrap>().Completion;
        await Task.Delay(TimeSpan.FromSeconds(1));
        var doneBeforeMigration = bootstrap.IsCompleted;
        await MigrateAsync();
        await bootstrap.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.False(doneBeforeMigration);
        await using var db = Db();
        Assert.Equal(1, await db.Users.CountAsync());
    }

    [Fact]
    public async Task ATooShortConfiguredPassword_CreatesNoAccount_AndTheSiteRuns()
    {
        await MigrateAsync();
        await using var factory = Factory("short");

        await SignedInClient.WaitForAdministratorAsync(factory);
        using var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/docs")).StatusCode);
        await using var db = Db();
        Assert.Equal(0, await db.Users.CountAsync());
        Assert.Equal(2, await db.Roles.CountAsync());
    }

    [Fact]
    public async Task SignedInPerson_StillReadsTheDocs_WhenTheDatabaseGoesAway()
    {
        await MigrateAsync();
        var settings = StopSyncAppFactory.DefaultSettings(_database.ConnectionString, _prefix);
        // Every request checks the cookie against the account, so the check certainly meets the missing database.
        settings["Accounts:SessionCheckInterval"] = "00:00:00";
        await using var factory = new StopSyncAppFactory(settings);
        var account = await SignedInClient.CreateAccountAsync(factory, AccountRoles.Reviewer);
        using var client = await SignedInClient.SignedInAsAsync(factory, account.UserName, account.Password);

        await _database.DisposeAsync();
        var docs = await client.GetAsync("/docs");

        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Contains($"Signed in as {account.UserName}", await docs.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private StopSyncAppFactory Factory(string adminPassword)
    {
        var settings = StopSyncAppFactory.DefaultSettings(_database.ConnectionString, _prefix);
        settings["Admin:Password"] = adminPassword;
        settings["Admin:Email"] = "admin@example.org";
        return new StopSyncAppFactory(settings);
    }

    private async Task MigrateAsync()
    {
        await using var db = Db();
        await db.Database.MigrateAsync();
    }

    private StopSyncDbContext Db() => new(new DbContextOptionsBuilder<StopSyncDbContext>()
        .UseNpgsql(_database.ConnectionString, o => o.UseNetTopologySuite()).UseSnakeCaseNamingConvention().Options);

    private static Task<List<string>> RolesOfAsync(StopSyncDbContext db, string userId) =>
        (from m in db.UserRoles join r in db.Roles on m.RoleId equals r.Id where m.UserId == userId select r.Name!).ToListAsync();
}
