using System.Net;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using StopSync.Data.Review;
using StopSync.Tests.Infrastructure;
using StopSync.Web.Pages.Account;

namespace StopSync.Tests.Web.Accounts;

/// <summary>/admin/accounts (invite links, role, lock) and sign-up behind Accounts:AllowSignUp.</summary>
[Collection(IntegrationGroup.Name)]
public sealed class AccountAdministrationTests(IntegrationFixture fixture)
{
    private static readonly WebApplicationFactoryClientOptions NoRedirects = new() { AllowAutoRedirect = false };

    [Fact]
    public async Task Administrator_CreatesAReviewerWithAnInviteLink_WithWhichTheInviteeSetsAPasswordOnce()
    {
        using var admin = await SignedInClient.CreateAsync(fixture.Factory, AccountRoles.Admin);
        var name = "invitee-" + Guid.NewGuid().ToString("N")[..8];

        var link = await CreateAsync(admin, name, AccountRoles.Reviewer);
        using var invitee = fixture.Factory.CreateClient(NoRedirects);
        var set = await SetPasswordAsync(invitee, link, "invitee-chosen-password");
        using var again = fixture.Factory.CreateClient(NoRedirects);
        var reuse = await again.GetStringAsync(new Uri(link).PathAndQuery);
        var listing = await admin.GetStringAsync("/admin/accounts");

        Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
        Assert.Contains("\"can_decide\":true", await invitee.GetStringAsync("/api/account"), StringComparison.Ordinal);
        Assert.Contains(InviteModel.InvalidLink, reuse, StringComparison.Ordinal);
        var row = new HtmlParser().ParseDocument(listing).QuerySelector($"tr[data-account={name}]")!;
        Assert.Equal("reviewer", row.QuerySelector("td.roles")!.TextContent.Trim());
        using var signedIn = await SignedInClient.SignedInAsAsync(fixture.Factory, name, "invitee-chosen-password");
    }

    [Fact]
    public async Task InviteLink_ShowsOnlyInTheAnswerToTheCreation_NotOnTheNextVisit()
    {
        using var admin = await SignedInClient.CreateAsync(fixture.Factory, AccountRoles.Admin);
        var name = "once-" + Guid.NewGuid().ToString("N")[..8];

        var link = await CreateAsync(admin, name, AccountRoles.Reviewer);
        var later = await admin.GetStringAsync("/admin/accounts");

        Assert.Contains("/account/invite?user=", link, StringComparison.Ordinal);
        Assert.DoesNotContain("/account/invite?", later, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewInviteLink_ReplacesTheEarlierOne()
    {
        using var admin = await SignedInClient.CreateAsync(fixture.Factory, AccountRoles.Admin);
        var name = "renewed-" + Guid.NewGuid().ToString("N")[..8];
        var first = await CreateAsync(admin, name, AccountRoles.Reviewer);
        var id = await IdOfAsync(name);

        var page = await PostAsync(admin, "Invite", ("id", id));
        var second = InviteLinkOf(await page.Content.ReadAsStringAsync());
        using var invitee = fixture.Factory.CreateClient(NoRedirects);

        Assert.Contains(InviteModel.InvalidLink, await invitee.GetStringAsync(new Uri(first).PathAndQuery), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await SetPasswordAsync(invitee, second, "second-link-password")).StatusCode);
    }

    [Fact]
    public async Task InviteLink_OfALockedAccount_SetsThePasswordButDoesNotSignIn()
    {
        using var admin = await SignedInClient.CreateAsync(fixture.Factory, AccountRoles.Admin);
        var name = "locked-invitee-" + Guid.NewGuid().ToString("N")[..8];
        var first = await CreateAsync(admin, name, AccountRoles.Reviewer);
        var id = await IdOfAsync(name);
        await PostAsync(admin, "Lock", ("id", id));
        var link = InviteLinkOf(await (await PostAsync(admin, "Invite", ("id", id))).Content.ReadAsStringAsync());
        using var invitee = fixture.Factory.CreateClient(NoRedirects);
        // Locking renewed the stamp: the link made before it is dead.
        var firstAfterLock = await invitee.GetStringAsync(new Uri(first).PathAndQuery);

        var set = await SetPasswordAsync(invitee, link, "locked-invitee-password");

        Assert.Contains(InviteModel.InvalidLink, firstAfterLock, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
        Assert.StartsWith("/account/login", set.Headers.Location!.OriginalString, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Unauthorized, (await invitee.GetAsync("/api/account")).StatusCode);
    }

    [Fact]
    public async Task Create_NamesTheField_WhenTheUserNameIsTaken()
    {
        using var admin = await SignedInClient.CreateAsync(fixture.Factory, AccountRoles.Admin);
        var existing = await SignedInClient.CreateAccountAsync(fixture.Factory, AccountRoles.Reviewer);

        var response = await PostAsync(admin, "Create",
            ("Input.UserName", existing.UserName), ("Input.Email", "other@example.org"), ("Input.Role", AccountRoles.Reviewer));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"Username &#x27;{existing.UserName}&#x27; is already taken.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("/account/invite?", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Administrator_ChangesTheRole_AndLocksAndUnlocksAnAccount()
    {
        using var admin = await SignedInClient.CreateAsync(fixture.Factory, AccountRoles.Admin);
        var reviewer = await SignedInClient.CreateAccountAsync(fixture.Factory, AccountRoles.Reviewer);

        await PostAsync(admin, "Role", ("id", reviewer.Id), ("role", AccountRoles.Admin));
        var rolesAfterPromotion = await RolesAsync(reviewer.Id);
        await PostAsync(admin, "Lock", ("id", reviewer.Id));
        using var whileLocked = fixture.Factory.CreateClient(NoRedirects);
        var refused = await SignedInClient.SignInAsync(whileLocked, reviewer.UserName, reviewer.Password);
        await PostAsync(admin, "Unlock", ("id", reviewer.Id));
        await PostAsync(admin, "Role", ("id", reviewer.Id), ("role", "none"));

        Assert.Equal(["admin"], rolesAfterPromotion);
        Assert.Contains("This account is locked", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await RolesAsync(reviewer.Id));
        using var afterUnlock = await SignedInClient.SignedInAsAsync(fixture.Factory, reviewer.UserName, reviewer.Password);
        Assert.Contains("\"can_decide\":false", await afterUnlock.GetStringAsync("/api/account"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Administrator_CannotTakeAwayTheirOwnRole()
    {
        var account = await SignedInClient.CreateAccountAsync(fixture.Factory, AccountRoles.Admin);
        using var admin = await SignedInClient.SignedInAsAsync(fixture.Factory, account.UserName, account.Password);

        await PostAsync(admin, "Role", ("id", account.Id), ("role", "none"));

        Assert.Equal(["admin"], await RolesAsync(account.Id));
    }

    [Fact]
    public async Task LockedAccount_LosesItsOpenSession_AtTheNextCheck()
    {
        var settings = StopSyncAppFactory.DefaultSettings(fixture.ConnectionString, fixture.HangfirePrefix);
        settings["Accounts:SessionCheckInterval"] = "00:00:00";
        await using var factory = new StopSyncAppFactory(settings);
        using var admin = await SignedInClient.CreateAsync(factory, AccountRoles.Admin);
        var reviewer = await SignedInClient.CreateAccountAsync(factory, AccountRoles.Reviewer);
        using var session = await SignedInClient.SignedInAsAsync(factory, reviewer.UserName, reviewer.Password, NoRedirects);
        var before = await session.GetAsync("/api/account");

        await PostAsync(admin, "Lock", ("id", reviewer.Id));
        var after = await session.GetAsync("/api/account");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task SignUp_Is404_WhenClosed()
    {
        using var client = fixture.Factory.CreateClient(NoRedirects);

        var get = await client.GetAsync("/account/register");
        var token = await SignedInClient.FormTokenAsync(client, "/account/login");
        var post = await client.PostAsync("/account/register", Form(("Input.UserName", "walk-in"), ("__RequestVerificationToken", token)));

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
    }

    [Fact]
    public async Task SignUp_CreatesAnAccountWithoutRole_WhenOpen()
    {
        var settings = StopSyncAppFactory.DefaultSettings(fixture.ConnectionString, fixture.HangfirePrefix);
        settings["Accounts:AllowSignUp"] = "true";
        await using var factory = new StopSyncAppFactory(settings);
        using var client = factory.CreateClient();
        var name = "walk-in-" + Guid.NewGuid().ToString("N")[..8];
        var token = await SignedInClient.FormTokenAsync(client, "/account/register");

        var response = await client.PostAsync("/account/register", Form(
            ("Input.UserName", name), ("Input.Email", name + "@example.org"), ("Input.DisplayName", "Walk In"),
            ("Input.Password", "walk-in-password"), ("Input.ConfirmPassword", "walk-in-password"), ("__RequestVerificationToken", token)));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Your account exists", html, StringComparison.Ordinal);
        Assert.Empty(await RolesAsync(await IdOfAsync(name)));
        Assert.Contains("\"can_decide\":false", await client.GetStringAsync("/api/account"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignUp_RefusesAPasswordShorterThan12Characters_WithIdentitysMessage()
    {
        var settings = StopSyncAppFactory.DefaultSettings(fixture.ConnectionString, fixture.HangfirePrefix);
        settings["Accounts:AllowSignUp"] = "true";
        await using var factory = new StopSyncAppFactory(settings);
        using var client = factory.CreateClient();
        var name = "short-" + Guid.NewGuid().ToString("N")[..8];
        var token = await SignedInClient.FormTokenAsync(client, "/account/register");

        var response = await client.PostAsync("/account/register", Form(
            ("Input.UserName", name), ("Input.Email", name + "@example.org"),
            ("Input.Password", "elevenchars"), ("Input.ConfirmPassword", "elevenchars"), ("__RequestVerificationToken", token)));

        Assert.Contains("Passwords must be at least 12 characters.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var db = fixture.CreateDbContext();
        Assert.False(await db.Users.AnyAsync(u => u.UserName == name));
    }

    private static async Task<string> CreateAsync(HttpClient admin, string name, string role)
    {
        var response = await PostAsync(admin, "Create",
            ("Input.UserName", name), ("Input.Email", name + "@example.org"), ("Input.DisplayName", name), ("Input.Role", role));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return InviteLinkOf(await response.Content.ReadAsStringAsync());
    }

    private static string InviteLinkOf(string html) =>
        new HtmlParser().ParseDocument(html).QuerySelector("input.invite-link")?.GetAttribute("value")
        ?? throw new Xunit.Sdk.XunitException("The answer shows no invite link: " + html);

    private static async Task<HttpResponseMessage> SetPasswordAsync(HttpClient client, string link, string password)
    {
        var path = new Uri(link).PathAndQuery;
        var form = new HtmlParser().ParseDocument(await client.GetStringAsync(path)).QuerySelector("form.login")
            ?? throw new Xunit.Sdk.XunitException("The invite page shows no form");
        var fields = form.QuerySelectorAll("input[type=hidden]").ToDictionary(i => i.GetAttribute("name")!, i => i.GetAttribute("value") ?? "");
        fields["Input.Password"] = password;
        fields["Input.ConfirmPassword"] = password;
        return await client.PostAsync("/account/invite", new FormUrlEncodedContent(fields));
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient admin, string handler, params (string Key, string Value)[] fields)
    {
        var token = await SignedInClient.FormTokenAsync(admin, "/admin/accounts", "form.login");
        return await admin.PostAsync($"/admin/accounts?handler={handler}", Form([.. fields, ("__RequestVerificationToken", token)]));
    }

    private async Task<string> IdOfAsync(string userName)
    {
        await using var db = fixture.CreateDbContext();
        return await db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync();
    }

    private async Task<List<string>> RolesAsync(string userId)
    {
        await using var db = fixture.CreateDbContext();
        return await (from m in db.UserRoles join r in db.Roles on m.RoleId equals r.Id where m.UserId == userId select r.Name!).ToListAsync();
    }

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Key, f.Value)));
}
