using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using StopSync.Data.Review;

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
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IOptions<AccountOptions>>((o, accounts) => ConfigureCookie(o, accounts.Value));

        services.AddSingleton<AdminAccountBootstrap>();
        services.AddHostedService(sp => sp.GetRequiredService<AdminAccountBootstrap>());
        return services;
    }

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app) => app;

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
