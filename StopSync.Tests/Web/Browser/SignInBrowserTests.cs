using Microsoft.Playwright;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Web.Browser;

/// <summary>Signing in with a real browser, where the cookie rules (Secure outside Development) are enforced.</summary>
[Collection(IntegrationGroup.Name)]
public sealed class SignInBrowserTests(IntegrationFixture fixture)
{
    [Fact]
    public async Task SignIn_WorksOverPlainHttpOnLocalhost_InProduction()
    {
        // run.sh serves Production on http://localhost: browsers keep Secure cookies there, so the policy does not lock
        // the administrator out of a local installation.
        var settings = StopSyncAppFactory.DefaultSettings(fixture.ConnectionString, fixture.HangfirePrefix);
        settings["environment"] = "Production";
        await using var factory = new StopSyncAppFactory(settings);
        var baseUrl = factory.StartKestrel().Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await TestBrowser.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();

        await DashboardAuthorizationTests.SignInInBrowserAsync(page, baseUrl);
        var cookies = await page.Context.CookiesAsync();
        await page.GotoAsync(baseUrl + "/hangfire");
        var title = await page.TitleAsync();

        Assert.True(cookies.Single(c => c.Name == "stopsync.auth").Secure);
        Assert.True(page.Url.EndsWith("/hangfire", StringComparison.Ordinal), page.Url);
        Assert.Contains("StopSync jobs", title, StringComparison.Ordinal);
    }
}
