using System.Net;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Web;

/// <summary>HEAD answers like GET wherever GET does; TRACE is refused everywhere.</summary>
[Collection(IntegrationGroup.Name)]
public sealed class HttpMethodTests(IntegrationFixture fixture)
{
    [Fact]
    public async Task Head_AnswersLikeGet_WithoutABody()
    {
        // On Kestrel: the in-process test server would pass a HEAD response's body through, Kestrel drops it.
        await using var factory = new StopSyncAppFactory(StopSyncAppFactory.DefaultSettings(fixture.ConnectionString, fixture.HangfirePrefix));
        var baseUrl = factory.StartKestrel();
        using var client = new HttpClient();

        foreach (var url in (string[])["/", "/problems", "/data/analytics", "/docs/running", "/account/login", "/api/stops?bbox=8.50,47.35,8.58,47.40",
            "/api/system/pipeline_status", "/health", "/css/site.css"])
        {
            using var get = await client.GetAsync(baseUrl + url);
            using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, baseUrl + url));
            var body = await head.Content.ReadAsByteArrayAsync();

            // One string per URL, so that a failure names the address.
            Assert.Equal($"{url}: 200 {get.Content.Headers.ContentType?.MediaType} 0 bytes",
                $"{url}: {(int)head.StatusCode} {head.Content.Headers.ContentType?.MediaType} {body.Length} bytes");
        }
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/problems")]
    [InlineData("/docs")]
    [InlineData("/account/login")]
    [InlineData("/api/stops?bbox=8.50,47.35,8.58,47.40")]
    [InlineData("/api/system/pipeline_status")]
    [InlineData("/health")]
    [InlineData("/hangfire")]
    [InlineData("/css/site.css")]
    public async Task Trace_IsRefusedWith405_Everywhere(string url)
    {
        using var client = fixture.Factory.CreateClient();

        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Trace, url));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.DoesNotContain("<html", body, StringComparison.OrdinalIgnoreCase);
    }
}
