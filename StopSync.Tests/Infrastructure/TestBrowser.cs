using Microsoft.Playwright;

namespace StopSync.Tests.Infrastructure;

/// <summary>Debian's Chromium driven by Playwright: never a downloaded browser, no network beyond the test server.</summary>
internal static class TestBrowser
{
    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        Assert.True(File.Exists(TestEnvironment.ChromiumPath),
            $"Chromium is missing at {TestEnvironment.ChromiumPath}; ./test.sh installs Debian's chromium (or set CHROMIUM_PATH).");
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = TestEnvironment.ChromiumPath,
            Headless = true,
            // Without the background-networking switches Chromium keeps trying to reach outside hosts.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }
}
