using StopSync.Web.Pages.Map.StopCard;

namespace StopSync.Tests.Web.Api;

public sealed class StopCardTextTests
{
    private static StopFacts Pair(
        string stopType = "matched", string? matchType = "exact", double? distance = 4.0, string? atlasUic = "8503000",
        string? designation = "2", string? officialName = "Zürich HB", string? atlasOperator = "SBB", string? osmUic = "8503000",
        string? osmLocalRef = "2", string? osmUicName = null, string? osmOperator = "SBB", bool hasAtlas = true, bool hasOsm = true) =>
        new(stopType, matchType, distance, hasAtlas, atlasUic, designation, officialName, atlasOperator, null, [],
            hasOsm, "1001", osmUic, osmUicName, "Zürich HB", osmLocalRef, osmOperator, osmOperator, "platform", null, "single", [],
            1, 1, 1, 1, 1, 1, 1);

    [Fact]
    public void MissingOsmTags_SuggestsUicRefAndLocalRef_WhenOsmHasNeither()
    {
        var tags = StopCardText.MissingOsmTags(Pair(osmUic: null, osmLocalRef: null));

        Assert.Equal(new Dictionary<string, string> { ["local_ref"] = "2", ["uic_ref"] = "8503000" }, tags);
    }

    [Fact]
    public void MissingOsmTags_TreatsABlankOsmValueAsMissing()
    {
        Assert.Equal("8503000", StopCardText.MissingOsmTags(Pair(osmUic: "  "))["uic_ref"]);
    }

    [Fact]
    public void MissingOsmTags_NeverOverwritesADifferentOsmValue()
    {
        Assert.Empty(StopCardText.MissingOsmTags(Pair(osmUic: "8503001", osmLocalRef: "4")));
    }

    [Fact]
    public void MissingOsmTags_SuggestsNothing_WhenAtlasHasNoValueEither()
    {
        Assert.Empty(StopCardText.MissingOsmTags(Pair(atlasUic: null, designation: null, osmUic: null, osmLocalRef: null)));
    }

    [Theory]
    [InlineData("atlas_unmatched")]
    [InlineData("osm_unmatched")]
    [InlineData("effectively_matched")]
    public void MissingOsmTags_SuggestsNothing_ForRowsThatAreNoMatch(string stopType)
    {
        Assert.Empty(StopCardText.MissingOsmTags(Pair(stopType: stopType, osmUic: null, osmLocalRef: null)));
    }

    [Fact]
    public void Attributes_ComparesCodesIgnoringCase_AndAMissingValueIsNoDifference()
    {
        var attributes = StopCardText.Attributes(Pair(designation: "1a", osmLocalRef: "1A", osmUic: null)).ToDictionary(a => a.Attribute);

        Assert.False(attributes["local_ref"].Differs);
        Assert.False(attributes["uic_ref"].Differs);
        Assert.True(StopCardText.Attributes(Pair(osmUicName: "Zürich Hbf")).Single(a => a.Attribute == "name").Differs);
    }

    [Theory]
    [InlineData("exact", "Exact: the ATLAS number 8503000 is the OSM element's uic_ref, and its local_ref 2 is the ATLAS designation.")]
    [InlineData("name", "Name: the ATLAS official name \"Zürich HB\"")]
    [InlineData("distance_matching_trio", "Trio:")]
    [InlineData("route_gtfs_tokens", "Routes:")]
    [InlineData("route_unified_gtfs_tokens", "Routes:")]
    [InlineData("route_gtfs_direction", "Route direction:")]
    [InlineData("distance_matching_1_uic_ref", "Group proximity within 50 m: among the ATLAS platforms and OSM elements with the same UIC number (8503000)")]
    [InlineData("long_distance_group_proximity_name", "Group proximity within 150 m")]
    [InlineData("distance_matching_2", "Local reference: the nearest free OSM element within 50 m whose local_ref (2)")]
    [InlineData("distance_matching_3a", "Only candidate:")]
    [InlineData("distance_matching_3b", "Clearly nearest:")]
    [InlineData("distance_matching_3a_second_pass", "Only candidate (second pass):")]
    [InlineData("exact_postpass", "Last exact pass:")]
    [InlineData("duplicate_propagation", "ATLAS duplicate:")]
    [InlineData("osm_group_propagation", "OSM pair:")]
    [InlineData("manual", "Manual: a reviewer decided")]
    public void ExplainMatch_SaysInWordsHowEachMethodFamilyMatched(string matchType, string start)
    {
        var text = StopCardText.ExplainMatch(Pair(matchType: matchType));

        Assert.StartsWith(start, text, StringComparison.Ordinal);
        Assert.EndsWith("The two positions are 4.0 m apart.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ExplainMatch_SaysWhyAnAtlasPlatformIsUnmatched()
    {
        Assert.Equal("Unmatched ATLAS platform: no OSM element within 50 m.",
            StopCardText.ExplainMatch(Pair(stopType: "atlas_unmatched", matchType: "no_nearby_counterpart", hasOsm: false)));
        Assert.Contains("at least one OSM element lies within 50 m",
            StopCardText.ExplainMatch(Pair(stopType: "atlas_unmatched", matchType: null, hasOsm: false)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, "more than 80 m")]
    [InlineData(2, "more than 25 m")]
    [InlineData(3, "more than 15 m")]
    public void DescribeProblem_GivesTheDistanceAndTheLimitItExceeds(int priority, string limit)
    {
        var text = StopCardText.DescribeProblem("distance", priority, Pair(distance: 123.45, atlasOperator: "VBZ"));

        Assert.Equal($"The OSM element is 123.5 m from the ATLAS platform: {limit}.", text);
    }

    [Fact]
    public void DescribeProblem_NamesBothValues_OfEveryAttributeThatDiffers()
    {
        var text = StopCardText.DescribeProblem("attributes", 1, Pair(osmUic: "8503001", osmOperator: "BLS"));

        Assert.Equal("Attributes differ: OSM uic_ref 8503001, ATLAS number 8503000; OSM operator BLS, ATLAS operator SBB.", text);
    }

    [Theory]
    [InlineData("123", "node", 123L, "123")]
    [InlineData("node/123", "node", 123L, "123")]
    [InlineData("n123", "node", 123L, "123")]
    [InlineData("NODE_123", "node", 123L, "123")]
    [InlineData("way/45", "way", 45L, "way_45")]
    [InlineData("w45", "way", 45L, "way_45")]
    [InlineData("way_45", "way", 45L, "way_45")]
    [InlineData(" W45 ", "way", 45L, "way_45")]
    public void OsmElementId_ParsesEverySpellingReviewersPaste(string text, string type, long id, string key)
    {
        Assert.True(OsmElementId.TryParse(text, out var parsed));
        Assert.Equal((type, id, key), (parsed.ElementType, parsed.Id, parsed.Key));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("relation/5")]
    [InlineData("r5")]
    [InlineData("node/")]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("12a")]
    [InlineData("99999999999999999999")]
    public void OsmElementId_RejectsAnythingElse(string? text) => Assert.False(OsmElementId.TryParse(text, out _));
}
