using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace StopSync.Tests.Web.Api.Decisions;

/// <summary>
/// A test sign-in for the write endpoints, until the site's own sign-in is merged: a request with
/// <c>X-Test-User: name;role</c> is authenticated as that person (claims NameIdentifier, Name, Role). Requests without
/// the header go to the site's own default scheme, so anonymous requests are challenged exactly as in production.
/// Registered only in the tests' app (<see cref="WithTestReviewers"/>).
/// </summary>
internal static class TestReviewers
{
    public const string Scheme = "Test";
    public const string Header = "X-Test-User";
    private const string Selector = "TestOrSite";

    public static WebApplicationFactory<Program> WithTestReviewers(this WebApplicationFactory<Program> factory) =>
        factory.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
        {
            services.AddAuthentication()
                .AddScheme<AuthenticationSchemeOptions, Handler>(Scheme, null)
                .AddPolicyScheme(Selector, null, _ => { });
            // Requests without the header authenticate with the site's own default scheme, read before it is replaced.
            string? site = null;
            services.PostConfigure<AuthenticationOptions>(o =>
            {
                site = o.DefaultAuthenticateScheme ?? o.DefaultScheme;
                o.DefaultChallengeScheme ??= o.DefaultScheme;
                o.DefaultForbidScheme ??= o.DefaultScheme;
                o.DefaultSignInScheme ??= o.DefaultScheme;
                o.DefaultSignOutScheme ??= o.DefaultScheme;
                o.DefaultAuthenticateScheme = Selector;
            });
            services.AddOptions<PolicySchemeOptions>(Selector).PostConfigure<IOptions<AuthenticationOptions>>((o, auth) =>
            {
                _ = auth.Value;
                o.ForwardDefaultSelector = http => http.Request.Headers.ContainsKey(Header) ? Scheme : site;
            });
        }));

    public static ClaimsPrincipal Principal(string name, string? role)
    {
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, "id-" + name), new(ClaimTypes.Name, name) };
        if (!string.IsNullOrEmpty(role))
        {
            claims.Add(new Claim(ClaimTypes.Role, role));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme));
    }

    /// <summary>A client signed in as <paramref name="name"/> (or anonymous), with a valid antiforgery pair when asked.</summary>
    public static HttpClient Client(WebApplicationFactory<Program> factory, string? name, string? role, bool antiforgery = true)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = false,
        });
        if (name is not null)
        {
            client.DefaultRequestHeaders.Add(Header, $"{name};{role}");
        }

        if (antiforgery && name is not null)
        {
            // Tokens as the page would hand them out to this person: they are bound to the signed-in identity.
            using var scope = factory.Services.CreateScope();
            var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider, User = Principal(name, role) };
            var tokens = scope.ServiceProvider.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
            var cookieName = scope.ServiceProvider.GetRequiredService<IOptions<AntiforgeryOptions>>().Value.Cookie.Name;
            client.DefaultRequestHeaders.Add("Cookie", $"{cookieName}={tokens.CookieToken}");
            client.DefaultRequestHeaders.Add("RequestVerificationToken", tokens.RequestToken);
        }

        return client;
    }

    private sealed class Handler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (!Request.Headers.TryGetValue(Header, out var value) || value.ToString() is not { Length: > 0 } text)
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var parts = text.Split(';', 2);
            var principal = Principal(parts[0], parts.Length > 1 ? parts[1] : null);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, TestReviewers.Scheme)));
        }
    }
}
