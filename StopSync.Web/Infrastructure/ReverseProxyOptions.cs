using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace StopSync.Web.Infrastructure;

// Empty (the default) trusts nobody: any client can send X-Forwarded-For, so believing it unconditionally would let a
// client choose its own address and escape the sign-in rate limit (docs/02-running.md, "Behind a reverse proxy").
public sealed class ReverseProxyOptions
{
    public const string SectionName = "ReverseProxy";

    public List<string> KnownProxies { get; set; } = [];

    public List<string> KnownNetworks { get; set; } = [];

    public bool TrustsAnyProxy => KnownProxies.Count > 0 || KnownNetworks.Count > 0;
}

internal sealed class ForwardedHeadersSetup(IOptions<ReverseProxyOptions> proxies) : IConfigureOptions<ForwardedHeadersOptions>
{
    public void Configure(ForwardedHeadersOptions options)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        // The framework trusts loopback by default; only what is configured counts here.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in proxies.Value.KnownProxies)
        {
            options.KnownProxies.Add(IPAddress.TryParse(proxy.Trim(), out var address)
                ? address
                : throw new OptionsValidationException(ReverseProxyOptions.SectionName, typeof(ReverseProxyOptions),
                    [$"ReverseProxy:KnownProxies: '{proxy}' is not an IP address"]));
        }

        foreach (var network in proxies.Value.KnownNetworks)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network.Trim(), out var parsed)
                ? parsed
                : throw new OptionsValidationException(ReverseProxyOptions.SectionName, typeof(ReverseProxyOptions),
                    [$"ReverseProxy:KnownNetworks: '{network}' is not a network in CIDR notation (e.g. 10.0.0.0/8)"]));
        }

        // Walk back through a chain of known proxies (CDN, then nginx) to the first address none of them vouches for.
        options.ForwardLimit = null;
    }
}
