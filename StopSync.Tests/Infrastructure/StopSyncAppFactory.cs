using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace StopSync.Tests.Infrastructure;

/// <summary>The web app on real PostGIS and Redis, with test settings (own database, own Hangfire key prefix).</summary>
internal sealed class StopSyncAppFactory(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
{
    public const string AdminPassword = "test-admin-password";

    public static Dictionary<string, string?> DefaultSettings(string databaseConnectionString, string hangfirePrefix)
    {
        var settings = BaseSettings(databaseConnectionString, hangfirePrefix);
        // Tests share one client address: generous API limits, counted under this test's own Redis prefix.
        foreach (var (key, value) in Web.Api.ApiTestSettings.GenerousRateLimits(hangfirePrefix))
        {
            settings[key] = value;
        }

        return settings;
    }

    private static Dictionary<string, string?> BaseSettings(string databaseConnectionString, string hangfirePrefix) => new()
    {
        ["ConnectionStrings:StopSync"] = databaseConnectionString,
        ["ConnectionStrings:Redis"] = TestEnvironment.RedisConnectionString,
        ["Hangfire:Prefix"] = hangfirePrefix,
        ["Pipeline:KeyPrefix"] = hangfirePrefix + "pipeline:",
        ["DataProtection:RedisKey"] = hangfirePrefix + "data-protection-keys",
        ["Admin:UserName"] = "admin",
        ["Admin:Password"] = AdminPassword,
        // The test client (a CookieContainer) sends no Secure cookie over http://localhost; browsers would.
        ["Accounts:CookieSecurePolicy"] = "SameAsRequest",
        // Test-server requests share one (empty) client address, so the sign-in limit would bite across tests.
        ["Admin:SignInRequestsPerMinute"] = "1000",
        // Zürich, where the demo dataset has stops, so that the first view of the map shows markers.
        ["Map:CenterLat"] = "47.3782",
        ["Map:CenterLon"] = "8.5402",
        ["Map:Zoom"] = "14",
        ["Map:TileUrl"] = "",
    };

    /// <summary>Serves the app on real Kestrel at a free loopback port and returns its base address.</summary>
    public string StartKestrel()
    {
        // An explicit loopback endpoint on port 0, not UseKestrel(0): that overload rewrites the server addresses after the
        // app has started binding and fails intermittently ("Addresses cannot be modified after the server has started").
        UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        StartServer();
        return Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    /// <summary>
    /// Hangfire keeps its log provider in a static, pointing at the logger factory of the last host built. Once this app is
    /// disposed that factory is too, and the next Hangfire call in another app of this test process would fail on it.
    /// Production runs one host per process; here the static is cleared (Hangfire falls back to no logging).
    /// </summary>
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Hangfire.Logging.LogProvider.SetCurrentLogProvider(null);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
