using Microsoft.Playwright;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Web.Browser;

/// <summary>The web app on Kestrel over one database and a Chromium to drive it; disposing stops both and drops the run's Redis keys.</summary>
internal sealed class BrowserSite : IAsyncDisposable
{
    private readonly StopSyncAppFactory _factory;
    private readonly IPlaywright _playwright;
    private readonly string _prefix;

    private BrowserSite(StopSyncAppFactory factory, string baseUrl, IPlaywright playwright, IBrowser browser, string prefix)
    {
        _factory = factory;
        BaseUrl = baseUrl;
        _playwright = playwright;
        Browser = browser;
        _prefix = prefix;
    }

    public string BaseUrl { get; }

    public IBrowser Browser { get; }

    /// <param name="prefix">The Redis key prefix of this site (Hangfire, rate limits, status), removed on dispose.</param>
    public static async Task<BrowserSite> StartAsync(string connectionString, string prefix)
    {
        var factory = new StopSyncAppFactory(StopSyncAppFactory.DefaultSettings(connectionString, prefix));
        var baseUrl = factory.StartKestrel();
        var playwright = await Playwright.CreateAsync();
        return new BrowserSite(factory, baseUrl, playwright, await TestBrowser.LaunchAsync(playwright), prefix);
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
        await _factory.DisposeAsync();
        await IntegrationFixture.DeleteRedisKeysAsync(_prefix);
    }
}
