using StopSync.Web.Pages.Map.Filters;

namespace StopSync.Tests.Web.Api.ReviewMap;

/// <summary>The filter rules of docs/05-api.md, "Filters", on the parsed filter (no database).</summary>
public sealed class StopFilterTests
{
    private static StopFilter Parse(FilterQuery query) => query.Parse().Filter ?? throw new InvalidOperationException(query.Parse().Error);

    [Fact]
    public void Scope_MatchedMethodAlone_ImpliesMatchedSubset()
    {
        var scope = StopScope.Of(Parse(new FilterQuery { MatchMethod = "exact" }));

        Assert.True(scope.Active);
        Assert.False(scope.AllMatched);
        Assert.Equal(["exact"], scope.MatchedMethods.ToArray());
        Assert.False(scope.AllAtlasUnmatched);
        Assert.Empty(scope.AtlasRefinements);
        Assert.False(scope.OsmUnmatched);
        Assert.False(scope.AdmitsEffectivelyMatched);
    }

    [Fact]
    public void Scope_MatchedParent_IsNotNarrowedByMethods_ButKeepsAtlasRefinement()
    {
        var scope = StopScope.Of(Parse(new FilterQuery { StopTypes = "matched", MatchMethod = "exact,no_nearby_counterpart" }));

        Assert.True(scope.AllMatched);
        Assert.Empty(scope.MatchedMethods);
        Assert.Equal([FilterValues.NoNearbyCounterpart], scope.AtlasRefinements.ToArray());
        Assert.True(scope.AdmitsEffectivelyMatched);
    }

    [Fact]
    public void Scope_RefinementAlone_SelectsAtlasUnmatchedSubset()
    {
        var scope = StopScope.Of(Parse(new FilterQuery { MatchMethod = "osm_within_50m" }));

        Assert.False(scope.AllMatched);
        Assert.Empty(scope.MatchedMethods);
        Assert.False(scope.AllAtlasUnmatched);
        Assert.Equal([FilterValues.OsmWithin50m], scope.AtlasRefinements.ToArray());
    }

    [Theory]
    [InlineData("bogus", null)]
    [InlineData(null, "bogus_method")]
    [InlineData("bogus", "bogus_method")]
    public void Scope_UnknownValuesAlone_StillNarrow_ToNothing(string? stopFilter, string? method)
    {
        var scope = StopScope.Of(Parse(new FilterQuery { StopTypes = stopFilter, MatchMethod = method }));

        Assert.True(scope.Active);
        Assert.True(scope.SelectsNothing);
    }

    [Fact]
    public void Scope_IsInactive_WithoutScopeParameters()
    {
        var scope = StopScope.Of(Parse(new FilterQuery { Canton = "ZH", StopTypes = " , " }));

        Assert.False(scope.Active);
        Assert.False(scope.SelectsNothing);
    }

    [Fact]
    public void Scope_TrioMethod_AdmitsEffectivelyMatchedMiddles()
    {
        var scope = StopScope.Of(Parse(new FilterQuery { MatchMethod = "distance_matching_trio" }));

        Assert.True(scope.AdmitsEffectivelyMatched);
    }

    [Fact]
    public void Sql_RouteGtfs_AlsoMatchesUnifiedGtfsPrefix()
    {
        var sql = StopFilterSql.For(Parse(new FilterQuery { MatchMethod = "route_gtfs" }));

        var patterns = (string[])sql.Parameters.Single().Value!;
        Assert.Equal([@"route\_gtfs%", @"route\_unified\_gtfs%"], patterns);
        Assert.Contains("s.stop_type = 'matched'", sql.Where, StringComparison.Ordinal);
    }

    [Fact]
    public void Sql_JoinsOsmNodesOnlyForTransportTypes()
    {
        var without = StopFilterSql.For(Parse(new FilterQuery { OsmOperator = "SBB", OsmEntityTypes = "way", OsmGroupTypes = "all" }));
        var with = StopFilterSql.For(Parse(new FilterQuery { TransportTypes = "tram_stop" }));

        Assert.DoesNotContain("osm_nodes", without.Where, StringComparison.Ordinal);
        Assert.Contains("osm_nodes", with.Where, StringComparison.Ordinal);
    }

    [Fact]
    public void Sql_IsTrue_WithoutFilters()
    {
        var sql = StopFilterSql.For(StopFilter.None);

        Assert.Equal("TRUE", sql.Where);
        Assert.Empty(sql.Parameters);
    }

    [Fact]
    public void Parse_NormalisesCase_AndKeepsOperatorsExact()
    {
        var filter = Parse(new FilterQuery { Canton = "zh, be", StopTypes = "MATCHED", AtlasOperator = "SBB, sbb", ShowDuplicatesOnly = "Yes" });

        Assert.Equal(["ZH", "BE"], filter.Cantons.ToArray());
        Assert.Equal(["matched"], filter.StopTypes.ToArray());
        Assert.Equal(["SBB", "sbb"], filter.AtlasOperators.ToArray());
        Assert.True(filter.DuplicatesOnly);
    }

    [Theory]
    [InlineData("canton", "ZH,XX")]
    [InlineData("problem_type", "distance,nope")]
    [InlineData("problem_priority", "0")]
    [InlineData("problem_priority", "high")]
    [InlineData("top_n", "0")]
    [InlineData("top_n", "1001")]
    [InlineData("top_n", "ten")]
    [InlineData("show_duplicates_only", "perhaps")]
    public void Parse_Fails_NamingTheParameter(string parameter, string value)
    {
        var query = parameter switch
        {
            "canton" => new FilterQuery { Canton = value },
            "problem_type" => new FilterQuery { ProblemType = value },
            "problem_priority" => new FilterQuery { ProblemPriority = value },
            "top_n" => new FilterQuery { TopN = value },
            _ => new FilterQuery { ShowDuplicatesOnly = value },
        };

        var result = query.Parse();

        Assert.Null(result.Filter);
        Assert.Equal(parameter, result.Parameter);
        Assert.Contains(parameter, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Identity_IsEqual_ForTheSameSelectionInAnotherOrder_AndDiffersOtherwise()
    {
        var a = Parse(new FilterQuery { Canton = "ZH,BE", AtlasOperator = "SBB,VBZ", TopN = "5" });
        var b = Parse(new FilterQuery { Canton = "be,zh", AtlasOperator = "VBZ,SBB", TopN = "5" });
        var c = Parse(new FilterQuery { Canton = "ZH,BE", OsmOperator = "SBB,VBZ", TopN = "5" });

        Assert.Equal(a.Identity, b.Identity);
        Assert.NotEqual(a.Identity, c.Identity);
        Assert.Equal("", StopFilter.None.Identity);
    }
}
