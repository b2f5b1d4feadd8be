using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StopSync.Jobs.Hosting;

namespace StopSync.Tests.Jobs.Sources.Acquisition;

/// <summary>A test server, a temporary directory with the cache, and services configured like the jobs host.</summary>
internal sealed class AcquisitionTestContext : IAsyncDisposable
{
    private AcquisitionTestContext(SourceTestServer server, string directory)
    {
        Server = server;
        Directory = directory;
        CacheDirectory = Path.Combine(directory, "cache");
        LocalAtlas = Write("local-atlas.csv", "sloid;number"u8.ToArray());
        LocalGtfs = Write("local-gtfs.zip", "gtfs"u8.ToArray());
        LocalOsm = Write("local-osm.xml", "<osm version=\"0.6\"/>"u8.ToArray());
    }

    public SourceTestServer Server { get; }

    public string Directory { get; }

    public string CacheDirectory { get; }

    public string LocalAtlas { get; }

    public string LocalGtfs { get; }

    public string LocalOsm { get; }

    public static async Task<AcquisitionTestContext> StartAsync() =>
        new(await SourceTestServer.StartAsync(), System.IO.Directory.CreateTempSubdirectory("stopsync-acquisition-").FullName);

    public string CachePath(string name) => Path.Combine(CacheDirectory, name);

    public string Write(string name, byte[] content)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>
    /// ATLAS from <c>/atlas.csv</c> on the test server, GTFS and OSM from local files, short retry delays; each
    /// override (a key below <c>Pipeline:Sources</c>) replaces a default, and a null value removes it.
    /// </summary>
    public ServiceProvider CreateServices(params (string Key, string? Value)[] overrides) =>
        CreateServices(_ => { }, overrides);

    public ServiceProvider CreateServices(Action<IServiceCollection> configure, params (string Key, string? Value)[] overrides)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["CacheDirectory"] = CacheDirectory,
            ["RetryDelay"] = "00:00:00.010",
            ["RequestTimeout"] = "00:00:10",
            ["ProbeTimeout"] = "00:00:05",
            ["MaxRetries"] = "3",
            ["Atlas:Url"] = Server.Url("/atlas.csv").ToString(),
            ["Gtfs:Path"] = LocalGtfs,
            ["Osm:Path"] = LocalOsm,
            ["Osm:RetryDelay"] = "00:00:00.010",
        };
        foreach (var (key, value) in overrides)
        {
            if (value is null)
            {
                settings.Remove(key);
            }
            else
            {
                settings[key] = value;
            }
        }

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create($"Pipeline:Sources:{s.Key}", s.Value)))
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        configure(services);
        services.AddStopSyncAcquisition();
        return services.BuildServiceProvider(validateScopes: true);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}

/// <summary>Collects reports on the reporting thread, in order.</summary>
internal sealed class RecordingProgress<T> : IProgress<T>
{
    private readonly List<T> _reports = [];

    public IReadOnlyList<T> Reports
    {
        get
        {
            lock (_reports)
            {
                return [.. _reports];
            }
        }
    }

    public void Report(T value)
    {
        lock (_reports)
        {
            _reports.Add(value);
        }
    }
}
