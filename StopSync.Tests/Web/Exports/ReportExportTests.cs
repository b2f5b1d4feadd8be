using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using nietras.SeparatedValues;
using Npgsql;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Web.Exports;

/// <summary>
/// The reports of /data/export (docs/10-history.md, "Exports") on the published demo dataset: their rows are the API's
/// rows for the same filters, long ones run as a Hangfire job whose progress reaches the total, and bad input answers 400.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class ReportExportTests(IntegrationFixture integration) : IAsyncLifetime
{
    private ReportExportFixture _fixture = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _fixture = await ReportExportFixture.StartAsync(integration);
        _client = _fixture.Factory.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _fixture.DisposeAsync();
    }

    [Fact]
    public async Task ProblemsCsv_HoldsTheRowsOfApiProblems_InTheirOrder_ForTheSameFilters()
    {
        var op = await ScalarAsync<string>(
            "SELECT s.atlas_operator FROM problems p JOIN stops_matched s ON s.id = p.stop_id WHERE s.atlas_operator IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1");
        var filters = $"atlas_operator={Uri.EscapeDataString(op)}&priority=1,2&problem_type=distance,unmatched,attributes";
        var expected = await ApiProblemsAsync(filters);
        Assert.True(expected.Count > 5, $"the demo dataset should have problems of {op}");

        var csv = await GetCsvAsync($"/api/generate_report?report_type=problems&{filters.Replace("priority=", "priorities=").Replace("problem_type=", "problem_types=")}");

        Assert.Equal(
            ["Problem Type", "Priority", "SLOID", "Official Designation", "ATLAS Operator", "OSM Node ID", "Distance", "Matching Method"],
            csv.Header);
        Assert.Equal(expected.Select(p => (p.Type, p.Priority.ToString(CultureInfo.InvariantCulture), p.Sloid ?? "N/A", p.OsmNodeId ?? "N/A")),
            csv.Rows.Select(r => (r[0], r[1], r[2], r[5])));
        Assert.All(csv.Rows, r => Assert.Equal(op, r[4]));
        // Distances with one decimal; the API's have two, so the two roundings of one value differ by at most 0.05.
        Assert.All(expected.Zip(csv.Rows), pair => DistanceMatches(pair.First.Distance, pair.Second[6]));
    }

    [Fact]
    public async Task ProblemsGeoJson_HoldsTheRowsOfApiProblems_AsPointsAtTheirPosition()
    {
        var canton = await ScalarAsync<string>(
            "SELECT s.canton FROM problems p JOIN stops_matched s ON s.id = p.stop_id WHERE s.canton IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1");
        var expected = await ApiProblemsAsync($"canton={canton}");

        var response = await _client.GetAsync($"/api/generate_report?report_type=problems&format=geojson&canton={canton.ToLowerInvariant()}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/geo+json", response.Content.Headers.ContentType!.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("FeatureCollection", json.RootElement.GetProperty("type").GetString());
        var features = json.RootElement.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(expected.Count, features.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var properties = features[i].GetProperty("properties");
            var coordinates = features[i].GetProperty("geometry").GetProperty("coordinates");
            Assert.Equal(
                (expected[i].Type, expected[i].Priority, expected[i].Sloid, expected[i].OsmNodeId, expected[i].Lon, expected[i].Lat),
                (properties.GetProperty("Problem Type").GetString(), properties.GetProperty("Priority").GetInt32(),
                    properties.GetProperty("SLOID").GetString(), properties.GetProperty("OSM Node ID").GetString(),
                    coordinates[0].GetDouble(), coordinates[1].GetDouble()));
        }
    }

    [Fact]
    public async Task DistanceCsv_HoldsTheRowsOfTopMatches_ForTheSameFilters()
    {
        using var top = JsonDocument.Parse(await _client.GetStringAsync("/api/top_matches?limit=100&match_method=distance_matching_1,exact"));
        var expected = top.RootElement.EnumerateArray()
            .Select(r => (Sloid: r.GetProperty("sloid").GetString(), Osm: r.GetProperty("osm_node_id").GetString(),
                Distance: r.GetProperty("distance_m").GetDouble(), Method: r.GetProperty("match_type").GetString()))
            .ToList();
        Assert.True(expected.Count > 10);

        var csv = await GetCsvAsync("/api/generate_report?report_type=top_matches&limit=100&match_method=distance_matching_1,exact&include_fields=atlas_coords,osm_coords");

        Assert.Equal(
            ["SLOID", "Official Designation", "ATLAS Operator", "OSM Node ID", "Distance (m)", "Matching Method", "Atlas Lat", "Atlas Lon", "OSM Lat", "OSM Lon"],
            csv.Header);
        Assert.Equal(expected.Select(e => (e.Sloid, e.Osm, e.Method)), csv.Rows.Select(r => ((string?)r[0], (string?)r[3], (string?)r[5])));
        Assert.All(expected.Zip(csv.Rows), pair => DistanceMatches(pair.First.Distance, pair.Second[4]));
        // Coordinates with 6 decimals.
        Assert.All(csv.Rows, r => Assert.Matches(@"^\d+\.\d{6}$", r[6]));
    }

    [Fact]
    public async Task UnmatchedCsv_HoldsTheMapRowsOfTheUnmatchedTypes_ForTheSameFilters()
    {
        using var map = JsonDocument.Parse(await _client.GetStringAsync(
            "/api/data?bbox=45.5,5.5,48.0,11.0&stop_filter=osm_unmatched&limit=all"));
        var expected = map.RootElement.EnumerateArray()
            .Select(r => r.GetProperty("osm_node_id").GetString()!).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(expected);

        var csv = await GetCsvAsync("/api/generate_report?report_type=unmatched&sources=osm");

        Assert.Equal(["Source", "SLOID", "Official Designation", "ATLAS Operator", "OSM Node ID", "OSM Local Ref", "OSM Name", "UIC Ref"], csv.Header);
        Assert.All(csv.Rows, r => Assert.Equal(("OSM", "N/A"), (r[0], r[1])));
        Assert.Equal(expected, csv.Rows.Select(r => r[4]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task LongExport_RunsAsHangfireJob_ProgressReachesTheTotal_AndTheFileDownloads()
    {
        var started = await PostAsync("report_type=problems&sort=operator_asc");
        Assert.Equal("started", started.GetProperty("status").GetString());
        var taskId = started.GetProperty("task_id").GetString()!;
        var total = started.GetProperty("total").GetInt64();
        Assert.True(total > ReportExportFixture.InlineRows);

        var state = await WaitForAsync(taskId, "completed");

        Assert.Equal((total, total), (state.GetProperty("processed").GetInt64(), state.GetProperty("total").GetInt64()));
        var download = await _client.GetAsync($"/api/download_report/{taskId}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("text/csv", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"problems_operator_asc_{taskId[..8]}.csv", download.Content.Headers.ContentDisposition!.FileNameStar ?? download.Content.Headers.ContentDisposition.FileName);
        var streamed = await _client.GetStringAsync("/api/generate_report?report_type=problems&sort=operator_asc");
        Assert.Equal(streamed, await download.Content.ReadAsStringAsync());
        Assert.Equal(total + 1, streamed.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task SmallExport_IsWrittenAtOnce_WithoutAJob()
    {
        var started = await PostJsonAsync(new { report_type = "distance", format = "geojson", limit = 7, canton = Cantons });

        Assert.Equal(("completed", 7L, 7L), (started.GetProperty("status").GetString(), started.GetProperty("processed").GetInt64(), started.GetProperty("total").GetInt64()));
        var download = await _client.GetAsync(started.GetProperty("download_url").GetString());
        Assert.Equal("application/geo+json", download.Content.Headers.ContentType!.MediaType);
        using var json = JsonDocument.Parse(await download.Content.ReadAsStringAsync());
        Assert.Equal(7, json.RootElement.GetProperty("features").GetArrayLength());
    }

    [Fact]
    public async Task Cancel_RemovesTheFileAndTheDownload()
    {
        var started = await PostAsync("report_type=unmatched");
        var taskId = started.GetProperty("task_id").GetString()!;
        await WaitForAsync(taskId, "completed");
        Assert.Single(Directory.GetFiles(_fixture.Directory, taskId + "*"));

        var cancel = await _client.PostAsync($"/api/cancel_report/{taskId}", null);

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        using (var body = JsonDocument.Parse(await cancel.Content.ReadAsStringAsync()))
        {
            Assert.Equal("cancelled", body.RootElement.GetProperty("status").GetString());
        }

        Assert.Empty(Directory.GetFiles(_fixture.Directory, taskId + "*"));
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/download_report/{taskId}")).StatusCode);
        using var progress = JsonDocument.Parse(await _client.GetStringAsync($"/api/report_progress/{taskId}"));
        Assert.Equal("cancelled", progress.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task UnknownTask_Answers404()
    {
        var id = Guid.NewGuid().ToString("N");
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/report_progress/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/download_report/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.PostAsync($"/api/cancel_report/{id}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/api/report_progress/..%2F..%2Fetc")).StatusCode);
    }

    [Theory]
    [InlineData("report_type=problems&format=pdf", "format", "csv and geojson")]
    [InlineData("format=csv", "report_type", "required")]
    [InlineData("report_type=summary", "report_type", "PDF")]
    [InlineData("report_type=stops", "report_type", "Invalid report_type")]
    [InlineData("report_type=problems&sort=distance_desc", "sort", "priority_desc")]
    [InlineData("report_type=problems&limit=0", "limit", "whole number")]
    [InlineData("report_type=problems&limit=100001", "limit", "cap of 100000")]
    [InlineData("report_type=problems&canton=XX", "canton", "XX")]
    [InlineData("report_type=problems&sources=osm", "sources", "unmatched")]
    [InlineData("report_type=problems&priorities=4", "priorities", "1, 2, 3")]
    [InlineData("report_type=distance&match_method=bogus", "match_method", "bogus")]
    [InlineData("report_type=unmatched&include_fields=all_coords", "include_fields", "all_coords")]
    [InlineData("report_type=changes&side=people", "side", "people")]
    public async Task BadParameter_Answers400_NamingIt(string query, string parameter, string inMessage)
    {
        foreach (var response in new[]
        {
            await _client.GetAsync("/api/generate_report?" + query),
            await _client.PostAsync("/api/generate_report_async", new StringContent(query, Encoding.UTF8, "application/x-www-form-urlencoded")),
        })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(parameter, body.RootElement.GetProperty("parameter").GetString());
            Assert.Contains(inMessage, body.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task GenerateAsync_WithoutData_Answers400()
    {
        var response = await _client.PostAsync("/api/generate_report_async", new StringContent("", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("No data provided", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportPage_ShowsTheFormUnderTheDataTabs()
    {
        var html = await _client.GetStringAsync("/data/export?report_type=distance&canton=ZH");

        Assert.Contains("aria-current=\"page\">Export</a>", html, StringComparison.Ordinal);
        Assert.Contains("id=\"exportForm\"", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"distance\" selected=\"selected\">", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"ZH\" selected=\"selected\">", html, StringComparison.Ordinal);
        Assert.Contains("js/data/export", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
    }

    private static void DistanceMatches(double? api, string csv)
    {
        if (api is null)
        {
            Assert.Equal("N/A", csv);
            return;
        }

        Assert.Matches(@"^\d+\.\d$", csv);
        Assert.InRange(double.Parse(csv, CultureInfo.InvariantCulture), api.Value - 0.051, api.Value + 0.051);
    }

    private static readonly string[] Cantons = ["ZH", "BE"];

    private sealed record ApiProblem(string Type, int Priority, string? Sloid, string? OsmNodeId, double? Distance, double Lat, double Lon);

    // Every page of /api/problems, in its order, one entry per problem.
    private async Task<List<ApiProblem>> ApiProblemsAsync(string filters)
    {
        var result = new List<ApiProblem>();
        for (var page = 1; ; page++)
        {
            using var json = JsonDocument.Parse(await _client.GetStringAsync($"/api/problems?{filters}&limit=1000&page={page}&sort_by=priority&sort_order=asc"));
            var items = json.RootElement.GetProperty("problems").EnumerateArray().ToList();
            result.AddRange(items.Select(p => new ApiProblem(
                p.GetProperty("problem").GetString()!, p.GetProperty("priority").GetInt32(), p.GetProperty("sloid").GetString(),
                p.GetProperty("osm_node_id").GetString(),
                p.GetProperty("distance_m").ValueKind == JsonValueKind.Null ? null : p.GetProperty("distance_m").GetDouble(),
                p.GetProperty("lat").GetDouble(), p.GetProperty("lon").GetDouble())));
            if (items.Count == 0 || page * 1000 >= json.RootElement.GetProperty("total").GetInt64())
            {
                return result;
            }
        }
    }

    private sealed record Csv(string[] Header, List<string[]> Rows);

    private async Task<Csv> GetCsvAsync(string url)
    {
        var response = await _client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        var text = await response.Content.ReadAsStringAsync();
        using var reader = Sep.New(',').Reader(o => o with { Unescape = true }).FromText(text);
        var header = reader.Header.ColNames.ToArray();
        var rows = new List<string[]>();
        foreach (var row in reader)
        {
            var values = new string[header.Length];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = row[i].ToString();
            }

            rows.Add(values);
        }

        return new Csv(header, rows);
    }

    private async Task<JsonElement> PostAsync(string form)
    {
        var response = await _client.PostAsync("/api/generate_report_async", new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private async Task<JsonElement> PostJsonAsync(object body)
    {
        var response = await _client.PostAsync("/api/generate_report_async",
            new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private async Task<JsonElement> WaitForAsync(string taskId, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var json = JsonDocument.Parse(await _client.GetStringAsync($"/api/report_progress/{taskId}"));
            var current = json.RootElement.GetProperty("status").GetString();
            if (current == status)
            {
                return json.RootElement.Clone();
            }

            Assert.True(current is "starting" or "processing" or "finalizing", $"unexpected status {current}: {json.RootElement}");
            Assert.True(DateTime.UtcNow < deadline, $"the export did not reach {status} within a minute: {json.RootElement}");
            await Task.Delay(100);
        }
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(integration.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
