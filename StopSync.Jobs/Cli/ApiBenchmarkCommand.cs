using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace StopSync.Jobs.Cli;

/// <summary>
/// A load client for the map API (docs/05-api.md, "Measured"): each scenario in turn, for a fixed time, from a fixed
/// number of concurrent connections, each sending its next request as soon as the previous answer is read.
/// </summary>
internal static class ApiBenchmarkCommand
{
    // Zürich HB, where the generated datasets are densest.
    private const double CenterLat = 47.3779;
    private const double CenterLon = 8.5403;

    public static Command BenchApi()
    {
        var url = new Option<string>("--url") { Description = "Base address of the site", DefaultValueFactory = _ => "http://127.0.0.1:5001" };
        var connections = new Option<int>("--connections") { Description = "Concurrent connections", DefaultValueFactory = _ => 32 };
        var duration = new Option<string>("--duration") { Description = "Time per scenario: 20s, 1m or 00:00:20", DefaultValueFactory = _ => "20s" };
        var scenarios = new Option<string[]>("--scenario")
        {
            Description = $"Scenarios to run (repeatable; default all): {string.Join(", ", ScenarioNames)}",
            AllowMultipleArgumentsPerToken = true,
        };
        var query = new Option<string>("--search") { Description = "Search text of the search scenario", DefaultValueFactory = _ => "zürich" };
        var command = new Command("bench-api", "Load the map API with concurrent clients and print latency percentiles per scenario.")
        {
            url, connections, duration, scenarios, query,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (!TryParseDuration(parse.GetValue(duration)!, out var time) || parse.GetValue(connections) < 1)
            {
                await Console.Error.WriteLineAsync("error: --duration must be like 20s, 1m or 00:00:20 and --connections at least 1");
                return 2;
            }

            var selected = parse.GetValue(scenarios) is { Length: > 0 } names ? names : ScenarioNames;
            if (selected.FirstOrDefault(n => !ScenarioNames.Contains(n)) is { } unknown)
            {
                await Console.Error.WriteLineAsync($"error: unknown scenario '{unknown}'; known: {string.Join(", ", ScenarioNames)}");
                return 2;
            }

            return await RunAsync(new Uri(parse.GetValue(url)!), parse.GetValue(connections), time, selected, parse.GetValue(query)!, Console.Out, ct);
        });
        return command;
    }

    private static readonly string[] ScenarioNames =
        ["city-z15", "canton-z13-filtered", "overview-z13", "global-stats", "global-stats-uncached", "top-matches", "search",
         "analytics-page", "analytics-api"];

    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        text = text.Trim();
        duration = default;
        if (text.EndsWith('s') && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            duration = TimeSpan.FromSeconds(seconds);
        }
        else if (text.EndsWith('m') && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var minutes))
        {
            duration = TimeSpan.FromMinutes(minutes);
        }
        else if (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration))
        {
            return false;
        }

        return duration > TimeSpan.Zero;
    }

    private static async Task<int> RunAsync(
        Uri baseUrl, int connections, TimeSpan duration, IReadOnlyList<string> names, string search, TextWriter output, CancellationToken ct)
    {
        using var http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            // Bytes are counted as sent: compressed, as a browser receives them.
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        })
        { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.AcceptEncoding.ParseAdd("br, gzip");

        var atlasOperator = await BusiestOperatorAsync(http, ct);
        output.WriteLine($"bench-api on {baseUrl} ({connections} connections, {duration.TotalSeconds:F0} s per scenario, client on {Environment.ProcessorCount} cores)");
        output.WriteLine($"{"scenario",-24} {"requests",9} {"errors",7} {"req/s",8} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"max ms",8} {"bytes/resp",11}");
        var failed = false;
        foreach (var name in names)
        {
            var next = Scenario(name, atlasOperator, search);
            var result = await MeasureAsync(http, next, connections, duration, ct);
            failed |= result.Errors > 0;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-24} {result.Requests,9} {result.Errors,7} {result.Requests / duration.TotalSeconds,8:F0} {result.Percentile(50),8:F1} {result.Percentile(95),8:F1} {result.Percentile(99),8:F1} {result.Percentile(100),8:F1} {result.BytesPerResponse,11:F0}"));
            if (result.FirstError is not null)
            {
                output.WriteLine($"  first error: {result.FirstError}");
            }
        }

        return failed ? 1 : 0;
    }

    /// <summary>A request path per call; scenarios that vary their request use the random source.</summary>
    private static Func<Random, string> Scenario(string name, string? atlasOperator, string search)
    {
        var city = Viewport(15);
        var canton = Viewport(13);
        var operatorFilter = atlasOperator is null ? "" : "&atlas_operator=" + Uri.EscapeDataString(atlasOperator);
        return name switch
        {
            "city-z15" => _ => $"/api/data?bbox={city}&zoom=15",
            "canton-z13-filtered" => _ => $"/api/data?bbox={canton}&zoom=13&limit=1800&include_meta=1&canton=ZH&stop_filter=matched{operatorFilter}",
            "overview-z13" => _ => $"/api/data?bbox={canton}&zoom=13&limit=1800&include_meta=1",
            "global-stats" => random => "/api/global_stats?" + StatsFilters[random.Next(StatsFilters.Length)],
            // 26,000 filter combinations, more than the server's cache holds (2,000): nearly every call runs the query.
            "global-stats-uncached" => random =>
                $"/api/global_stats?canton={CantonCodes[random.Next(CantonCodes.Length)]}&top_n={random.Next(1, 1001)}",
            "top-matches" => _ => "/api/top_matches?limit=10&canton=ZH",
            "search" => _ => "/api/search?q=" + Uri.EscapeDataString(search),
            // The Data page's Analytics tab (HTML with every kept publication's row) and the JSON its charts read.
            "analytics-page" => _ => "/data/analytics",
            "analytics-api" => _ => "/api/analytics",
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown scenario"),
        };
    }

    private static readonly string[] CantonCodes =
    [
        "ZH", "BE", "LU", "UR", "SZ", "OW", "NW", "GL", "ZG", "FR", "SO", "BS", "BL", "SH", "AR", "AI", "SG", "GR", "AG", "TG",
        "TI", "VD", "VS", "NE", "GE", "JU",
    ];

    private static readonly string[] StatsFilters =
    [
        "", "stop_filter=matched", "canton=ZH", "canton=ZH&stop_filter=matched", "stop_filter=atlas_unmatched,osm_unmatched",
        "problem_type=distance&problem_priority=1", "osm_group_types=all", "transport_types=platform,tram_stop",
    ];

    /// <summary>The map's request at this zoom: a 1920×1080 screen around Zürich HB, padded by 25% on each side.</summary>
    private static string Viewport(int zoom)
    {
        var degreesPerPixel = 360.0 / (256 * Math.Pow(2, zoom));
        var halfLon = 1920 * degreesPerPixel * 1.5 / 2;
        var halfLat = 1080 * degreesPerPixel * Math.Cos(CenterLat * Math.PI / 180) * 1.5 / 2;
        return string.Create(CultureInfo.InvariantCulture,
            $"{CenterLat - halfLat:F6},{CenterLon - halfLon:F6},{CenterLat + halfLat:F6},{CenterLon + halfLon:F6}");
    }

    private static async Task<string?> BusiestOperatorAsync(HttpClient http, CancellationToken ct)
    {
        try
        {
            using var response = await http.GetAsync("/api/atlas_operators", ct);
            var stream = await response.Content.ReadAsStreamAsync(ct);
            var encoding = response.Content.Headers.ContentEncoding.FirstOrDefault();
            await using var body = encoding switch
            {
                "br" => new System.IO.Compression.BrotliStream(stream, System.IO.Compression.CompressionMode.Decompress),
                "gzip" => new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionMode.Decompress),
                _ => stream,
            };
            using var json = await JsonDocument.ParseAsync(body, cancellationToken: ct);
            var operators = json.RootElement.GetProperty("operators").EnumerateArray().Select(o => o.GetString()).ToList();
            return operators.Contains("SBB") ? "SBB" : operators.FirstOrDefault();
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    private static async Task<ScenarioResult> MeasureAsync(HttpClient http, Func<Random, string> next, int connections, TimeSpan duration, CancellationToken ct)
    {
        // One untimed round to open the connections and warm the caches of the server.
        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => SendAsync(http, next(Random.Shared), ct)));
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, connections).Select(async i =>
        {
            var random = new Random(i);
            var result = new ScenarioResult();
            while (Stopwatch.GetTimestamp() < until && !ct.IsCancellationRequested)
            {
                var start = Stopwatch.GetTimestamp();
                var (ok, bytes, error) = await SendAsync(http, next(random), ct);
                result.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds, ok, bytes, error);
            }

            return result;
        }).ToList();
        return ScenarioResult.Merge(await Task.WhenAll(workers));
    }

    private static async Task<(bool Ok, long Bytes, string? Error)> SendAsync(HttpClient http, string path, CancellationToken ct)
    {
        try
        {
            using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, ct);
            var body = await response.Content.ReadAsByteArrayAsync(ct);
            return response.IsSuccessStatusCode ? (true, body.Length, null) : (false, body.Length, $"{(int)response.StatusCode} on {path}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return (false, 0, $"{ex.GetType().Name} on {path}: {ex.Message}");
        }
    }

    private sealed class ScenarioResult
    {
        private readonly List<double> _latencies = [];

        public int Requests => _latencies.Count;
        public int Errors { get; private set; }
        public double BytesPerResponse => Requests == 0 ? 0 : (double)TotalBytes / Requests;
        public string? FirstError { get; private set; }
        private long TotalBytes { get; set; }

        public void Add(double milliseconds, bool ok, long bytes, string? error)
        {
            _latencies.Add(milliseconds);
            TotalBytes += bytes;
            if (!ok)
            {
                Errors++;
                FirstError ??= error;
            }
        }

        public double Percentile(double p)
        {
            if (_latencies.Count == 0)
            {
                return 0;
            }

            var index = (int)Math.Ceiling(p / 100 * _latencies.Count) - 1;
            return _latencies[Math.Clamp(index, 0, _latencies.Count - 1)];
        }

        public static ScenarioResult Merge(IEnumerable<ScenarioResult> parts)
        {
            var merged = new ScenarioResult();
            foreach (var part in parts)
            {
                merged._latencies.AddRange(part._latencies);
                merged.Errors += part.Errors;
                merged.TotalBytes += part.TotalBytes;
                merged.FirstError ??= part.FirstError;
            }

            merged._latencies.Sort();
            return merged;
        }
    }
}
