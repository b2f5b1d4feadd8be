using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using StopSync.Tests.Infrastructure;
using StopSync.Web.Pages.Map;

namespace StopSync.Tests.Web.Api;

[Collection(IntegrationGroup.Name)]
public sealed class StopsEndpointTests(IntegrationFixture fixture)
{
    private static readonly JsonSerializerOptions SnakeCase = new(JsonSerializerOptions.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    [Fact]
    public async Task GetStops_NamesEveryFieldInSnakeCase_AsTheRestOfTheApi()
    {
        using var client = fixture.Factory.CreateClient();

        using var json = JsonDocument.Parse(await client.GetStringAsync($"/api/stops?bbox={Format(Zurich)}&limit=1"));

        var stop = json.RootElement.GetProperty("stops")[0];
        Assert.True(stop.TryGetProperty("stop_type", out _), stop.ToString());
        Assert.True(stop.TryGetProperty("distance_m", out _), stop.ToString());
        Assert.False(stop.TryGetProperty("stopType", out _), stop.ToString());
    }

    // Around Zürich HB; the demo dataset also has stops in eleven other towns, all outside this box.
    private static readonly BoundingBox Zurich = new(8.50, 47.35, 8.58, 47.40);

    [Fact]
    public async Task GetStops_ReturnsExactlyTheRowsInsideTheBox()
    {
        using var client = fixture.Factory.CreateClient();
        var expectedIds = await IdsInsideAsync(Zurich);

        var body = await client.GetFromJsonAsync<StopsInBox>($"/api/stops?bbox={Format(Zurich)}", SnakeCase);

        Assert.NotNull(body);
        Assert.False(body.Truncated);
        Assert.NotEmpty(body.Stops);
        Assert.Equal(expectedIds, body.Stops.Select(s => s.Id).Order().ToList());
        Assert.All(body.Stops, s => Assert.True(
            s.Lon >= Zurich.MinLon && s.Lon <= Zurich.MaxLon && s.Lat >= Zurich.MinLat && s.Lat <= Zurich.MaxLat,
            $"stop {s.Id} at {s.Lat},{s.Lon} lies outside the box"));
    }

    [Fact]
    public async Task GetStops_LeavesOutStopsOfOtherTowns()
    {
        using var client = fixture.Factory.CreateClient();
        await using var db = fixture.CreateDbContext();
        var bernSloids = await db.AtlasStops.Where(a => a.UicRef == "8507000").Select(a => a.Sloid).ToListAsync();

        var body = await client.GetFromJsonAsync<StopsInBox>($"/api/stops?bbox={Format(Zurich)}", SnakeCase);

        Assert.NotEmpty(bernSloids);
        Assert.DoesNotContain(body!.Stops, s => s.Sloid is not null && bernSloids.Contains(s.Sloid));
    }

    [Fact]
    public async Task GetStops_SaysTruncated_WhenMoreStopsThanTheLimit()
    {
        using var client = fixture.Factory.CreateClient();

        var body = await client.GetFromJsonAsync<StopsInBox>($"/api/stops?bbox={Format(Zurich)}&limit=3", SnakeCase);

        Assert.True(body!.Truncated);
        Assert.Equal(3, body.Stops.Count);
    }

    [Theory]
    [InlineData("", "bbox is required")]
    [InlineData("?bbox=8.5,47.3,8.6", "four finite numbers")]
    [InlineData("?bbox=8.5,47.3,abc,47.4", "four finite numbers")]
    [InlineData("?bbox=8.5,47.3,NaN,47.4", "four finite numbers")]
    [InlineData("?bbox=8.6,47.3,8.5,47.4", "minimum must be smaller")]
    [InlineData("?bbox=8.5,47.3,190,47.4", "outside the valid")]
    [InlineData("?bbox=0,40,20,50", "too large")]
    [InlineData("?bbox=8.5,47.3,8.6,47.4&limit=0", "limit must be a whole number between")]
    [InlineData("?bbox=8.5,47.3,8.6,47.4&limit=abc", "limit must be a whole number between")]
    public async Task GetStops_Answers400WithAMessage_WhenTheRequestIsInvalid(string query, string message)
    {
        using var client = fixture.Factory.CreateClient();

        var response = await client.GetAsync("/api/stops" + query);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BoxQuery_TheAppSends_CanUseTheGistIndex()
    {
        await using var db = fixture.CreateDbContext();
        await db.Database.OpenConnectionAsync();
        // Few rows make a sequential scan cheaper; switching it off shows whether the index can serve the predicate.
        await db.Database.ExecuteSqlRawAsync("SET enable_seqscan = off");
        await using var command = new MapQueries(db).InBox(Zurich).CreateDbCommand();
        command.CommandText = "EXPLAIN " + command.CommandText;

        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        Assert.Contains(plan, line => line.Contains("ix_stops_matched_geom", StringComparison.Ordinal));
        Assert.Contains(plan, line => line.Contains("st_intersects", StringComparison.OrdinalIgnoreCase) || line.Contains("&&", StringComparison.Ordinal));
    }

    private async Task<List<long>> IdsInsideAsync(BoundingBox box)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT id FROM stops_matched WHERE ST_X(geom) BETWEEN @minLon AND @maxLon AND ST_Y(geom) BETWEEN @minLat AND @maxLat ORDER BY id",
            connection);
        command.Parameters.AddWithValue("minLon", box.MinLon);
        command.Parameters.AddWithValue("maxLon", box.MaxLon);
        command.Parameters.AddWithValue("minLat", box.MinLat);
        command.Parameters.AddWithValue("maxLat", box.MaxLat);
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    private static string Format(BoundingBox b) =>
        string.Join(',', new[] { b.MinLon, b.MinLat, b.MaxLon, b.MaxLat }.Select(v => v.ToString(CultureInfo.InvariantCulture)));
}
