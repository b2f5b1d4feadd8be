using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Web.Changes;

[Collection(ChangesGroup.Name)]
public sealed partial class ChangesPageTests(ChangesFixture fixture)
{
    private HttpClient Client() => fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    private async Task<string> PageAsync(string url, HttpStatusCode status = HttpStatusCode.OK)
    {
        using var client = Client();
        var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{url}: {(int)response.StatusCode}");
        return body;
    }

    [Fact]
    public async Task Page_HeadsTheLiveRunWithItsPredecessor_UnderTheDataTabs()
    {
        var html = await PageAsync("/data/changes");

        Assert.Contains("aria-current=\"page\">Changes</a>", html, StringComparison.Ordinal);
        // 06:00 in Zürich is 05:00 UTC in December.
        Assert.Contains("Run 33333333 published 2026-12-03 06:00, compared with run 22222222 published 2026-12-02 06:00.", html, StringComparison.Ordinal);
        Assert.True(html.IndexOf("<h1>", StringComparison.Ordinal) < html.IndexOf("page-tabs", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Page_ListsTheSameRowsAsTheApi_ForTheSameQuery()
    {
        const string query = "?side=atlas,osm&canton=BE,GE,ZH&per_page=20&page=2";
        var html = await PageAsync("/data/changes" + query);
        using var client = Client();
        using var json = JsonDocument.Parse(await client.GetStringAsync("/api/changes" + query));

        var pageIds = ChangeIds().Matches(html).Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var apiIds = json.RootElement.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(20, apiIds.Count);
        Assert.Equal(apiIds, pageIds);
        Assert.Contains($"data-total=\"{json.RootElement.GetProperty("total").GetInt32()}\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_EncodesValuesFromTheInputs()
    {
        var html = await PageAsync("/data/changes?type=osm_edited");

        Assert.DoesNotContain(ChangesFixture.HostileName, html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;&amp;", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://www.openstreetmap.org/node/1001\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/?stop=ch%3A1%3Asloid%3A3000%3A0%3A1\"", await PageAsync("/data/changes?type=atlas_edited"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("?canton=zh,be", "/data/changes?canton=BE,ZH")]
    [InlineData("?side=osm&side=atlas&type=osm_added,match_gained", "/data/changes?type=match_gained,osm_added&side=atlas,osm")]
    [InlineData("?page=1&per_page=50&run=&atlas_operator=", "/data/changes")]
    [InlineData("?atlas_operator=SBB,+BLS&unknown=1", "/data/changes?atlas_operator=BLS,SBB")]
    public async Task Page_RedirectsPermanently_ToTheCanonicalQuery(string query, string location)
    {
        using var client = Client();
        var response = await client.GetAsync("/data/changes" + query);

        Assert.Equal(HttpStatusCode.PermanentRedirect, response.StatusCode);
        Assert.Equal(location, response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("?side=everyone", "side")]
    [InlineData("?type=match_found", "type")]
    [InlineData("?canton=ZZ", "canton")]
    [InlineData("?per_page=7", "per_page")]
    [InlineData("?run=42", "run")]
    public async Task Page_Answers400NamingTheParameter_ForABadValue(string query, string parameter)
    {
        var html = await PageAsync("/data/changes" + query, HttpStatusCode.BadRequest);

        Assert.Contains($"data-parameter=\"{parameter}\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_Answers404WithAnExplanation_ForARunNotInTheHistory()
    {
        var html = await PageAsync($"/data/changes?run={ChangesFixture.PendingRun}", HttpStatusCode.NotFound);

        Assert.Contains("data-state=\"unknownrun\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_ExplainsTheMissingComparison_OfTheFirstPublication()
    {
        var html = await PageAsync($"/data/changes?run={ChangesFixture.FirstRun}");

        Assert.Contains("data-state=\"nocomparison\"", html, StringComparison.Ordinal);
        Assert.Contains("this is the first publication", html, StringComparison.Ordinal);
        Assert.DoesNotContain("class=\"change\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_OffersTheRecentPublicationsButNotAnUnpublishedOne()
    {
        var html = await PageAsync("/data/changes");

        Assert.Contains($"value=\"{ChangesFixture.FirstRun}\"", html, StringComparison.Ordinal);
        Assert.Contains($"value=\"{ChangesFixture.SecondRun}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain(ChangesFixture.PendingRun.ToString(), html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_LinksTheAtomFeed_OnlyWhenFilteredToAnOperatorOrCanton()
    {
        var plain = await PageAsync("/data/changes");
        var filtered = await PageAsync("/data/changes?atlas_operator=SBB&canton=ZH");

        Assert.DoesNotContain("application/atom+xml", plain, StringComparison.Ordinal);
        Assert.Contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"StopSync: changes to SBB\" href=\"/data/changes/feed.atom?atlas_operator=SBB\" />", filtered, StringComparison.Ordinal);
        Assert.Contains("href=\"/data/changes/feed.atom?canton=ZH\"", filtered, StringComparison.Ordinal);
        Assert.Contains("Subscribe (Atom)", filtered, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PageAndApi_ExplainTheEmptyState_BeforeAnyPublicationAndWithoutHistory()
    {
        await using var database = await ChangesFixture.CreateMigratedDatabaseAsync();
        var prefix = $"stopsync-test:{Guid.NewGuid():N}:";
        await using var factory = new StopSyncAppFactory(StopSyncAppFactory.DefaultSettings(database.ConnectionString, prefix));
        try
        {
            using var client = factory.CreateClient();
            var before = await client.GetAsync("/data/changes");
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
            Assert.Contains("data-state=\"nopublication\"", await before.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            using (var json = JsonDocument.Parse(await client.GetStringAsync("/api/changes")))
            {
                Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("run").ValueKind);
                Assert.Contains("Nothing has been published yet", json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
            }

            var feed = await client.GetAsync("/data/changes/feed.atom?canton=ZH");
            Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
            Assert.Empty(System.Xml.Linq.XDocument.Parse(await feed.Content.ReadAsStringAsync()).Root!.Elements(ChangesFeedTests.Atom + "entry"));

            // A live publication from before the history was kept: still an explanation, never a 500.
            await using (var connection = new Npgsql.NpgsqlConnection(database.ConnectionString))
            {
                await connection.OpenAsync();
                await using var command = new Npgsql.NpgsqlCommand(
                    "INSERT INTO dataset_publication (id, run_id, published_at, manifest) VALUES (1, gen_random_uuid(), now(), '{}')", connection);
                await command.ExecuteNonQueryAsync();
            }

            var without = await client.GetAsync("/data/changes");
            Assert.Equal(HttpStatusCode.OK, without.StatusCode);
            Assert.Contains("data-state=\"nohistory\"", await without.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await IntegrationFixture.DeleteRedisKeysAsync(prefix);
        }
    }

    [GeneratedRegex("data-change-id=\"([0-9]+)\"")]
    private static partial Regex ChangeIds();
}
