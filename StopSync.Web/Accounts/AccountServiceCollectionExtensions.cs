using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using StopSync.Data.Review;
using StopSync.Web.Infrastructure;

namespace StopSync.Web.Accounts;

/// <summary>ASP.NET Core Identity on the review schema, roles reviewer and admin (docs/09-review.md, "Accounts").</summary>
public static class AccountServiceCollectionExtensions
{
    public const string CookieName = "stopsync.auth";

    public static IServiceCollection AddStopSyncAccounts(this IServiceCollection services)
    {
        services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.SectionName);
        services.AddIdentity<UserAccount, IdentityRole>(AccountRules.Apply)
            .AddStopSyncAccountStore()
            .AddDefaultTokenProviders()
            .AddClaimsPrincipalFactory<AccountClaimsFactory>();
        services.AddOptions<DataProtectionTokenProviderOptions>()
            .Configure<IOptions<AccountOptions>>((o, accounts) => o.TokenLifespan = accounts.Value.InviteLifetime);
        // A locked account, a changed role or a new invite link renews the security stamp; sessions notice within a
        // minute instead of Identity's default half hour.
        services.AddOptions<SecurityStampValidatorOptions>()
            .Configure<IOptions<AccountOptions>>((o, accounts) => o.ValidationInterval = accounts.Value.SessionCheckInterval);
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IOptions<AccountOptions>>((o, accounts) => ConfigureCookie(o, accounts.Value));

        services.AddSingleton<AdminAccountBootstrap>();
        services.AddHostedService(sp => sp.GetRequiredService<AdminAccountBootstrap>());
        return services;
    }

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        // Who is signed in, for page scripts that offer decision buttons only to reviewers; 401 when nobody is.
        app.MapMethods("/api/account", [HttpMethods.Get, HttpMethods.Head], (HttpContext http) =>
            {
                // Personal: no shared cache may keep it.
                http.Response.Headers.CacheControl = "no-store";
                return TypedResults.Ok(CurrentAccount.Of(http.User));
            })
            .WithName("GetCurrentAccount")
            .WithTags("Accounts")
            .WithSummary("The signed-in account: id, user name, display name, roles and whether it may record decisions.")
            .RequireAuthorization();
        return app;
    }

    private static void ConfigureCookie(CookieAuthenticationOptions o, AccountOptions accounts)
    {
        o.LoginPath = "/account/login";
        o.LogoutPath = "/account/logout";
        o.Cookie.Name = CookieName;
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Lax;
        o.Cookie.SecurePolicy = accounts.CookieSecurePolicy;
        o.ExpireTimeSpan = accounts.SignInLifetime;
        o.SlidingExpiration = true;
        // API clients get a status, never the HTML of the sign-in page.
        o.Events.OnRedirectToLogin = context => RedirectOrStatus(context, StatusCodes.Status401Unauthorized);
        // The stamp check reads the account; with the database down it would turn every page of a signed-in person,
        // the docs included, into the outage page. The session stays as it is until a check gets through.
        var validate = o.Events.OnValidatePrincipal;
        o.Events.OnValidatePrincipal = async context =>
        {
            try
            {
                await validate(context);
            }
            catch (Exception ex) when (DatabaseOutage.Is(ex))
            {
                context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AccountServiceCollectionExtensions))
                    .LogWarning("Sign-in of {User} not checked against its account, the database is unavailable: {Reason}",
                        context.Principal?.Identity?.Name, ex.Message);
            }
        };
        // Signed in without the role: 403 everywhere (the error page for pages), no page of its own to send them to.
        o.Events.OnRedirectToAccessDenied = context =>
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        };
    }

    private static Task RedirectOrStatus(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }

        return Task.CompletedTask;
    }
}

/// <summary>The answer of <c>GET /api/account</c>.</summary>
public sealed record CurrentAccount(string Id, string UserName, string? DisplayName, IReadOnlyList<string> Roles, bool CanDecide)
{
    public static CurrentAccount Of(ClaimsPrincipal user)
    {
        var roles = user.FindAll(ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal).ToList();
        return new CurrentAccount(
            user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "",
            user.Identity?.Name ?? "",
            user.FindFirstValue(AccountClaimsFactory.DisplayNameClaim),
            roles,
            roles.Any(r => AccountPolicies.ReviewerRoles.Contains(r)));
    }
}
