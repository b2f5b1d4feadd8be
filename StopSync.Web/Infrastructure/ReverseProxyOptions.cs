using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace StopSync.Web.Infrastructure;

/// <summary>
/// The reverse proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed. Empty (the default) trusts
/// nobody: any client can send those headers, so believing them unconditionally would let it choose its own address
/// (and escape the sign-in rate limit). See docs/02-running.md.
/// </summary>
public sealed class ReverseProxyOptions
{
    public const string SectionName = "ReverseProxy";

    /// <summary>Addresses of the proxies themselves, e.g. <c>10.0.0.5</c> or <c>::1</c>.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks the proxies live in, in CIDR notation, e.g. <c>172.18.0.0/16</c>.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    public bool TrustsAnyProxy => KnownProxies.Count > 0 || KnownNetworks.Count > 0;
}

/// <summary>Turns <see cref="ReverseProxyOptions"/> into the framework's forwarded-headers settings.</summary>
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
