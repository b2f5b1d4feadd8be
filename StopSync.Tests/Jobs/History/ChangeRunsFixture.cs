using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StopSync.Data;
using StopSync.Data.Entities;
using StopSync.Data.Review;
using StopSync.Data.Status;
using StopSync.Jobs.Demo;
using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Runs;
using StopSync.Jobs.Sources;
using StopSync.Tests.Infrastructure;
using StopSync.Tests.Jobs.Runs;

namespace StopSync.Tests.Jobs.History;

/// <summary>
/// Real pipeline runs on the demo files, one after the other on a database of their own, each publication compared
/// with the one before: the baseline, an ATLAS-only edit, an OSM-only edit, an edit of both sides of one stop, a
/// reviewer's ruling with unchanged files (only the matching differs), and a run whose previous bundle is gone.
/// </summary>
public sealed class ChangeRunsFixture : IAsyncLifetime
{
    public const string EditedAt = "2026-12-04 10:00:00";
    public const string OsmUser = "change_tester";
    public const string OsmTimestamp = "2026-12-04T09:00:00Z";

    private TestDatabase? _database;

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("stopsync-changes-").FullName;
    public string HangfirePrefix { get; } = $"stopsync-test:{Guid.NewGuid():N}:";
    public string PipelinePrefix => HangfirePrefix + "pipeline:";
    public string ConnectionString => _database!.ConnectionString;
    public string Bundles => Path.Combine(Directory, "bundles");

    public PipelineRun Baseline { get; private set; } = null!;
    public PipelineRun AtlasEdit { get; private set; } = null!;
    public PipelineRun OsmEdit { get; private set; } = null!;
    public PipelineRun BothEdit { get; private set; } = null!;
    public PipelineRun Ruling { get; private set; } = null!;
    public PipelineRun BundleGone { get; private set; } = null!;

    /// <summary>One-to-one exact pairs of the baseline, one per scenario.</summary>
    public (string Sloid, string OsmId) AtlasPair { get; private set; }
    public (string Sloid, string OsmId) OsmPair { get; private set; }
    public (string Sloid, string OsmId) BothPair { get; private set; }
    public (string Sloid, string OsmId) RulingPair { get; private set; }

    /// <summary>Each run's progress document as it ended.</summary>
    public Dictionary<Guid, PipelineStatusDocument> Statuses { get; } = [];

    /// <summary>The OSM version the edited element of <see cref="OsmPair"/> carries after its edit.</summary>
    public int OsmVersion { get; private set; }

    public async Task InitializeAsync()
    {
        _database = await HeldRunFixture.CreateMigratedDatabaseAsync();
        var demo = Path.Combine(Directory, "demo");
        DatasetGenerator.Generate(demo);
        var atlas1 = Copy(Path.Combine(demo, SourceFileNames.Atlas), "atlas-1.csv");
        var osm1 = Copy(Path.Combine(demo, SourceFileNames.Osm), "osm-1.xml");
        var gtfs = Copy(Path.Combine(demo, SourceFileNames.Gtfs), "gtfs.zip");

        Baseline = await RunAsync(atlas1, osm1, gtfs);
        await ChoosePairsAsync();

        var atlas2 = Path.Combine(Directory, "atlas-2.csv");
        EditAtlas(atlas1, atlas2, AtlasPair.Sloid, 0.0001);
        AtlasEdit = await RunAsync(atlas2, osm1, gtfs);

        var osm3 = Path.Combine(Directory, "osm-3.xml");
        OsmVersion = EditOsm(osm1, osm3, OsmPair.OsmId, rename: true, northDegrees: 0);
        OsmEdit = await RunAsync(atlas2, osm3, gtfs);

        var atlas4 = Path.Combine(Directory, "atlas-4.csv");
        var osm4 = Path.Combine(Directory, "osm-4.xml");
        EditAtlas(atlas2, atlas4, BothPair.Sloid, 0.0001);
        EditOsm(osm3, osm4, BothPair.OsmId, rename: false, northDegrees: -0.0001);
        BothEdit = await RunAsync(atlas4, osm4, gtfs);

        await using (var db = CreateDbContext())
        {
            db.Decisions.Add(NotSameStop(RulingPair));
            await db.SaveChangesAsync();
        }

        Ruling = await RunAsync(atlas4, osm4, gtfs);

        System.IO.Directory.Delete(Path.Combine(Bundles, Ruling.Id.ToString("D")), recursive: true);
        BundleGone = await RunAsync(atlas4, osm4, gtfs);
    }

    public async Task DisposeAsync()
    {
        await IntegrationFixture.DeleteRedisKeysAsync(HangfirePrefix);
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }

    public StopSyncDbContext CreateDbContext() => HeldRunFixture.CreateDbContext(ConnectionString);

    public ServiceProvider Services(string atlas, string osm, string gtfs, Dictionary<string, string?>? extra = null) =>
        PipelineServices.Create(ConnectionString, atlas, osm, gtfs, PipelinePrefix, extra);

    private async Task<PipelineRun> RunAsync(string atlas, string osm, string gtfs)
    {
        await using var services = Services(atlas, osm, gtfs);
        var run = await HeldRunFixture.RunAsync(services);
        if (run.Status != PipelineRunStatus.Succeeded)
        {
            throw new InvalidOperationException($"Run {run.Id} ended {run.Status}: {run.Message}");
        }

        Statuses[run.Id] = await services.GetRequiredService<PipelineStatusStore>().ReadAsync();
        return run;
    }

    private async Task ChoosePairsAsync()
    {
        await using var db = CreateDbContext();
        var matched = await db.StopsMatched.AsNoTracking().Where(s => s.StopType == StopTypes.Matched)
            .Select(s => new { Sloid = s.Sloid!, OsmId = s.OsmNodeId!, s.MatchType }).ToListAsync();
        // One-to-one exact pairs of nodes at stops of their own: an edit of one does not reach the others' matching.
        var pairs = matched.Where(m => m.MatchType == MatchTypeLabels.Exact && !m.OsmId.StartsWith("way_", StringComparison.Ordinal))
            .Where(m => matched.Count(o => o.Sloid == m.Sloid) == 1 && matched.Count(o => o.OsmId == m.OsmId) == 1)
            .GroupBy(m => Stop(m.Sloid), StringComparer.Ordinal)
            .Select(g => g.OrderBy(m => m.Sloid, StringComparer.Ordinal).First())
            .OrderBy(m => m.Sloid, StringComparer.Ordinal)
            .Select(m => (m.Sloid, m.OsmId))
            .ToList();
        (AtlasPair, OsmPair, BothPair, RulingPair) = (pairs[0], pairs[pairs.Count / 3], pairs[2 * pairs.Count / 3], pairs[^1]);
    }

    /// <summary>The service point of a platform's SLOID (<c>ch:1:sloid:7000:1:2</c> → <c>ch:1:sloid:7000</c>).</summary>
    private static string Stop(string sloid) => string.Join(':', sloid.Split(':').Take(4));

    private string Copy(string source, string name)
    {
        var target = Path.Combine(Directory, name);
        File.Copy(source, target);
        return target;
    }

    /// <summary>Moves one ATLAS row north and stamps its edition date, as ATLAS does on an edit.</summary>
    private static void EditAtlas(string source, string target, string sloid, double northDegrees)
    {
        var lines = File.ReadAllLines(source, Encoding.UTF8);
        var header = lines[0].TrimStart('\uFEFF').Split(';');
        var (north, edition) = (Array.IndexOf(header, "wgs84North"), Array.IndexOf(header, "editionDate"));
        var found = false;
        for (var i = 1; i < lines.Length; i++)
        {
            var cells = lines[i].Split(';');
            if (cells[0] != sloid)
            {
                continue;
            }

            cells[north] = (double.Parse(cells[north], CultureInfo.InvariantCulture) + northDegrees).ToString("F11", CultureInfo.InvariantCulture);
            cells[edition] = EditedAt;
            lines[i] = string.Join(';', cells);
            found = true;
        }

        File.WriteAllLines(target, found ? lines : throw new InvalidOperationException($"{sloid} is not in {source}"), new UTF8Encoding(true));
    }

    /// <summary>Edits one OSM node as a mapper would (a new name, or a move) and gives it a new version, user and
    /// timestamp; returns the new version.</summary>
    private static int EditOsm(string source, string target, string osmId, bool rename, double northDegrees)
    {
        var document = XDocument.Load(source);
        var node = document.Root!.Elements("node").Single(e => (string?)e.Attribute("id") == osmId);
        if (rename)
        {
            var name = node.Elements("tag").SingleOrDefault(t => (string?)t.Attribute("k") == "name");
            if (name is null)
            {
                node.Add(new XElement("tag", new XAttribute("k", "name"), new XAttribute("v", "Neu")));
            }
            else
            {
                name.SetAttributeValue("v", (string)name.Attribute("v")! + " Neu");
            }
        }

        if (northDegrees != 0)
        {
            var lat = double.Parse((string)node.Attribute("lat")!, CultureInfo.InvariantCulture) + northDegrees;
            node.SetAttributeValue("lat", lat.ToString("F7", CultureInfo.InvariantCulture));
        }

        var version = ((int?)node.Attribute("version") ?? 1) + 1;
        node.SetAttributeValue("version", version);
        node.SetAttributeValue("timestamp", OsmTimestamp);
        node.SetAttributeValue("user", OsmUser);
        document.Save(target);
        return version;
    }

    private static Decision NotSameStop((string Sloid, string OsmId) pair) => new()
    {
        ProblemKey = "k-changes-ruling",
        ProblemType = "unmatched",
        Sloids = [pair.Sloid],
        OsmIds = [pair.OsmId],
        Kind = DecisionKinds.NotSameStop,
        PairSloid = pair.Sloid,
        PairOsmId = pair.OsmId,
        Evidence = "{}",
        State = DecisionStates.Decided,
        StateChangedAt = DateTimeOffset.UtcNow,
        DecidedById = "test-reviewer",
        DecidedByName = "Test Reviewer",
        DecidedAt = DateTimeOffset.UtcNow,
        Revision = 1,
    };
}
