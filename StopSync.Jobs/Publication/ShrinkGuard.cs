using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StopSync.Data;
using StopSync.Data.Entities;
using StopSync.Jobs.Bundles;
using StopSync.Jobs.Runs;

namespace StopSync.Jobs.Publication;

// The largest shrink, in percent of the published figure, that still publishes; 100 switches a check off. A truncated
// Overpass answer or download still parses, so a much smaller result means a broken source, not a changed country;
// matches follow both inputs and move more between honest runs, hence their wider margin.
public sealed class MaxShrinkOptions
{
    public double AtlasPlatformsPercent { get; set; } = 10;

    public double OsmElementsPercent { get; set; } = 10;

    public double MatchesPercent { get; set; } = 15;
}

// Runs between validation and staging (docs/04-pipeline.md, "Held runs"). With nothing published there is nothing to
// compare with, so a first run is never held.
public sealed class ShrinkGuard(
    IDbContextFactory<StopSyncDbContext> contexts,
    ResultBundleStore bundles,
    IOptions<PipelineOptions> options,
    TimeProvider clock,
    ILogger<ShrinkGuard> logger)
{
    public const string AtlasPlatforms = "atlas_platforms";
    public const string OsmElements = "osm_elements";
    public const string Matches = "matches";

    // The live figures are counted in the published tables (what readers see, whatever wrote them), the new ones are
    // the bundle's validated row counts.
    public async Task<RunHold?> CompareAsync(BundleManifest manifest, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var published = await db.DatasetPublications.AsNoTracking().Select(p => (Guid?)p.RunId).SingleOrDefaultAsync(ct);
        if (published is null)
        {
            return null;
        }

        var limits = options.Value.Publication.MaxShrink;
        var atlas = await db.AtlasStops.LongCountAsync(ct);
        var osm = await db.OsmNodes.LongCountAsync(ct);
        var matches = await db.StopsMatched.LongCountAsync(s => s.StopType == StopTypes.Matched, ct);
        return new RunHold(published.Value,
        [
            new(AtlasPlatforms, "ATLAS platforms", atlas, Rows(manifest, ResultBundleFormat.SourceStops), limits.AtlasPlatformsPercent),
            new(OsmElements, "OSM elements", osm, Rows(manifest, ResultBundleFormat.OsmNodes), limits.OsmElementsPercent),
            new(Matches, "matches", matches, Rows(manifest, ResultBundleFormat.Matches), limits.MatchesPercent),
        ]);
    }

    // The held marker makes the watchdog keep the bundle and import mode pass it over by default. Null: publish.
    public async Task<RunHold?> HoldIfShrunkAsync(Guid runId, string directory, BundleManifest manifest, CancellationToken ct)
    {
        if (await CompareAsync(manifest, ct) is not { IsHeld: true } hold)
        {
            return null;
        }

        ResultBundleStore.MarkHeld(directory, runId, hold, clock.GetUtcNow());
        logger.LogWarning("Run {RunId} held: {Reason}; its bundle {Directory} waits for an administrator", runId, hold.Reason, directory);
        return hold;
    }

    // After "publish anyway": returns the held run's id, or null when the bundle was not a held one.
    public async Task<Guid?> ReleaseAsync(string directory, Guid publishingRunId, CancellationToken ct)
    {
        if (bundles.ReadHeld(directory) is not { } marker)
        {
            return null;
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var message = $"Held, then published anyway by run {publishingRunId:D} at {clock.GetUtcNow():yyyy-MM-dd HH:mm} UTC";
        await db.PipelineRuns.Where(r => r.Id == marker.HeldRunId && r.Status == PipelineRunStatus.Held)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, PipelineRunStatus.Published).SetProperty(r => r.Message, message), ct);
        ResultBundleStore.ClearHeld(directory);
        logger.LogInformation("Held run {HeldRunId} was published by run {RunId}", marker.HeldRunId, publishingRunId);
        return marker.HeldRunId;
    }

    private static long Rows(BundleManifest manifest, string section) =>
        manifest.Files.TryGetValue(section, out var file) ? file.Rows : 0;
}

public sealed class RunHeldException(RunHold hold) : Exception(
    $"Held, not published: {hold.Reason}. The previous dataset stays live until an administrator publishes this result anyway or discards it.")
{
    public RunHold Hold { get; } = hold;
}
