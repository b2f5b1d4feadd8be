using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using StopSync.Data.Review;
using StopSync.Tests.Infrastructure;
using StopSync.Web.Pages.Account;

namespace StopSync.Tests.Web.Accounts;

/// <summary>The login form on Identity: cookie, wrong passwords, lockout, antiforgery, hashed storage.</summary>
[Collection(IntegrationGroup.Name)]
public sealed class SignInTests(IntegrationFixture fixture)
{
    private static readonly WebApplicationFactoryClientOptions NoRedirects = new() { AllowAutoRedirect = false };

    [Fact]
    public async Task SignIn_SetsTheHttpOnlyLaxAuthCookie_AndRedirectsToTheReturnUrl()
    {
        var account = await SignedInClient.CreateAccountAsync(fixture.Factory, AccountRoles.Reviewer);
        using var client = fixture.Factory.CreateClient(NoRedirects);

        var response = await SignedInClient.SignInAsync(client, account.UserName, account.Password, "/problems");
        var cookie = SetCookies(response).Single(c => c.StartsWith("stopsync.auth=", StringComparison.Ordinal));
        var answer = await client.GetAsync("/api/account");
        var me = await answer.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/problems", response.Headers.Location!.OriginalString);
        Assert.Contains("; httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        // Without "remember me" the cookie ends with the browser session.
        Assert.DoesNotContain("expires=", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"\"user_name\":\"{account.UserName}\"", me, StringComparison.Ordinal);
        Assert.Contains("\"can_decide\":true", me, StringComparison.Ordinal);
        Assert.True(answer.Headers.CacheControl?.NoStore, "the account answer must not be cached");
    }

    [Fact]
    public async Task SignIn_WithRememberMe_SetsAPersistentCookie()
    {
        var account = await SignedInClient.CreateAccountAsync(fixture.Factory, AccountRoles.Reviewer);
        using var client = fixture.Factory.CreateClient(NoRedirects);

        var response = await SignedInClient.SignInAsync(client, account.UserName, account.Password, rememberMe: true);

        var cookie = SetCookies(response).Single(c => c.StartsWith("stopsync.auth=", StringComparison.Ordinal));
        Assert.Contains("expires=", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SignIn_AcceptsTheEmailAddress_InPlaceOfTheUserName_AndRecordsTheTime()
    {
        var account = await SignedInClient.CreateAccountAsync(fixture.Factory, AccountRoles.Reviewer);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        using var client = await SignedInClient.SignedInAsAsync(fixture.Factory, account.Email, account.Password);

        await using var db = fixture.CreateDbContext();
        var stored = await db.Users.AsNoTracking().SingleAsync(u => u.Id == account.Id);
        Assert.NotNull(stored.LastSignInAt);
        Assert.True(stored.LastSignInAt >= before);
    }

    [Fact]
    public async Task SignIn_IsRefused_WithAWrongPassword()
    {
        var account = await SignedInClient.CreateAccountAsync(fixture.Factory, AccountRoles.Reviewer);
        using var client = fixture.Factory.CreateClient(NoRedirects);

        var response = await SignedInClient.SignInAsync(client, account.UserName, "not-the-right-password");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(LoginModel.WrongCredentials, html, StringComparison.Ordinal);
        Assert.DoesNotContain(SetCookies(response), c => c.StartsWith("stopsync.auth=", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/account")).StatusCode);
    }

    [Fact]
    public async Task SignIn_IsRefused_ForAnUnknownUser_WithTheSameMessage()
    {
        using var client = fixture.Factory.CreateClient(NoRedirects);

        var response = await SignedInClient.SignInAsync(client, "nobody-" + Guid.NewGuid().ToString("N"), "some-long-password");

        Assert.Contains(LoginModel.WrongCredentials, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FiveFailedSignIns_LockTheAccountFor15Minutes_EvenAgainstTheRightPassword()
    {
        var account = await SignedInClient.CreateAccountAsync(fixture.Factory, AccountRoles.Reviewer);
        using var client = fixture.Factory.CreateClient(NoRedirects);

        for (var i = 0; i < AccountRules.MaxFailedSignIns; i++)
        {
            await SignedInClient.SignInAsync(client, account.UserName, $"wrong-password-number-{i}");
        }

        var right = await SignedInClient.SignInAsync(client, account.UserName, account.Password);
        var html = await right.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("This account is locked", html, StringComparison.Ordinal);
        Assert.DoesNotContain(SetCookies(right), c => c.StartsWith("stopsync.auth=", StringComparison.Ordinal));
        await using var db = fixture.CreateDbContext();
        var stored = await db.Users.AsNoTracking().SingleAsync(u => u.Id == account.Id);
        Assert.InRange(stored.LockoutEnd!.Value, DateTimeOffset.UtcNow.AddMinutes(14), DateTimeOffset.UtcNow.AddMinutes(16));
    }

    [Fact]
    public async Task FourFailedSignIns_DoNotLockTheAccount()
    {
        var account = await SignedInClient.CreateAccountAsync(fixture.Factory, AccountRoles.Reviewer);
        using var client = fixture.Factory.CreateClient(NoRedirects);

        for (var i = 0; i < AccountRules.MaxFailedSignIns - 1; i++)
        {
            await SignedInClient.SignInAsync(client, account.UserName, $"wrong-password-number-{i}");
        }

        var right = await SignedInClient.SignInAsync(client, account.UserName, account.Password);

        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
    }

    [Fact]
    public async Task SignIn_IsRejected_WithoutTheAntiforgeryToken()
    {
        var account = await SignedInClient.CreateAccountAsync(fixture.Factory, AccountRoles.Admin);
        using var client = fixture.Factory.CreateClient(NoRedirects);
        await client.GetAsync("/account/login");

        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.UserName"] = account.UserName,
            ["Input.Password"] = account.Password,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(SetCookies(response), c => c.StartsWith("stopsync.auth=", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/account/logout")]
    [InlineData("/account/invite")]
    [InlineData("/admin/accounts?handler=Lock")]
    public async Task AccountForms_RefuseAPostWithoutTheAntiforgeryToken(string path)
    {
        using var client = await SignedInClient.AdminAsync(fixture.Factory, NoRedirects);

        var response = await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["id"] = "x" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Password_IsStoredAsAnIdentityHash_NeverAsText()
    {
        var account = await SignedInClient.CreateAccountAsync(fixture.Factory, AccountRoles.Reviewer);

        await using var db = fixture.CreateDbContext();
        var stored = await db.Users.AsNoTracking().SingleAsync(u => u.Id == account.Id);

        Assert.NotNull(stored.PasswordHash);
        Assert.DoesNotContain(account.Password, stored.PasswordHash, StringComparison.Ordinal);
        // Format marker 0x01: PBKDF2 with a per-account salt (Identity v3).
        Assert.Equal(1, Convert.FromBase64String(stored.PasswordHash)[0]);
        Assert.Equal(PasswordVerificationResult.Success, new PasswordHasher<UserAccount>().VerifyHashedPassword(stored, stored.PasswordHash, account.Password));
    }

    [Fact]
    public async Task Layout_ShowsWhoIsSignedIn_AndTheAccountsLinkOnlyToAdministrators()
    {
        var reviewer = await SignedInClient.CreateAccountAsync(fixture.Factory, AccountRoles.Reviewer, displayName: "Rita Reviewer");
        using var reviewerClient = await SignedInClient.SignedInAsAsync(fixture.Factory, reviewer.UserName, reviewer.Password);
        using var adminClient = await SignedInClient.AdminAsync(fixture.Factory);
        using var anonymous = fixture.Factory.CreateClient();

        var asReviewer = await reviewerClient.GetStringAsync("/docs");
        var asAdmin = await adminClient.GetStringAsync("/docs");
        var asVisitor = await anonymous.GetStringAsync("/docs");

        Assert.Contains("Signed in as Rita Reviewer", asReviewer, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/admin/accounts\"", asReviewer, StringComparison.Ordinal);
        Assert.Contains("Signed in as admin", asAdmin, StringComparison.Ordinal);
        Assert.Contains("href=\"/admin/accounts\"", asAdmin, StringComparison.Ordinal);
        Assert.Contains("href=\"/account/login\"", asVisitor, StringComparison.Ordinal);
        Assert.DoesNotContain("Signed in as", asVisitor, StringComparison.Ordinal);
    }

    private static List<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? [.. values] : [];
}
