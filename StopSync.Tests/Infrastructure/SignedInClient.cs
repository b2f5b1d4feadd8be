using System.Net;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using StopSync.Data.Review;
using StopSync.Web.Accounts;

namespace StopSync.Tests.Infrastructure;

/// <summary>
/// Accounts for web tests: created in the app's own database through its UserManager (AccountDirectory), signed in
/// through the real login form with its antiforgery token, so the cookie is the one a browser would get.
/// </summary>
internal static class SignedInClient
{
    /// <summary>The password of every account these helpers create (long enough for the password rule).</summary>
    public const string Password = "test-account-password";

    /// <summary>Creates an account with the role (<see cref="AccountRoles"/>; null: none) and a unique user name.</summary>
    public static async Task<TestAccount> CreateAccountAsync(
        WebApplicationFactory<Program> factory, string? role, string? userName = null, string password = Password, string? displayName = null)
    {
        var name = userName ?? $"{role ?? "norole"}-{Guid.NewGuid():N}"[..24];
        var email = $"{name}@example.org";
        await using var scope = factory.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<AccountDirectory>()
            .CreateAsync(new NewAccount(name, email, displayName, role), password, CancellationToken.None);
        Assert.True(result.Succeeded, AccountDirectory.Describe(result));
        var id = (await scope.ServiceProvider.GetRequiredService<AccountDirectory>().FindAsync(name))!.Id;
        return new TestAccount(id, name, email, password, role);
    }

    /// <summary>A client of the factory, signed in as a new account with the role.</summary>
    public static async Task<HttpClient> CreateAsync(
        WebApplicationFactory<Program> factory, string? role, WebApplicationFactoryClientOptions? options = null)
    {
        var account = await CreateAccountAsync(factory, role);
        return await SignedInAsAsync(factory, account.UserName, account.Password, options);
    }

    /// <summary>A client signed in as the configured administrator (StopSyncAppFactory.AdminPassword), once it exists.</summary>
    public static async Task<HttpClient> AdminAsync(WebApplicationFactory<Program> factory, WebApplicationFactoryClientOptions? options = null)
    {
        await WaitForAdministratorAsync(factory);
        return await SignedInAsAsync(factory, "admin", StopSyncAppFactory.AdminPassword, options);
    }

    /// <summary>Waits until the app's start-up bootstrap has created the roles and the configured administrator.</summary>
    public static Task WaitForAdministratorAsync(WebApplicationFactory<Program> factory) =>
        factory.Services.GetRequiredService<AdminAccountBootstrap>().Completion.WaitAsync(TimeSpan.FromSeconds(60));

    /// <summary>A new client of the factory signed in with the credentials; fails the test when the sign-in fails.</summary>
    public static async Task<HttpClient> SignedInAsAsync(
        WebApplicationFactory<Program> factory, string userNameOrEmail, string password, WebApplicationFactoryClientOptions? options = null)
    {
        var client = factory.CreateClient(options ?? new WebApplicationFactoryClientOptions());
        var response = await SignInAsync(client, userNameOrEmail, password);
        var landed = response.StatusCode == HttpStatusCode.Redirect ? response.Headers.Location?.OriginalString : response.RequestMessage?.RequestUri?.PathAndQuery;
        Assert.False(landed is null || landed.Contains("/account/login", StringComparison.OrdinalIgnoreCase),
            $"Sign-in as {userNameOrEmail} failed: {await response.Content.ReadAsStringAsync()}");
        return client;
    }

    /// <summary>Posts the login form, as a person would; the response is the POST's (or, following redirects, the last).</summary>
    public static async Task<HttpResponseMessage> SignInAsync(
        HttpClient client, string userNameOrEmail, string password, string returnUrl = "/", bool rememberMe = false)
    {
        var query = "?ReturnUrl=" + Uri.EscapeDataString(returnUrl);
        var token = await FormTokenAsync(client, "/account/login" + query, "form.login");
        var fields = new Dictionary<string, string>
        {
            ["Input.UserName"] = userNameOrEmail,
            ["Input.Password"] = password,
            ["__RequestVerificationToken"] = token,
        };
        if (rememberMe)
        {
            fields["Input.RememberMe"] = "true";
        }

        return await client.PostAsync("/account/login" + query, new FormUrlEncodedContent(fields));
    }

    /// <summary>
    /// The antiforgery token of a form on the page (the first one, or the one the selector names): for POSTs to pages,
    /// and as header RequestVerificationToken for API writes of the same client.
    /// </summary>
    public static async Task<string> FormTokenAsync(HttpClient client, string path, string formSelector = "form")
    {
        var document = new HtmlParser().ParseDocument(await client.GetStringAsync(path));
        var token = document.QuerySelector($"{formSelector} input[name=__RequestVerificationToken]")?.GetAttribute("value");
        Assert.False(string.IsNullOrEmpty(token), $"{path} has no form with an antiforgery token ({formSelector})");
        return token;
    }
}

internal sealed record TestAccount(string Id, string UserName, string Email, string Password, string? Role);
