using Microsoft.AspNetCore.Http;
using StopSync.Web.Pages.Routes;

namespace StopSync.Tests.Web.Routes;

/// <summary>Parsing and the canonical form of the route lists' query.</summary>
public sealed class RouteListQueryTests
{
    private static QueryCollection Query(string query) => new QueryCollection(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query));

    [Fact]
    public void TryParse_MergesRepeatedAndCommaListedOperators_SortedAndDeduplicated()
    {
        Assert.True(RouteListQuery.TryParse(Query("?atlas_operator=VBZ,SBB&atlas_operator=SBB&atlas_operator=,AAR"), filters: true, out var q, out _));

        Assert.Equal(["AAR", "SBB", "VBZ"], q.AtlasOperators);
        Assert.Equal("?atlas_operator=AAR,SBB,VBZ", q.ToQueryString());
    }

    [Fact]
    public void ToQueryString_IsEmpty_ForTheDefaults_AndParsesBackToItself()
    {
        Assert.True(RouteListQuery.TryParse(Query("?q=a%26b%3Dc&matched=matched&per_page=50&page=3&osm_operator=Bus%20AG"), filters: true, out var q, out _));
        Assert.True(RouteListQuery.TryParse(Query(q.ToQueryString()), filters: true, out var again, out _));

        Assert.Equal("", RouteListQuery.Default.ToQueryString());
        Assert.Equal("?q=a%26b%3Dc&matched=matched&osm_operator=Bus%20AG&per_page=50&page=3", q.ToQueryString());
        Assert.Equal(q.ToQueryString(), again.ToQueryString());
    }

    [Fact]
    public void TryParse_IgnoresFilters_OnAPageWithoutThem()
    {
        Assert.True(RouteListQuery.TryParse(Query("?matched=nonsense&q=x&page=2"), filters: false, out var q, out _));

        Assert.Equal("?page=2", q.ToQueryString());
    }

    [Fact]
    public void TryParse_RefusesTooManyOperators()
    {
        var many = string.Join(',', Enumerable.Range(0, RouteListQuery.MaxOperators + 1));

        Assert.False(RouteListQuery.TryParse(Query("?osm_operator=" + many), filters: true, out _, out var error));
        Assert.Equal("osm_operator", error.Parameter);
    }

    [Theory]
    [InlineData("91-10-A-j25-1", "91-10-A-jXX-1")]
    [InlineData("91-10-A-J26", "91-10-A-jXX")]
    [InlineData("S5", "S5")]
    public void NormalizeRouteId_ReplacesTheTimetableYear(string id, string normalized) =>
        Assert.Equal(normalized, RouteSearch.NormalizeRouteId(id));

    [Fact]
    public void Contains_EscapesLikeWildcards() => Assert.Equal(@"%50\_1\%\\%", RouteSearch.Contains(@"50_1%\"));
}
