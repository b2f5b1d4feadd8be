using System.Net;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Mvc.Testing;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Web;

/// <summary>Reverse proxy trust, HTTPS, cookies and the security headers every response carries (docs/02-running.md).</summary>
[Collection(IntegrationGroup.Name)]
public sealed class TransportSecurityTests(IntegrationFixture fixture)
{
    private const string ZurichBox = "8.50,47.35,8.58,47.40";

    [Fact]
    public async Task SignIn_RateLimitsEachForwardedClientSeparately_WhenTheProxyIsKnown()
    {
        var settings = Settings(("Admin:SignInRequestsPerMinute", "2"), ("ReverseProxy:KnownProxies:0", "127.0.0.1"));
        await using var factory = new StopSyncAppFactory(settings);
        var baseUrl = factory.StartKestrel();
        using var client = new HttpClient();

        var first = await SignInPageAsync(client, baseUrl, "203.0.113.10");
        var second = await SignInPageAsync(client, baseUrl, "203.0.113.10");
        var third = await SignInPageAsync(client, baseUrl, "203.0.113.10");
        var otherClient = await SignInPageAsync(client, baseUrl, "198.51.100.7");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], [first, second, third]);
        Assert.Equal(HttpStatusCode.OK, otherClient);
    }

    [Fact]
    public async Task SignIn_IgnoresForwardedFor_WhenNoProxyIsConfigured()
    {
        // Without configured proxies a client could pick a fresh address per request and never be limited.
        await using var factory = new StopSyncAppFactory(Settings(("Admin:SignInRequestsPerMinute", "2")));
        var baseUrl = factory.StartKestrel();
        using var client = new HttpClient();

        var statuses = new List<HttpStatusCode>();
        foreach (var address in (string[])["203.0.113.1", "203.0.113.2", "203.0.113.3"])
        {
            statuses.Add(await SignInPageAsync(client, baseUrl, address));
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }

    [Theory]
    [InlineData("ReverseProxy:KnownProxies:0", "proxy.example", "is not an IP address")]
    [InlineData("ReverseProxy:KnownNetworks:0", "10.0.0.0/40", "is not a network in CIDR notation")]
    public async Task App_RefusesToStart_WithAMalformedProxySetting(string key, string value, string message)
    {
        await using var factory = new StopSyncAppFactory(Settings((key, value)));

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/problems")]
    [InlineData("/docs")]
    [InlineData("/api/stops?bbox=" + ZurichBox)]
    [InlineData("/api/system/pipeline_status")]
    [InlineData("/css/site.css")]
    [InlineData("/no-such-page")]
    public async Task Response_CarriesTheSecurityHeaders(string url)
    {
        using var client = fixture.Factory.CreateClient();

        var response = await client.GetAsync(url);

        var csp = Header(response, "Content-Security-Policy");
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("base-uri 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("img-src 'self' data:", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", ScriptSources(csp), StringComparison.Ordinal);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("strict-origin-when-cross-origin", Header(response, "Referrer-Policy"));
    }

    [Fact]
    public async Task ContentSecurityPolicy_AllowsImagesFromTheTileHost_WhenATileUrlIsConfigured()
    {
        await using var factory = new StopSyncAppFactory(Settings(("Map:TileUrl", "https://{s}.tiles.example.test/osm/{z}/{x}/{y}.png")));
        using var client = factory.CreateClient();

        var csp = Header(await client.GetAsync("/"), "Content-Security-Policy");

        Assert.Contains("img-src 'self' data: https://*.tiles.example.test;", csp, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://tile.example.org/{z}/{x}/{y}.png", "https://tile.example.org")]
    [InlineData("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org")]
    [InlineData("HTTP://Tiles.Example.org:8080/{z}/{x}/{y}.png?key=abc", "http://tiles.example.org:8080")]
    [InlineData("/tiles/{z}/{x}/{y}.png", null)]
    [InlineData("", null)]
    public void TileSource_IsTheOriginOfTheTileTemplate(string template, string? expected)
    {
        Assert.Equal(expected, StopSync.Web.Infrastructure.SecurityHeaders.TileSource(template));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/problems")]
    [InlineData("/data/analytics")]
    [InlineData("/docs")]
    [InlineData("/account/login")]
    [InlineData("/no-such-page")]
    public async Task Page_HasNoInlineScript(string url)
    {
        using var client = fixture.Factory.CreateClient();

        // The 404 page too: it is the layout with the error text.
        var document = new HtmlParser().ParseDocument(await (await client.GetAsync(url)).Content.ReadAsStringAsync());
        var inline = document.QuerySelectorAll("script")
            .Where(s => s.GetAttribute("src") is null && s.GetAttribute("type") != "application/json")
            .Select(s => s.OuterHtml)
            .ToList();

        Assert.NotEmpty(document.QuerySelectorAll("script"));
        Assert.Empty(inline);
    }

    [Fact]
    public async Task Kestrel_SendsNoServerHeader()
    {
        await using var factory = new StopSyncAppFactory(Settings());
        var baseUrl = factory.StartKestrel();
        using var client = new HttpClient();

        var response = await client.GetAsync(baseUrl + "/docs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(response.Headers.Server);
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task Production_RedirectsToHttpsAndSendsHsts_WhenAnHttpsPortIsKnown()
    {
        await using var factory = new StopSyncAppFactory(Settings(("environment", "Production"), ("https_port", "443")));
        using var plain = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var secure = factory.CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            BaseAddress = new Uri("https://stopsync.example"),
        });

        var redirect = await plain.GetAsync("/docs/running");
        var page = await secure.GetAsync("/docs/running");

        Assert.Equal(HttpStatusCode.TemporaryRedirect, redirect.StatusCode);
        Assert.Equal("https://localhost/docs/running", redirect.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.StartsWith("max-age=", Header(page, "Strict-Transport-Security"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Development_NeitherRedirectsNorSendsHsts()
    {
        using var client = fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            BaseAddress = new Uri("https://stopsync.example"),
        });

        var page = await client.GetAsync("/docs/running");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.False(page.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Production_MarksTheAntiforgeryAndSignInCookiesSecure_EvenOverPlainHttp()
    {
        // Plain HTTP reaches the app when TLS ends at a proxy that is not (yet) configured as known: the cookies must
        // still never travel unencrypted between browser and proxy.
        await using var factory = new StopSyncAppFactory(Settings(("environment", "Production")));
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

        var login = await client.GetAsync("/account/login");
        var antiforgery = SetCookies(login).Single(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
        var token = new HtmlParser().ParseDocument(await login.Content.ReadAsStringAsync())
            .QuerySelector("form.login input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var post = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Input.UserName"] = "admin",
                ["Input.Password"] = StopSyncAppFactory.AdminPassword,
                ["__RequestVerificationToken"] = token,
            }),
        };
        post.Headers.Add("Cookie", antiforgery.Split(';')[0]);
        var signIn = await client.SendAsync(post);
        var auth = SetCookies(signIn).Single(c => c.StartsWith("stopsync.auth=", StringComparison.Ordinal));

        Assert.Contains("; secure", antiforgery, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Contains("; secure", auth, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", auth, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Development_KeepsCookiesUsableOverPlainHttp()
    {
        using var client = fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });

        var login = await client.GetAsync("/account/login");
        var antiforgery = SetCookies(login).Single(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));

        Assert.DoesNotContain("; secure", antiforgery, StringComparison.OrdinalIgnoreCase);
    }

    private Dictionary<string, string?> Settings(params (string Key, string Value)[] extra)
    {
        var settings = StopSyncAppFactory.DefaultSettings(fixture.ConnectionString, fixture.HangfirePrefix);
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }

    private static async Task<HttpStatusCode> SignInPageAsync(HttpClient client, string baseUrl, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, baseUrl + "/account/login");
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : throw new Xunit.Sdk.XunitException($"{response.RequestMessage?.RequestUri} answered without a {name} header");

    private static string ScriptSources(string csp) =>
        csp.Split(';').Select(d => d.Trim()).FirstOrDefault(d => d.StartsWith("script-src ", StringComparison.Ordinal)) ?? "";

    private static List<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? [.. values] : [];
}
