using System.Text.Json;
using StopSync.Tests.Web.Api;

namespace StopSync.Tests.Web.Changes;

[Collection(ChangesGroup.Name)]
public sealed class StopCardChangesTests(ChangesFixture fixture)
{
    private async Task<JsonElement> CardAsync(long id)
    {
        using var client = fixture.Factory.CreateClient();
        return (await StopCardApi.GetJsonAsync(client, $"/api/stop_popup?stop_id={id}")).GetProperty("stop");
    }

    [Fact]
    public async Task StopPopup_ListsTheLiveRunsChanges_OfTheSloidAndOfItsOsmNode()
    {
        var stop = await CardAsync(ChangesFixture.MatchedRow);

        var changes = stop.GetProperty("changes").EnumerateArray().ToList();
        // By SLOID: the match and the ATLAS edit; by OSM node: the match and the OSM edit (once each, in type order).
        Assert.Equal(["match_gained", "atlas_edited", "osm_edited"], changes.Select(c => c.GetProperty("change_type").GetString()).ToList());
        // jsonb keeps keys shorter first, so match_type comes before osm_node_id.
        Assert.Equal("Match gained (cause: matching): match_type (none) → 'exact'; osm_node_id (none) → '1001'", changes[0].GetProperty("text").GetString());
        Assert.Equal("ATLAS edited (edition 2026-12-02): designation '1' → '1A'", changes[1].GetProperty("text").GetString());
        Assert.Equal("OSM edited by anna (v12): tags.name 'Zürich HB' → '<script>&'", changes[2].GetProperty("text").GetString());
        Assert.Equal("/data/changes?atlas_operator=SBB", stop.GetProperty("changes_url").GetString());
    }

    [Fact]
    public async Task StopPopup_ListsTheChangesOfAnOsmWay_ForAnOsmOnlyRow()
    {
        var stop = await CardAsync(ChangesFixture.WayRow);

        var texts = stop.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("text").GetString()).ToList();
        Assert.Equal(["Problem closed: unmatched (cause: OSM)", "OSM element added by bob (v1): name (none) → 'Bern Way'"], texts);
        Assert.Equal("/data/changes?canton=BE", stop.GetProperty("changes_url").GetString());
    }

    [Fact]
    public async Task StopPopup_HasNoChanges_ForAStopNothingChangedAt()
    {
        var stop = await CardAsync(ChangesFixture.QuietRow);

        Assert.Equal(0, stop.GetProperty("changes").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, stop.GetProperty("changes_url").ValueKind);
    }

    [Fact]
    public async Task StopPopup_LeavesOutChangesOfOtherRuns()
    {
        var texts = (await CardAsync(ChangesFixture.MatchedRow)).GetProperty("changes").EnumerateArray()
            .Select(c => c.GetProperty("change_type").GetString()).ToList();

        // The unpublished run removed the platform; the card shows only the live run's changes.
        Assert.DoesNotContain("atlas_removed", texts);
    }
}
