using System.Net;
using System.Text.Json;
using StopSync.Tests.Web.Api;

namespace StopSync.Tests.Web.Changes;

[Collection(ChangesGroup.Name)]
public sealed class ChangesApiTests(ChangesFixture fixture)
{
    private async Task<JsonElement> GetAsync(string url)
    {
        using var client = fixture.Factory.CreateClient();
        return await StopCardApi.GetJsonAsync(client, url);
    }

    // Every id the API lists for the filters, through all its pages.
    private async Task<List<long>> AllIdsAsync(string filters)
    {
        var ids = new List<long>();
        for (var page = 1; ; page++)
        {
            var json = await GetAsync($"/api/changes?per_page=40&page={page}{filters}");
            var changes = json.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("id").GetInt64()).ToList();
            ids.AddRange(changes);
            if (changes.Count < 40)
            {
                Assert.Equal(json.GetProperty("total").GetInt32(), ids.Count);
                return ids;
            }
        }
    }

    private Task<List<long>> SqlIdsAsync(string condition, params (string, object)[] parameters) =>
        fixture.ColumnAsync<long>($"SELECT id FROM data_changes WHERE run_id = @run AND {condition} ORDER BY id",
            [("run", ChangesFixture.LiveRun), .. parameters]);

    [Theory]
    [InlineData("&type=osm_edited,osm_added", "change_type IN ('osm_edited', 'osm_added')")]
    [InlineData("&side=osm", "cause = 'osm'")]
    [InlineData("&side=both,matching", "cause IN ('both', 'matching')")]
    [InlineData("&atlas_operator=SBB", "atlas_operator = 'SBB'")]
    [InlineData("&atlas_operator=BLS,PAG", "atlas_operator IN ('BLS', 'PAG')")]
    [InlineData("&canton=be", "canton = 'BE'")]
    [InlineData("&canton=ZH&side=atlas", "canton = 'ZH' AND cause = 'atlas'")]
    [InlineData("&canton=GE&type=atlas_added", "canton = 'GE' AND change_type = 'atlas_added'")]
    [InlineData("", "true")]
    public async Task Changes_ListsExactlyTheRowsSqlSelects_ForEachFilter(string filters, string condition)
    {
        var expected = await SqlIdsAsync(condition);
        Assert.NotEmpty(expected);

        var ids = await AllIdsAsync(filters);

        Assert.Equal(expected, ids.Order().ToList());
    }

    [Fact]
    public async Task Changes_CountsByTypeAndSide_EqualSqlGroupBy()
    {
        var json = await GetAsync("/api/changes?canton=ZH,BE");
        var counts = json.GetProperty("counts").EnumerateArray()
            .Select(c => $"{c.GetProperty("change_type").GetString()}/{c.GetProperty("cause").GetString()}={c.GetProperty("count").GetInt32()}")
            .Order().ToList();
        var expected = await fixture.ColumnAsync<string>(
            "SELECT change_type || '/' || cause || '=' || count(*) FROM data_changes WHERE run_id = @run AND canton IN ('ZH', 'BE') GROUP BY change_type, cause",
            ("run", ChangesFixture.LiveRun));

        Assert.Equal(expected.Order().ToList(), counts);
        Assert.Equal(6, json.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Changes_DescribesTheLiveRunAndItsPredecessor_ByDefault()
    {
        var run = (await GetAsync("/api/changes")).GetProperty("run");

        Assert.Equal(ChangesFixture.LiveRun, run.GetProperty("run_id").GetGuid());
        Assert.Equal(ChangesFixture.SecondRun, run.GetProperty("previous_run_id").GetGuid());
        Assert.Equal(ChangesFixture.SecondPublished, run.GetProperty("previous_published_at").GetDateTimeOffset());
        Assert.True(run.GetProperty("is_live").GetBoolean());
    }

    [Fact]
    public async Task Changes_ListsAnOlderPublication_WhenRunNamesIt()
    {
        var json = await GetAsync($"/api/changes?run={ChangesFixture.SecondRun}");

        Assert.False(json.GetProperty("run").GetProperty("is_live").GetBoolean());
        Assert.Equal(["osm_removed", "problem_changed"],
            json.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("change_type").GetString()).Order().ToList());
    }

    [Fact]
    public async Task Changes_ExplainsInsteadOfListing_WhenTheRunWasNotCompared()
    {
        var json = await GetAsync($"/api/changes?run={ChangesFixture.FirstRun}");

        Assert.Contains("first publication", json.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, json.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Changes_Answers404_ForARunThatWasNeverPublished()
    {
        using var client = fixture.Factory.CreateClient();

        var detail = await StopCardApi.GetProblemAsync(client, $"/api/changes?run={ChangesFixture.PendingRun}", HttpStatusCode.NotFound);

        Assert.Contains(ChangesFixture.PendingRun.ToString(), detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changes_NeverListsAnUnpublishedRunsRows()
    {
        var names = new List<string?>();
        foreach (var filter in new[] { "&atlas_operator=SBB", "&type=atlas_removed" })
        {
            names.AddRange((await GetAsync("/api/changes?per_page=200" + filter)).GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        }

        Assert.DoesNotContain("Pending change", names);
    }

    [Fact]
    public async Task Changes_GivesTheFieldsLinksAndMetaOfAnOsmEdit()
    {
        var change = (await GetAsync("/api/changes?type=osm_edited")).GetProperty("changes").EnumerateArray().Single();

        var field = change.GetProperty("fields").EnumerateArray().Single();
        Assert.Equal("tags.name", field.GetProperty("field").GetString());
        Assert.Equal("Zürich HB", field.GetProperty("before").GetString());
        Assert.Equal(ChangesFixture.HostileName, field.GetProperty("after").GetString());
        Assert.Equal(12, change.GetProperty("osm_version").GetInt32());
        Assert.Equal("anna", change.GetProperty("osm_user").GetString());
        Assert.Equal("https://www.openstreetmap.org/node/1001", change.GetProperty("osm_url").GetString());
        Assert.Equal("/?stop=node%2F1001", change.GetProperty("map_url").GetString());
        Assert.Equal("OSM edited by anna (v12): tags.name 'Zürich HB' → '<script>&'", change.GetProperty("description").GetString());
    }

    [Theory]
    [InlineData("type=match_won", "type")]
    [InlineData("side=atlas,nobody", "side")]
    [InlineData("canton=XX", "canton")]
    [InlineData("per_page=0", "per_page")]
    [InlineData("per_page=201", "per_page")]
    [InlineData("page=0", "page")]
    [InlineData("page=abc", "page")]
    [InlineData("run=yesterday", "run")]
    public async Task Changes_Answers400NamingTheParameter_ForABadValue(string query, string parameter)
    {
        using var client = fixture.Factory.CreateClient();
        var response = await client.GetAsync("/api/changes?" + query);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(parameter, json.RootElement.GetProperty("parameter").GetString());
    }

    [Fact]
    public async Task Changes_PagesThroughTheBulkRowsInNameOrder()
    {
        var first = await GetAsync("/api/changes?atlas_operator=BULK&per_page=50");
        var third = await GetAsync("/api/changes?atlas_operator=BULK&per_page=50&page=3");

        Assert.Equal(ChangesFixture.BulkChanges, first.GetProperty("total").GetInt32());
        Assert.Equal("Bulk 001", first.GetProperty("changes")[0].GetProperty("name").GetString());
        Assert.Equal(ChangesFixture.BulkChanges - 100, third.GetProperty("changes").GetArrayLength());
        Assert.Equal("Bulk 130", third.GetProperty("changes")[ChangesFixture.BulkChanges - 101].GetProperty("name").GetString());
    }
}
