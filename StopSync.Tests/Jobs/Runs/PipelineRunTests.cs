using System.Globalization;
using Microsoft.EntityFrameworkCore;
using StopSync.Data.Entities;
using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Runs;
using StopSync.Jobs.Sources;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Jobs.Runs;

[Collection(IntegrationGroup.Name)]
public sealed class PipelineRunTests(IntegrationFixture fixture)
{
    [Fact]
    public async Task DemoRun_PublishesEveryCurrentSwissPlatform_AndNoFilteredRow()
    {
        await using var db = fixture.CreateDbContext();
        var expected = DemoCsv.CurrentSwissPlatformSloids(fixture.DemoAtlasPath);

        var published = await db.AtlasStops.Select(a => a.Sloid).ToListAsync();

        Assert.Equal(expected.Order(StringComparer.Ordinal), published.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(published, s => s.StartsWith("ch:1:sloid:14441:", StringComparison.Ordinal)); // foreign (country 80)
    }

    [Fact]
    public async Task DemoRun_MatchesTheExactCasesOfTheGroundTruth()
    {
        await using var db = fixture.CreateDbContext();
        var exactTruth = DemoCsv.Truth(fixture.DemoDirectory).Where(t => t.Case == "exact").ToList();
        var matches = await db.StopsMatched.Where(s => s.StopType == StopTypes.Matched)
            .Select(s => new { s.Sloid, s.OsmNodeId, s.MatchType, s.DistanceM }).ToListAsync();
        var pairs = matches.Select(m => (m.Sloid, m.OsmNodeId)).ToHashSet();

        Assert.NotEmpty(exactTruth);
        Assert.All(exactTruth, t => Assert.Contains((t.Sloid, t.OsmId), pairs));
        Assert.All(matches, m => Assert.Contains(m.MatchType!, MatchTypeLabels.All));
        Assert.All(matches, m => Assert.InRange(m.DistanceM!.Value, 0, 2_000));
    }

    [Fact]
    public async Task DemoRun_WritesOneRowPerMatchOrUnmatchedEntity_WithAPointEach()
    {
        await using var db = fixture.CreateDbContext();

        var matchedSloids = await db.StopsMatched.Where(s => s.StopType == StopTypes.Matched).Select(s => s.Sloid).Distinct().ToListAsync();
        var unmatchedSloids = await db.StopsMatched.Where(s => s.StopType == StopTypes.AtlasUnmatched).Select(s => s.Sloid).ToListAsync();
        var atlasCount = await db.AtlasStops.CountAsync();
        var osmMatched = await db.StopsMatched.Where(s => s.StopType == StopTypes.Matched).Select(s => s.OsmNodeId).Distinct().CountAsync();
        var osmUnmatched = await db.StopsMatched.CountAsync(s => s.StopType == StopTypes.OsmUnmatched || s.StopType == StopTypes.EffectivelyMatched);
        var osmCount = await db.OsmNodes.CountAsync();
        var withoutPoint = await db.StopsMatched.CountAsync(s => s.Geom.SRID != 4326);

        Assert.Empty(matchedSloids.Intersect(unmatchedSloids));
        Assert.Equal(atlasCount, matchedSloids.Count + unmatchedSloids.Count);
        Assert.Equal(osmCount, osmMatched + osmUnmatched);
        Assert.Equal(0, withoutPoint);
    }

    [Fact]
    public async Task DemoRun_PublishesEveryOsmElementInExactlyOneStopUnit_LedByOneOfItsMembers()
    {
        await using var db = fixture.CreateDbContext();

        var nodes = await db.OsmNodes.Select(n => n.OsmNodeId).ToListAsync();
        var stops = await db.OsmStops.Include(s => s.Members).AsNoTracking().ToListAsync();

        Assert.Equal(nodes.Order(StringComparer.Ordinal), stops.SelectMany(s => s.Members).Select(m => m.NodeId).Order(StringComparer.Ordinal));
        Assert.All(stops, s => Assert.Contains(s.Members, m => m.NodeId == s.RepresentativeNodeId));
        Assert.All(stops.Where(s => s.StopKind == "pair"), s => Assert.Equal(["pair_a", "pair_b"], s.Members.Select(m => m.MemberRole).Order(StringComparer.Ordinal)));
        Assert.All(stops.Where(s => s.StopKind == "single"), s => Assert.Null(s.GroupKind));
        Assert.Contains(stops, s => s.StopKind == "pair");
    }

    [Fact]
    public async Task DemoRun_PublishesTheAtlasDuplicateGroups_WithTheirRepresentative()
    {
        await using var db = fixture.CreateDbContext();
        var expected = DemoCsv.DuplicateGroups(fixture.DemoAtlasPath);

        var rows = await db.AtlasStops.Where(a => a.RepresentativeSloid != null)
            .Select(a => new { a.Sloid, a.RepresentativeSloid, a.DuplicateGroupSloids }).ToListAsync();

        Assert.NotEmpty(expected);
        Assert.Equal(expected.SelectMany(g => g).Order(StringComparer.Ordinal), rows.Select(r => r.Sloid).Order(StringComparer.Ordinal));
        Assert.All(rows, r =>
        {
            var group = System.Text.Json.JsonSerializer.Deserialize<List<string>>(r.DuplicateGroupSloids!)!;
            Assert.Equal(group[0], r.RepresentativeSloid);
            Assert.Contains(group, g => expected.Any(e => e.SequenceEqual(group)));
        });
    }

    [Fact]
    public async Task DemoRun_IsRecordedAsSucceeded_AndIsTheOnePublished()
    {
        await using var db = fixture.CreateDbContext();

        var run = await db.PipelineRuns.SingleAsync(r => r.Id == fixture.FirstRun.Id);
        var publication = await db.DatasetPublications.SingleAsync();

        Assert.Equal(PipelineRunStatus.Succeeded, run.Status);
        Assert.NotNull(run.FinishedAt);
        Assert.Contains("\"matching\"", run.Stats, StringComparison.Ordinal);
        Assert.Equal(await db.PipelineRuns.Where(r => r.Status == PipelineRunStatus.Succeeded).OrderByDescending(r => r.StartedAt).Select(r => r.Id).FirstAsync(),
            publication.RunId);
    }

    [Fact]
    public async Task FailedRun_LeavesThePublishedDatasetUntouched_AndNamesTheFile()
    {
        await using var db = fixture.CreateDbContext();
        var before = await db.DatasetPublications.AsNoTracking().SingleAsync();
        var rowsBefore = await db.StopsMatched.CountAsync();
        var missing = Path.Combine(fixture.DemoDirectory, "no-such-osm.xml");

        var error = await Assert.ThrowsAsync<SourceFormatException>(() => fixture.RunPipelineAsync(fixture.DemoAtlasPath, missing));

        Assert.Contains("no-such-osm.xml", error.Message, StringComparison.Ordinal);
        var after = await db.DatasetPublications.AsNoTracking().SingleAsync();
        Assert.Equal(before.RunId, after.RunId);
        Assert.Equal(rowsBefore, await db.StopsMatched.CountAsync());
        var failed = await db.PipelineRuns.OrderByDescending(r => r.StartedAt).FirstAsync();
        Assert.Equal(PipelineRunStatus.Failed, failed.Status);
        Assert.Contains(missing, failed.Error, StringComparison.Ordinal);
        // The public status names the file but not where it lives on the server.
        using var client = fixture.Factory.CreateClient();
        var status = await client.GetStringAsync(new Uri("/api/system/pipeline_status", UriKind.Relative));
        Assert.Contains("no-such-osm.xml", status, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.DemoDirectory, status, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecondRun_ReplacesTheDatasetWithTheSameRows()
    {
        await using var db = fixture.CreateDbContext();
        var rowsBefore = await db.StopsMatched.CountAsync();

        var run = await fixture.RunPipelineAsync(fixture.DemoAtlasPath, fixture.DemoOsmPath);

        Assert.Equal(PipelineRunStatus.Succeeded, run.Status);
        Assert.Equal(rowsBefore, await db.StopsMatched.CountAsync());
        Assert.Equal(run.Id, (await db.DatasetPublications.AsNoTracking().SingleAsync()).RunId);
    }
}

/// <summary>Reads the generated demo files independently of the pipeline's readers.</summary>
internal static class DemoCsv
{
    public static List<string> CurrentSwissPlatformSloids(string atlasPath)
    {
        var lines = File.ReadAllLines(atlasPath);
        var header = lines[0].TrimStart('\uFEFF').Split(';');
        int Col(string name) => Array.IndexOf(header, name);
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return lines.Skip(1).Select(l => l.Split(';'))
            .Where(f => f[Col("uicCountryCode")] == "85"
                && string.CompareOrdinal(f[Col("validTo")], today) >= 0
                && f[Col("trafficPointElementType")] == "BOARDING_PLATFORM")
            .Select(f => f[Col("sloid")])
            .ToList();
    }

    /// <summary>Current Swiss platforms sharing a non-empty number and designation, two or more, SLOIDs sorted.</summary>
    public static List<List<string>> DuplicateGroups(string atlasPath)
    {
        var current = CurrentSwissPlatformSloids(atlasPath).ToHashSet(StringComparer.Ordinal);
        var lines = File.ReadAllLines(atlasPath);
        var header = lines[0].TrimStart('\uFEFF').Split(';');
        int Col(string name) => Array.IndexOf(header, name);
        return lines.Skip(1).Select(l => l.Split(';'))
            .Where(f => current.Contains(f[Col("sloid")]) && f[Col("number")].Trim().Length > 0 && f[Col("designation")].Trim().Length > 0)
            .GroupBy(f => (f[Col("number")].Trim(), f[Col("designation")].Trim()))
            .Where(g => g.Count() > 1)
            .Select(g => g.Select(f => f[Col("sloid")]).Order(StringComparer.Ordinal).ToList())
            .ToList();
    }

    public static List<(string Sloid, string OsmId, string Case)> Truth(string directory) =>
        File.ReadAllLines(Path.Combine(directory, "truth.csv")).Skip(1)
            .Select(l => l.Split(','))
            .Select(f => (f[0], f[1], f[2]))
            .ToList();
}
