using System.Net;

namespace StopSync.Web.Infrastructure;

// Decided from the connection before the forwarded headers rewrite the remote address. A proxy on the same host
// connects from loopback too, so a request with any forwarding header counts as coming from elsewhere.
public sealed record ConnectionOrigin(bool IsDirectLocal)
{
    private static readonly string[] ForwardingHeaders = ["X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "Forwarded", "X-Real-IP"];

    // Test servers and Unix sockets have no remote address: that is not a local request.
    public static ConnectionOrigin Of(HttpContext http) => new(
        http.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip)
        && !ForwardingHeaders.Any(h => http.Request.Headers.ContainsKey(h)));

    public static IApplicationBuilder UseConnectionOrigin(IApplicationBuilder app) => app.Use((http, next) =>
    {
        http.Features.Set(Of(http));
        return next(http);
    });

    // False when the feature is missing: a request nobody classified is not trusted as local.
    public static bool IsDirectLocalRequest(HttpContext http) => http.Features.Get<ConnectionOrigin>()?.IsDirectLocal == true;
}
