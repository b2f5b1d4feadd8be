using System.Text.Json;
using StopSync.Web.Pages.Problems;

namespace StopSync.Tests.Web.Api.Problems;

/// <summary>The one-line descriptions of <see cref="ProblemDescriptions"/>, from evidence alone (no database).</summary>
public sealed class ProblemDescriptionTests
{
    [Theory]
    [InlineData("attributes", """{"differences":[{"attribute":"uic_ref","atlas":"8503001","osm":"8503000"}]}""", null, "OSM uic_ref 8503000, ATLAS number 8503001")]
    [InlineData("attributes", """{"differences":[{"attribute":"uic_name","atlas":"Zürich HB","osm":"Zürich"},{"attribute":"operator","atlas":"SBB","osm":null}]}""", null,
        "OSM uic_name Zürich, ATLAS official designation Zürich HB; OSM operator (none), ATLAS operator SBB")]
    [InlineData("attributes", """{"differences":[{"attribute":"local_ref","atlas":"","osm":"A"}]}""", null, "OSM local_ref A, ATLAS designation (none)")]
    [InlineData("distance", """{"distance_bucket":"25-50"}""", 37.4, "ATLAS and OSM 37 m apart (25–50 m)")]
    [InlineData("distance", """{"distance_bucket":"1000+"}""", 1234.6, "ATLAS and OSM 1235 m apart (over 1000 m)")]
    [InlineData("distance", """{"distance_bucket":"80-150"}""", null, "ATLAS and OSM 80–150 m apart")]
    [InlineData("unmatched", """{"side":"atlas","isolated":true}""", null, "No OSM counterpart within 50 m")]
    [InlineData("unmatched", """{"side":"atlas","isolated":false}""", null, "An OSM counterpart is nearby but not matched")]
    [InlineData("unmatched", """{"side":"osm","isolated":true}""", null, "No ATLAS counterpart within 50 m")]
    [InlineData("duplicates", """{"side":"osm","members":["101","way_7"]}""", null, "OSM duplicates: 101, way_7")]
    [InlineData("contradicts_route_matching", """{"alignment":"direction_contradiction"}""", null, "The route matching contradicts this match: the routes run in other directions")]
    public void Describe_BuildsTheLineFromTheEvidence(string type, string evidence, double? distance, string expected)
    {
        using var json = JsonDocument.Parse(evidence);

        Assert.Equal(expected, ProblemDescriptions.Describe(type, json.RootElement, distance));
    }

    [Theory]
    [InlineData("attributes", null, null, "ATLAS and OSM attributes differ")]
    [InlineData("attributes", """{"differences":[]}""", null, "ATLAS and OSM attributes differ")]
    [InlineData("distance", null, 61.2, "ATLAS and OSM 61 m apart")]
    [InlineData("distance", """{"bucket":"x"}""", null, "ATLAS and OSM positions are far apart")]
    [InlineData("unmatched", """{"side":"elsewhere","isolated":true}""", null, "No counterpart matched")]
    [InlineData("duplicates", """["not","an","object"]""", null, "Duplicate entries")]
    [InlineData("contradicts_route_matching", """{"alignment":"unknown"}""", null, "The route matching contradicts this match")]
    [InlineData("something_new", """{"x":1}""", null, "Problem: something_new")]
    public void Describe_FallsBackToAGenericLine_WhenTheEvidenceIsMissingOrOfAnotherShape(string type, string? evidence, double? distance, string expected)
    {
        using var json = evidence is null ? null : JsonDocument.Parse(evidence);

        Assert.Equal(expected, ProblemDescriptions.Describe(type, json?.RootElement, distance));
    }
}
