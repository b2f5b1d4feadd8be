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
        using var client = fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var signIn = await SignInAsync(client, "admin", "not-the-password");
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

    [Theory]
    [InlineData(true, HttpStatusCode.OK)]
    [InlineData(false, HttpStatusCode.Redirect)]
    public async Task Dashboard_OpensToRequestsFromThisMachine_OnlyWhenConfigured(bool allowLocal, HttpStatusCode expected)
    {
        var settings = StopSyncAppFactory.DefaultSettings(fixture.ConnectionString, fixture.HangfirePrefix);
        settings["Admin:AllowLocalRequests"] = allowLocal ? "true" : "false";
        await using var factory = new StopSyncAppFactory(settings);
        var baseUrl = factory.StartKestrel();
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        var response = await client.GetAsync(baseUrl + "/hangfire");

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData("X-Forwarded-For", "203.0.113.9")]
    [InlineData("X-Forwarded-Host", "stopsync.example")]
    [InlineData("X-Forwarded-Proto", "https")]
    [InlineData("Forwarded", "for=203.0.113.9;proto=https")]
    [InlineData("X-Real-IP", "203.0.113.9")]
    public async Task Dashboard_StaysClosedToLoopbackRequestsThatWereForwarded(string header, string value)
    {
        // A reverse proxy on the same host connects from loopback; the header shows someone else is behind it.
        var settings = StopSyncAppFactory.DefaultSettings(fixture.ConnectionString, fixture.HangfirePrefix);
        settings["Admin:AllowLocalRequests"] = "true";
        await using var factory = new StopSyncAppFactory(settings);
        var baseUrl = factory.StartKestrel();
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, baseUrl + "/hangfire");
        request.Headers.TryAddWithoutValidation(header, value);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Dashboard_StaysClosed_WhenAKnownProxyForwardsALoopbackClientAddress()
    {
        // After the forwarded headers the remote address reads 127.0.0.1; the decision is taken on the connection.
        var settings = StopSyncAppFactory.DefaultSettings(fixture.ConnectionString, fixture.HangfirePrefix);
        settings["Admin:AllowLocalRequests"] = "true";
        settings["ReverseProxy:KnownProxies:0"] = "127.0.0.1";
        await using var factory = new StopSyncAppFactory(settings);
        var baseUrl = factory.StartKestrel();
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, baseUrl + "/hangfire");
        request.Headers.Add("X-Forwarded-For", "127.0.0.1");

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
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

    internal static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string user, string password)
    {
        var page = await client.GetStringAsync("/account/login?ReturnUrl=%2Fhangfire");
        var form = new HtmlParser().ParseDocument(page).QuerySelector("form.login")!;
        var token = form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        return await client.PostAsync("/account/login?ReturnUrl=%2Fhangfire", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.UserName"] = user,
            ["Input.Password"] = password,
            ["__RequestVerificationToken"] = token,
        }));
    }
}
