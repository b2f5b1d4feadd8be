namespace StopSync.Jobs.Sources.Acquisition;

/// <summary>The keys of docs/06-sources.md#downloads-and-freshness.</summary>
public sealed class SourceOptions
{
    public const string SectionName = "Pipeline:Sources";

    public const string DefaultAtlasUrl =
        "https://data.opentransportdata.swiss/dataset/traffic-point-v2/resource_permalink/actual-date-world-traffic-point.csv";

    /// <summary>The timetable dataset is published per year; <c>{YEAR}</c> becomes the current year at run time.</summary>
    public const string DefaultGtfsUrl = "https://data.opentransportdata.swiss/en/dataset/timetable-{YEAR}-gtfs2020/permalink";

    public const string DefaultOverpassUrl = "https://overpass-api.de/api/interpreter";

    public const string YearPlaceholder = "{YEAR}";

    /// <summary>Downloads, partial downloads and <c>sources.json</c>; relative paths are taken from the working directory.</summary>
    public string CacheDirectory { get; set; } = "data/cache";

    public bool ForceRefresh { get; set; }

    public string UserAgent { get; set; } = "StopSync/1.0 (+https://github.com/stopsync)";

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Per attempt and per body chunk; generous because Overpass needs minutes before its first byte.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The whole freshness probe of one source, retries included.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Also bounds the resumes of a body that breaks off.</summary>
    public int MaxRetries { get; set; } = 3;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    public FileSourceOptions Atlas { get; set; } = new() { Url = DefaultAtlasUrl };

    public FileSourceOptions Gtfs { get; set; } = new() { Url = DefaultGtfsUrl };

    public OverpassSourceOptions Osm { get; set; } = new();
}

public sealed class FileSourceOptions
{
    public string? Url { get; set; }

    public string? Path { get; set; }
}

public sealed class OverpassSourceOptions
{
    public string OverpassUrl { get; set; } = SourceOptions.DefaultOverpassUrl;

    /// <summary>The Overpass QL text; empty means <see cref="OverpassQuery.Default"/>.</summary>
    public string? Query { get; set; }

    public string? Path { get; set; }

    /// <summary>Retries after HTTP 502 or 504 (Overpass is busy) or a network error; other statuses fail at once.</summary>
    public int MaxRetries { get; set; } = 2;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);
}
