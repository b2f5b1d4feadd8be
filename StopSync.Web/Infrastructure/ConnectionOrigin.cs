using System.Net;

namespace StopSync.Web.Infrastructure;

/// <summary>
/// Whether the request came straight from this machine, decided from the connection itself before the forwarded
/// headers rewrite the remote address. A proxy on the same host connects from loopback too, so any request that
/// carries a forwarding header counts as coming from elsewhere, whoever sent it.
/// </summary>
public sealed record ConnectionOrigin(bool IsDirectLocal)
{
    private static readonly string[] ForwardingHeaders = ["X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "Forwarded", "X-Real-IP"];

    // Test servers and Unix sockets have no remote address: that is not a local request.
    public static ConnectionOrigin Of(HttpContext http) => new(
        http.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip)
        && !ForwardingHeaders.Any(h => http.Request.Headers.ContainsKey(h)));

    /// <summary>Records the origin as a request feature; must run before <c>UseForwardedHeaders</c>.</summary>
    public static IApplicationBuilder UseConnectionOrigin(IApplicationBuilder app) => app.Use((http, next) =>
    {
        http.Features.Set(Of(http));
        return next(http);
    });

    /// <summary>False when the feature is missing: a request nobody classified is not trusted as local.</summary>
    public static bool IsDirectLocalRequest(HttpContext http) => http.Features.Get<ConnectionOrigin>()?.IsDirectLocal == true;
}
