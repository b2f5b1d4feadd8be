using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using nietras.SeparatedValues;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Web.Api.Exports;

/// <summary>The hand-off exports (docs/09-review.md, "Hand-off to OSM and ATLAS") on the data of <see cref="ExportFixture"/>.</summary>
public sealed class ExportEndpointTests(ExportFixture fixture) : IClassFixture<ExportFixture>
{
    [Fact]
    public async Task OsmChange_HoldsTheNodeWithVersionLatLonAndAllItsTags_AndTheChosenTagChanged()
    {
        var document = await XmlAsync("/api/exports/osm-fixes.osc");

        Assert.Equal(("osmChange", "0.6", "StopSync"), (document.Root!.Name.LocalName, (string?)document.Root.Attribute("version"), (string?)document.Root.Attribute("generator")));
        var node = Node(document, "1001");
        Assert.Equal("modify", node.Parent!.Name.LocalName);
        Assert.Equal(("7", 47.3781234, 8.5401234), ((string?)node.Attribute("version"), (double)node.Attribute("lat")!, (double)node.Attribute("lon")!));
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["highway"] = "bus_stop", ["local_ref"] = "1", ["name"] = "Zürich HB", ["public_transport"] = "platform", ["uic_ref"] = "8503001",
            },
            Tags(node));
    }

    [Fact]
    public async Task OsmChange_MergesTwoDecisionsOnOneNode_IntoOneElement_InOneModifyEach()
    {
        var document = await XmlAsync("/api/exports/osm-fixes.osc");

        var nodes = document.Root!.Elements("modify").SelectMany(m => m.Elements("node")).ToList();
        Assert.Equal(["1001", "1002"], nodes.Select(n => (string)n.Attribute("id")!));
        Assert.All(document.Root.Elements("modify"), m => Assert.Single(m.Elements()));
        var merged = Tags(Node(document, "1001"));
        Assert.Equal(("8503001", "1"), (merged["uic_ref"], merged["local_ref"]));
    }

    [Fact]
    public async Task OsmChange_EscapesAHostileTagValue_WhichRoundTrips()
    {
        using var client = fixture.Factory.CreateClient();
        var text = await client.GetStringAsync("/api/exports/osm-fixes.osc");

        var tags = Tags(Node(XDocument.Parse(text), "1002"));

        Assert.Equal(ExportFixture.Hostile, tags["name"]);
        Assert.Equal(ExportFixture.Hostile + " HB", tags["uic_name"]);
        Assert.DoesNotContain("<script>", text, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;&amp;&quot;'", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OsmChange_ExportsOnlyDecidedOsmWrongDecisions()
    {
        var document = await XmlAsync("/api/exports/osm-fixes.osc");

        var ids = document.Descendants("node").Select(n => (string)n.Attribute("id")!).ToList();
        // 1003 needs another look, 1004 was resolved by data, 1005 is an ATLAS fix, 1006 not a problem.
        Assert.DoesNotContain("1003", ids);
        Assert.DoesNotContain("1004", ids);
        Assert.DoesNotContain("1005", ids);
        Assert.DoesNotContain("1006", ids);
    }

    [Fact]
    public async Task OsmChange_LeavesWaysOut_AndSaysSoInAComment()
    {
        var document = await XmlAsync("/api/exports/osm-fixes.osc");

        Assert.DoesNotContain(document.Descendants(), e => e.Name.LocalName == "way");
        var comment = Assert.Single(document.Root!.Nodes().OfType<XComment>());
        Assert.Contains("not exported: ways (way/2001)", comment.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OsmChange_IsAnAttachmentWithADatedFileName()
    {
        using var client = fixture.Factory.CreateClient();

        using var response = await client.GetAsync("/api/exports/osm-fixes.osc");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Matches(@"^stopsync-osm-fixes-\d{4}-\d{2}-\d{2}\.osc$", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task JosmFile_HoldsTheSameNodes_MarkedForUpload()
    {
        var osc = await XmlAsync("/api/exports/osm-fixes.osc");
        var josm = await XmlAsync("/api/exports/osm-fixes.osm");

        Assert.Equal(("osm", "0.6", "true", "StopSync"),
            (josm.Root!.Name.LocalName, (string?)josm.Root.Attribute("version"), (string?)josm.Root.Attribute("upload"), (string?)josm.Root.Attribute("generator")));
        var nodes = josm.Root.Elements("node").ToList();
        Assert.All(nodes, n => Assert.Equal("modify", (string?)n.Attribute("action")));
        Assert.Equal(
            osc.Descendants("node").Select(n => n.ToString(SaveOptions.DisableFormatting)),
            nodes.Select(n => { var copy = new XElement(n); copy.Attribute("action")!.Remove(); return copy.ToString(SaveOptions.DisableFormatting); }));
    }

    [Fact]
    public async Task Summary_CountsNodes_ListsSkippedWaysAndOtherSkips_AndLinksJosmToTheAbsoluteFile()
    {
        using var client = fixture.Factory.CreateClient();

        using var json = JsonDocument.Parse(await client.GetStringAsync("/api/exports/osm-fixes"));

        var root = json.RootElement;
        Assert.Equal(2, root.GetProperty("nodes").GetInt32());
        Assert.Equal(["way_2001"], root.GetProperty("skipped_ways").EnumerateArray().Select(w => w.GetString()));
        Assert.Equal(
            [("1007", "its tags already have the chosen values"), ("1008", "the published data carries no version for it")],
            root.GetProperty("skipped").EnumerateArray().Select(s => (s.GetProperty("osm_id").GetString(), s.GetProperty("reason").GetString())));
        Assert.Equal(6, root.GetProperty("decisions").GetInt32());
        Assert.Equal("http://127.0.0.1:8111/import?url=" + Uri.EscapeDataString("http://localhost/api/exports/osm-fixes.osm"),
            root.GetProperty("josm_import_url").GetString());
    }

    [Fact]
    public async Task AtlasCsv_HoldsExactlyTheOperatorsDecidedAtlasWrongRows_WithProperQuoting()
    {
        using var client = fixture.Factory.CreateClient();

        using var response = await client.GetAsync("/api/exports/atlas-corrections.csv?atlas_operator=SBB");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Matches(@"^stopsync-atlas-corrections-SBB-\d{4}-\d{2}-\d{2}\.csv$", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        Assert.StartsWith("sloid,atlas_operator,attribute,atlas_value,proposed_value,osm_id,problem_type,note,decided_by,decided_at\n", text, StringComparison.Ordinal);
        Assert.Contains("\"He said \"\"no\"\", then left,\nnext line\"", text, StringComparison.Ordinal);
        Assert.Equal(
            [
                "ch:1:sloid:1|SBB|number|8503000|8503001|1001|attributes|" + ExportFixture.QuotedNote + "|Rita Reviewer|2026-12-01T09:00:00Z",
                "ch:1:sloid:1|SBB|designation|1|3|1001|attributes|" + ExportFixture.QuotedNote + "|Rita Reviewer|2026-12-01T09:00:00Z",
                "ch:1:sloid:2|SBB|||||attributes||Rita Reviewer|2026-12-01T10:00:00Z",
                "ch:1:sloid:4|SBB|number|8503004|8503005|1005|attributes||Rita Reviewer|2026-12-01T09:00:00Z",
            ],
            ParseCsv(text));
    }

    [Fact]
    public async Task AtlasCsv_OfAnotherOperator_HoldsOnlyItsRows()
    {
        using var client = fixture.Factory.CreateClient();

        var text = await client.GetStringAsync("/api/exports/atlas-corrections.csv?atlas_operator=BLS");

        Assert.Equal(["ch:1:sloid:3|BLS|designation_official|Bern|Bern Bahnhof|1003|attributes||Rita Reviewer|2026-12-01T09:00:00Z"], ParseCsv(text));
    }

    [Theory]
    [InlineData("?atlas_operator=NOPE")]
    [InlineData("?atlas_operator=")]
    [InlineData("")]
    public async Task AtlasCsv_Answers400NamingTheParameter_WhenTheOperatorIsMissingOrUnknown(string query)
    {
        using var client = fixture.Factory.CreateClient();

        using var response = await client.GetAsync("/api/exports/atlas-corrections.csv" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("atlas_operator", problem.RootElement.GetProperty("parameter").GetString());
        Assert.Contains("atlas_operator", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AtlasCorrections_ListsEachOperatorWithItsCountAndCsvLink()
    {
        using var client = fixture.Factory.CreateClient();

        using var json = JsonDocument.Parse(await client.GetStringAsync("/api/exports/atlas-corrections"));

        Assert.Equal(
            [("BLS", 1, "/api/exports/atlas-corrections.csv?atlas_operator=BLS"), ("SBB", 3, "/api/exports/atlas-corrections.csv?atlas_operator=SBB")],
            json.RootElement.GetProperty("operators").EnumerateArray()
                .Select(o => (o.GetProperty("atlas_operator").GetString(), o.GetProperty("decisions").GetInt32(), o.GetProperty("csv_url").GetString())));
        Assert.Equal(4, json.RootElement.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Exports_ShareOneRateLimitBudget_AndAnswer429OnceItIsSpent()
    {
        var settings = StopSyncAppFactory.DefaultSettings(fixture.ConnectionString, fixture.Prefix);
        settings["RateLimits:KeyPrefix"] = fixture.Prefix + $"rl-{Guid.NewGuid():N}:";
        settings["RateLimits:Exports:PermitLimit"] = "2";
        await using var app = new StopSyncAppFactory(settings);
        using var client = app.CreateClient();

        using var first = await client.GetAsync("/api/exports/osm-fixes.osc");
        using var second = await client.GetAsync("/api/exports/atlas-corrections");
        using var refused = await client.GetAsync("/api/exports/atlas-corrections.csv?atlas_operator=SBB");
        using var other = await client.GetAsync("/api/cantons");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Single(refused.Headers.GetValues("Retry-After"));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    private async Task<XDocument> XmlAsync(string path)
    {
        using var client = fixture.Factory.CreateClient();
        return XDocument.Parse(await client.GetStringAsync(path));
    }

    private static XElement Node(XDocument document, string id) => document.Descendants("node").Single(n => (string?)n.Attribute("id") == id);

    private static Dictionary<string, string> Tags(XElement node) =>
        node.Elements("tag").ToDictionary(t => (string)t.Attribute("k")!, t => (string)t.Attribute("v")!);

    private static List<string> ParseCsv(string text)
    {
        using var reader = Sep.New(',').Reader(o => o with { Unescape = true }).FromText(text);
        var rows = new List<string>();
        foreach (var row in reader)
        {
            var cols = new string[row.ColCount];
            for (var k = 0; k < cols.Length; k++)
            {
                cols[k] = row[k].ToString();
            }

            rows.Add(string.Join('|', cols));
        }

        return rows;
    }
}
