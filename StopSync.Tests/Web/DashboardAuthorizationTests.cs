using System.Net;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Web;

[Collection(IntegrationGroup.Name)]
public sealed class DashboardAuthorizationTests(IntegrationFixture fixture)
{
    [Fact]
    public async Task Dashboard_SendsAnonymousRemoteUsersToSignIn()
    {
        // Test-server requests carry no remote address, so they count as non-local.
        using var client = fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Dashboard_IsOpen_WhenTheAdministratorHasSignedIn()
    {
        using var client = fixture.Factory.CreateClient();

        var signIn = await SignInAsync(client, "admin", StopSyncAppFactory.AdminPassword);
        var dashboard = await client.GetAsync("/hangfire");
        var html = await dashboard.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("StopSync jobs", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_IsRefused_WithAWrongPassword()
    {
        // An administrator of its own: failed sign-ins of the shared "admin" would count towards its lockout.
        var account = await SignedInClient.CreateAccountAsync(fixture.Factory, StopSync.Data.Review.AccountRoles.Admin);
        using var client = fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var signIn = await SignInAsync(client, account.UserName, "not-the-password");
        var html = await signIn.Content.ReadAsStringAsync();
        var dashboard = await client.GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Contains("Unknown user name or wrong password.", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
    }

    [Fact]
    public async Task SignIn_IsRejected_WithoutTheAntiforgeryToken()
    {
        using var client = fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.UserName"] = "admin",
            ["Input.Password"] = StopSyncAppFactory.AdminPassword,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task SignOut_FromTheNavbar_ClosesTheDashboardAgain()
    {
        using var client = fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await SignInAsync(client, "admin", StopSyncAppFactory.AdminPassword);
        var page = new HtmlParser().ParseDocument(await client.GetStringAsync("/docs"));
        var form = page.QuerySelector("form.inline-form")!;
        var token = form.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value");

        var signOut = await client.PostAsync(form.GetAttribute("action"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token ?? "",
        }));
        var dashboard = await client.GetAsync("/hangfire");

        Assert.NotNull(token);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
        Assert.StartsWith("/account/login", dashboard.Headers.Location!.PathAndQuery, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SignIn_IsRateLimited_PerClient()
    {
        var settings = StopSyncAppFactory.DefaultSettings(fixture.ConnectionString, fixture.HangfirePrefix);
        settings["Admin:SignInRequestsPerMinute"] = "3";
        await using var factory = new StopSyncAppFactory(settings);
        using var client = factory.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await client.GetAsync("/account/login")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Dashboard_StaysClosedToRequestsFromThisMachine_WithoutSignIn()
    {
        // The former local exemption (Admin:AllowLocalRequests) is gone: the gate is the admin role, for every client.
        var settings = StopSyncAppFactory.DefaultSettings(fixture.ConnectionString, fixture.HangfirePrefix);
        settings["Admin:AllowLocalRequests"] = "true";
        await using var factory = new StopSyncAppFactory(settings);
        var baseUrl = factory.StartKestrel();
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        var response = await client.GetAsync(baseUrl + "/hangfire");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Signs the administrator in through the login form, as a person would.</summary>
    internal static async Task SignInInBrowserAsync(Microsoft.Playwright.IPage page, string baseUrl)
    {
        await page.GotoAsync(baseUrl + "/account/login");
        await page.FillAsync("#Input_UserName", "admin");
        await page.FillAsync("#Input_Password", StopSyncAppFactory.AdminPassword);
        await page.ClickAsync("form.login button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.OrdinalIgnoreCase));
    }

    internal static Task<HttpResponseMessage> SignInAsync(HttpClient client, string user, string password) =>
        SignedInClient.SignInAsync(client, user, password, "/hangfire");
}
