using System.Net;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Web.Pages;

/// <summary>The map page as the server renders it, and the vendored files its offline base map needs.</summary>
[Collection(IntegrationGroup.Name)]
public sealed class MapPageTests(IntegrationFixture fixture)
{
    [Fact]
    public async Task MapPage_CarriesTheConfiguredTileServer_AndAllowsItsHostInImgSrcOnly()
    {
        var settings = StopSyncAppFactory.DefaultSettings(fixture.ConnectionString, fixture.HangfirePrefix);
        settings["Map:TileUrl"] = "https://{s}.tiles.example.test/{z}/{x}/{y}.png";
        settings["Map:TileAttribution"] = "Tiles & more";
        await using var factory = new StopSyncAppFactory(settings);
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/");
        var html = await response.Content.ReadAsStringAsync();
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();

        Assert.Contains("data-tile-url=\"https://{s}.tiles.example.test/{z}/{x}/{y}.png\"", html, StringComparison.Ordinal);
        Assert.Contains("data-tile-attribution=\"Tiles &amp; more\"", html, StringComparison.Ordinal);
        Assert.Contains("img-src 'self' data: https://*.tiles.example.test;", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self';", csp, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapPage_LoadsItsScriptsAsFiles_WithTheSearchAsAnAccessibleCombobox_AndTheCardAsADialog()
    {
        using var client = fixture.Factory.CreateClient();

        var html = await client.GetStringAsync("/");

        Assert.Matches("<script type=\"module\" src=\"/js/map/main[^\"]*\\.js[^\"]*\"></script>", html);
        Assert.Matches("<script src=\"/lib/topojson-client/topojson-client\\.min[^\"]*\\.js\"></script>", html);
        // Data may be embedded as JSON; nothing else runs from the markup.
        Assert.DoesNotMatch("<script(?![^>]*\\b(src=|type=\"application/json\"))[^>]*>", html);
        Assert.Contains("role=\"combobox\"", html, StringComparison.Ordinal);
        Assert.Contains("aria-controls=\"searchResults\"", html, StringComparison.Ordinal);
        Assert.Contains("role=\"dialog\" aria-modal=\"false\" aria-labelledby=\"stopCardTitle\"", html, StringComparison.Ordinal);
        Assert.Contains("aria-controls=\"filterAside\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/lib/swiss-maps/ch-combined.json", "\"cantons\"")]
    [InlineData("/lib/topojson-client/topojson-client.min.js", "topojson")]
    [InlineData("/lib/leaflet/leaflet.js", "Leaflet")]
    public async Task VendoredFilesOfTheOfflineBaseMap_AreServedByTheSite(string path, string expected)
    {
        using var client = fixture.Factory.CreateClient();

        var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(expected, body, StringComparison.Ordinal);
    }
}
