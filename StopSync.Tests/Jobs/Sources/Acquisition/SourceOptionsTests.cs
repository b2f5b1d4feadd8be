using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StopSync.Jobs.Hosting;
using StopSync.Jobs.Sources.Acquisition;

namespace StopSync.Tests.Jobs.Sources.Acquisition;

public sealed class SourceOptionsTests
{
    [Fact]
    public void Defaults_PointAtTheRealSources()
    {
        var options = Bind([]);

        Assert.Equal(
            "https://data.opentransportdata.swiss/dataset/traffic-point-v2/resource_permalink/actual-date-world-traffic-point.csv",
            options.Atlas.Url);
        Assert.Equal("https://data.opentransportdata.swiss/en/dataset/timetable-{YEAR}-gtfs2020/permalink", options.Gtfs.Url);
        Assert.Equal("https://overpass-api.de/api/interpreter", options.Osm.OverpassUrl);
        Assert.Equal("data/cache", options.CacheDirectory);
        Assert.False(options.ForceRefresh);
        Assert.StartsWith("StopSync/", options.UserAgent, StringComparison.Ordinal);
    }

    [Fact]
    public void Binding_ReadsEveryKeyOfPipelineSources()
    {
        var options = Bind(new()
        {
            ["CacheDirectory"] = "/var/cache/stopsync",
            ["ForceRefresh"] = "true",
            ["UserAgent"] = "Ops/2",
            ["ConnectTimeout"] = "00:00:05",
            ["RequestTimeout"] = "00:02:00",
            ["ProbeTimeout"] = "00:00:20",
            ["MaxRetries"] = "5",
            ["RetryDelay"] = "00:00:01",
            ["Atlas:Path"] = "/data/atlas.csv",
            ["Gtfs:Url"] = "https://mirror.example/gtfs.zip",
            ["Osm:OverpassUrl"] = "https://overpass.example/api/interpreter",
            ["Osm:Query"] = "[out:xml];node(1);out;",
            ["Osm:MaxRetries"] = "1",
            ["Osm:RetryDelay"] = "00:00:30",
        });

        Assert.Equal(
            ("/var/cache/stopsync", true, "Ops/2", TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(20), 5, TimeSpan.FromSeconds(1)),
            (options.CacheDirectory, options.ForceRefresh, options.UserAgent, options.ConnectTimeout, options.RequestTimeout, options.ProbeTimeout,
                options.MaxRetries, options.RetryDelay));
        Assert.Equal("/data/atlas.csv", options.Atlas.Path);
        Assert.Equal("https://mirror.example/gtfs.zip", options.Gtfs.Url);
        Assert.Equal(
            ("https://overpass.example/api/interpreter", "[out:xml];node(1);out;", 1, TimeSpan.FromSeconds(30)),
            (options.Osm.OverpassUrl, options.Osm.Query, options.Osm.MaxRetries, options.Osm.RetryDelay));
    }

    [Fact]
    public void Validation_RejectsPlainHttpToARemoteHost_AndASourceWithNeitherUrlNorPath()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(new()
        {
            ["Atlas:Url"] = "http://data.example/atlas.csv",
            ["Gtfs:Url"] = "",
            ["RequestTimeout"] = "00:00:00",
        }));

        Assert.Contains(error.Failures, f => f.Contains("Pipeline:Sources:Atlas:Url", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("Pipeline:Sources:Gtfs needs a Url or a Path", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("Pipeline:Sources:RequestTimeout", StringComparison.Ordinal));
    }

    [Fact]
    public void Validation_AcceptsALocalPathInPlaceOfAnAddress()
    {
        var options = Bind(new() { ["Atlas:Url"] = "", ["Atlas:Path"] = "atlas.csv", ["Osm:OverpassUrl"] = "", ["Osm:Path"] = "osm.xml" });

        Assert.Equal("osm.xml", options.Osm.Path);
    }

    private static SourceOptions Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create($"Pipeline:Sources:{s.Key}", s.Value)))
            .Build();
        using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddStopSyncAcquisition()
            .BuildServiceProvider();
        return services.GetRequiredService<IOptions<SourceOptions>>().Value;
    }
}
