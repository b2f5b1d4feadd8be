using System.Net;
using System.Xml.Linq;

namespace StopSync.Tests.Web.Changes;

[Collection(ChangesGroup.Name)]
public sealed class ChangesFeedTests(ChangesFixture fixture)
{
    public static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    private async Task<(HttpResponseMessage Response, string Body)> GetAsync(string url)
    {
        using var client = fixture.Factory.CreateClient();
        var response = await client.GetAsync(url);
        return (response, await response.Content.ReadAsStringAsync());
    }

    private async Task<XElement> FeedAsync(string query)
    {
        var (response, body) = await GetAsync("/data/changes/feed.atom?" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/atom+xml; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var feed = XDocument.Parse(body).Root!;
        Assert.Equal(Atom + "feed", feed.Name);
        return feed;
    }

    [Fact]
    public async Task Feed_HasOneEntryPerPublishedRunWithChangesOfTheOperator_NewestFirst()
    {
        var feed = await FeedAsync("atlas_operator=SBB");

        var entries = feed.Elements(Atom + "entry").ToList();
        // The live run (3 SBB changes) and the second (2); not the first (none) nor the unpublished one.
        Assert.Equal(2, entries.Count);
        Assert.Equal(["3 changes to SBB on 2026-12-03", "2 changes to SBB on 2026-12-02"], entries.Select(e => e.Element(Atom + "title")!.Value).ToList());
        Assert.Equal("2026-12-03T05:00:00Z", entries[0].Element(Atom + "updated")!.Value);
        Assert.Equal("2026-12-03T05:00:00Z", feed.Element(Atom + "updated")!.Value);
        Assert.EndsWith($"/data/changes?run={ChangesFixture.LiveRun}&atlas_operator=SBB",
            entries[0].Elements(Atom + "link").Single(l => (string?)l.Attribute("rel") == "alternate").Attribute("href")!.Value, StringComparison.Ordinal);
        Assert.All(entries, e => Assert.StartsWith("urn:uuid:", e.Element(Atom + "id")!.Value, StringComparison.Ordinal));
        Assert.DoesNotContain("Pending change", feed.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feed_CarriesTheRequiredAtomElements()
    {
        var feed = await FeedAsync("canton=zh");

        Assert.StartsWith("urn:uuid:", feed.Element(Atom + "id")!.Value, StringComparison.Ordinal);
        Assert.Equal("StopSync: changes to canton ZH (Zürich)", feed.Element(Atom + "title")!.Value);
        Assert.Equal("StopSync", feed.Element(Atom + "author")!.Element(Atom + "name")!.Value);
        var links = feed.Elements(Atom + "link").ToDictionary(l => l.Attribute("rel")!.Value, l => l.Attribute("href")!.Value);
        Assert.EndsWith("/data/changes/feed.atom?canton=ZH", links["self"], StringComparison.Ordinal);
        Assert.EndsWith("/data/changes?canton=ZH", links["alternate"], StringComparison.Ordinal);
        Assert.All(feed.Elements(Atom + "entry"), e =>
        {
            Assert.Equal("text", e.Element(Atom + "summary")!.Attribute("type")!.Value);
            Assert.Equal("text", e.Element(Atom + "content")!.Attribute("type")!.Value);
        });
    }

    [Fact]
    public async Task Feed_IdsStayTheSame_AcrossRequestsAndDifferBetweenScopes()
    {
        var first = await FeedAsync("atlas_operator=SBB");
        var again = await FeedAsync("atlas_operator=SBB");
        var canton = await FeedAsync("canton=ZH");

        Assert.Equal(first.Element(Atom + "id")!.Value, again.Element(Atom + "id")!.Value);
        Assert.Equal(first.Elements(Atom + "entry").Select(e => e.Element(Atom + "id")!.Value), again.Elements(Atom + "entry").Select(e => e.Element(Atom + "id")!.Value));
        Assert.NotEqual(first.Elements(Atom + "entry").First().Element(Atom + "id")!.Value, canton.Elements(Atom + "entry").First().Element(Atom + "id")!.Value);
    }

    [Fact]
    public async Task Feed_EscapesMarkupFromOsmTags()
    {
        var (_, body) = await GetAsync("/data/changes/feed.atom?atlas_operator=SBB");
        var content = XDocument.Parse(body).Root!.Elements(Atom + "entry").First().Element(Atom + "content")!.Value;

        Assert.DoesNotContain("<script>", body, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;&amp;", body, StringComparison.Ordinal);
        Assert.Contains("OSM edited by anna (v12): tags.name 'Zürich HB' → '<script>&'", content, StringComparison.Ordinal);
        Assert.Contains("Match gained: 1 (matching 1)", content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feed_ListsTheFirstTwentyChanges_AndSaysHowManyMore()
    {
        var feed = await FeedAsync("canton=GE");
        var entry = feed.Elements(Atom + "entry").Single();

        Assert.Equal($"{ChangesFixture.BulkChanges} changes in canton GE (Genève) on 2026-12-03", entry.Element(Atom + "title")!.Value);
        var content = entry.Element(Atom + "content")!.Value;
        Assert.Equal(20, content.Split('\n').Count(l => l.StartsWith("- ", StringComparison.Ordinal)));
        Assert.Contains($"… and {ChangesFixture.BulkChanges - 20} more", content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feed_AnswersNotModified_ToItsOwnETag()
    {
        var (response, _) = await GetAsync("/data/changes/feed.atom?atlas_operator=SBB");
        var etag = response.Headers.ETag;
        Assert.NotNull(etag);
        Assert.Equal(ChangesFixture.LivePublished, response.Content.Headers.LastModified);

        using var client = fixture.Factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/data/changes/feed.atom?atlas_operator=SBB");
        request.Headers.IfNoneMatch.Add(etag);
        var again = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
    }

    [Theory]
    [InlineData("", "atlas_operator")]
    [InlineData("?atlas_operator=SBB&canton=ZH", "atlas_operator")]
    [InlineData("?canton=XY", "canton")]
    [InlineData("?canton=ZH&canton=BE", "canton")]
    [InlineData("?atlas_operator=", "atlas_operator")]
    public async Task Feed_Answers400NamingTheParameter_WithoutExactlyOneValidScope(string query, string parameter)
    {
        var (response, body) = await GetAsync("/data/changes/feed.atom" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith($"Invalid {parameter}:", body, StringComparison.Ordinal);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Feed_IsEmptyButValid_ForAnOperatorWithoutChanges()
    {
        var feed = await FeedAsync("atlas_operator=" + Uri.EscapeDataString("Nobody & Co"));

        Assert.Empty(feed.Elements(Atom + "entry"));
        Assert.Equal("StopSync: changes to Nobody & Co", feed.Element(Atom + "title")!.Value);
    }
}
