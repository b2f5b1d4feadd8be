using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using StopSync.Web.Pages.Data.Changes;

namespace StopSync.Tests.Web.Changes;

public sealed class ChangesQueryTests
{
    private static (bool Ok, ChangesQuery Query, (string Parameter, string Message) Error) Parse(string query, bool api = false)
    {
        var ok = ChangesQuery.TryParse(new QueryCollection(QueryHelpers.ParseQuery(query)), api, out var parsed, out var error);
        return (ok, parsed, error);
    }

    [Fact]
    public void TryParse_NormalisesListsToOneCanonicalForm()
    {
        var (ok, query, _) = Parse("?canton=zh,BE,zh&side=OSM&side=atlas&type=osm_added,match_gained&atlas_operator=SBB,%20BLS&per_page=20&page=3&run=33333333-3333-4333-8333-333333333333");

        Assert.True(ok);
        Assert.Equal("?run=33333333-3333-4333-8333-333333333333&type=match_gained,osm_added&side=atlas,osm&atlas_operator=BLS,SBB&canton=BE,ZH&per_page=20&page=3",
            query.ToQueryString());
    }

    [Fact]
    public void TryParse_EscapesOperatorsButKeepsTheCommasBetweenThem()
    {
        var (_, query, _) = Parse("?atlas_operator=A%26B,C%3DD");

        Assert.Equal("?atlas_operator=A%26B,C%3DD", query.ToQueryString());
    }

    [Theory]
    [InlineData("?type=match_gained,nothing", "type")]
    [InlineData("?side=osm,atlas,world", "side")]
    [InlineData("?canton=ZH,XX", "canton")]
    [InlineData("?page=-1", "page")]
    [InlineData("?page=1&page=2", "page")]
    [InlineData("?per_page=30", "per_page")]
    [InlineData("?run=not-a-uuid", "run")]
    public void TryParse_NamesTheBadParameter(string text, string parameter)
    {
        var (ok, _, error) = Parse(text);

        Assert.False(ok);
        Assert.Equal(parameter, error.Parameter);
    }

    [Fact]
    public void TryParse_TakesAnyPerPageUpToTheCap_OnlyForTheApi()
    {
        Assert.True(Parse("?per_page=30", api: true).Ok);
        Assert.False(Parse("?per_page=201", api: true).Ok);
        Assert.False(Parse("?per_page=30").Ok);
    }

    [Fact]
    public void Fields_FlattensTagsAndKeepsOnlyDifferingValues()
    {
        using var before = System.Text.Json.JsonDocument.Parse("""{"tags": {"name": "A", "ref": "1"}, "lat": 47.1}""");
        using var after = System.Text.Json.JsonDocument.Parse("""{"tags": {"name": "B", "ref": "1", "operator": "X"}, "lat": 47.1}""");

        var fields = ChangeText.Fields(before.RootElement, after.RootElement);

        Assert.Equal([new ChangeField("tags.name", "A", "B"), new ChangeField("tags.operator", null, "X")], fields);
    }
}
