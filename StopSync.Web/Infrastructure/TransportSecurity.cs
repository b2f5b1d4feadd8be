using Microsoft.AspNetCore.CookiePolicy;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace StopSync.Web.Infrastructure;

public static class TransportSecurity
{
    // No includeSubDomains or preload, which would bind other hosts of the same domain.
    public static readonly TimeSpan HstsMaxAge = TimeSpan.FromDays(365);

    public static IServiceCollection AddStopSyncTransport(this IServiceCollection services)
    {
        services.AddOptions<ReverseProxyOptions>().BindConfiguration(ReverseProxyOptions.SectionName);
        services.AddSingleton<IConfigureOptions<ForwardedHeadersOptions>, ForwardedHeadersSetup>();
        services.AddSingleton<SecurityHeaders>();
        services.Configure<KestrelServerOptions>(o => o.AddServerHeader = false);
        services.AddHsts(o => o.MaxAge = HstsMaxAge);
        // Every cookie is Secure outside Development, even over plain HTTP (TLS ended at a proxy); Development keeps
        // SameAsRequest so that http://localhost and the tests' plain-HTTP server can still sign in.
        services.AddOptions<CookiePolicyOptions>().Configure<IWebHostEnvironment>((o, environment) =>
            o.Secure = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always);
        return services;
    }

    public static IApplicationBuilder UseStopSyncTransport(this IApplicationBuilder app, IWebHostEnvironment environment)
    {
        SecurityHeaders.UseSecurityHeaders(app);
        app.Use(RefuseTraceAsync);
        // The framework's middleware believes every sender when no proxy is configured: it is only added with one.
        if (app.ApplicationServices.GetRequiredService<IOptions<ReverseProxyOptions>>().Value.TrustsAnyProxy)
        {
            app.UseForwardedHeaders();
        }

        if (!environment.IsDevelopment())
        {
            app.UseHsts();
            // Redirects only when an HTTPS port is known (ASPNETCORE_HTTPS_PORT or an https:// Kestrel address).
            app.UseHttpsRedirection();
        }

        app.UseCookiePolicy();
        return app;
    }

    // TRACE (and IIS's TRACK) would echo requests back, cookies included; nothing here needs them.
    private static Task RefuseTraceAsync(HttpContext http, RequestDelegate next)
    {
        if (HttpMethods.IsTrace(http.Request.Method) || string.Equals(http.Request.Method, "TRACK", StringComparison.OrdinalIgnoreCase))
        {
            http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            http.Response.Headers.Allow = "GET, HEAD, POST";
            return Task.CompletedTask;
        }

        return next(http);
    }
}
