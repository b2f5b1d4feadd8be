using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StopSync.Data;
using StopSync.Data.Entities;
using StopSync.Jobs.Bundles;
using StopSync.Jobs.Runs;

namespace StopSync.Jobs.Publication;

/// <summary>
/// <c>Pipeline:Publication:MaxShrink</c>: the largest shrink, in percent of the published figure, a new result may show
/// and still be published automatically. Overpass answers a query that hit its time or memory limit with a well-formed
/// but partial document, and a truncated download can still be a readable file, so a result with far fewer platforms,
/// elements or matches than the live dataset is far more likely a broken source than a changed country. Matches get a
/// wider margin: they follow both inputs and move more between honest runs. 100 switches a figure's check off.
/// </summary>
public sealed class MaxShrinkOptions
{
    public double AtlasPlatformsPercent { get; set; } = 10;

    public double OsmElementsPercent { get; set; } = 10;

    public double MatchesPercent { get; set; } = 15;
}

/// <summary>Refuses shrink limits that are not percentages, before the jobs host or a command runs anything.</summary>
internal sealed class MaxShrinkOptionsValidator : IValidateOptions<PipelineOptions>
{
    public ValidateOptionsResult Validate(string? name, PipelineOptions options)
    {
        var limits = options.Publication.MaxShrink;
        var failures = new List<string>();
        foreach (var (key, value) in (IEnumerable<(string, double)>)[
            (nameof(limits.AtlasPlatformsPercent), limits.AtlasPlatformsPercent),
            (nameof(limits.OsmElementsPercent), limits.OsmElementsPercent),
            (nameof(limits.MatchesPercent), limits.MatchesPercent)])
        {
            if (!double.IsFinite(value) || value is < 0 or > 100)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture,
                    $"Pipeline:Publication:MaxShrink:{key} is {value}: it must be a percentage from 0 to 100 (100 switches this check off)."));
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>
/// The check between a validated bundle and its staging: ATLAS platforms, OSM elements and matches of the new result
/// against the live dataset. A run whose figures shrink past <see cref="MaxShrinkOptions"/> is held: nothing is staged,
/// its bundle is kept with a <c>held.json</c> marker, and an administrator publishes it anyway or discards it
/// (docs/04-pipeline.md, "Held runs"). With nothing published yet there is nothing to compare with, so a first run is
/// never held.
/// </summary>
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

    /// <summary>
    /// The new result's figures against the live dataset's; null when nothing is published. The live figures are counted
    /// in the published tables (they are what readers see, whatever wrote them); the new ones are the bundle's
    /// validated row counts: <c>source_stops</c>, <c>osm_nodes</c>, <c>matches</c>.
    /// </summary>
    public async Task<RunHold?> CompareAsync(BundleManifest manifest, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var published = await db.DatasetPublications.AsNoTracking().Select(p => (Guid?)p.RunId).FirstOrDefaultAsync(ct);
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

    /// <summary>
    /// Compares the new result with the live dataset; when a figure shrank past its limit, marks the bundle held (the
    /// watchdog keeps it, import mode does not take it by default) and returns the figures. Null: publish.
    /// </summary>
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

    /// <summary>
    /// After a held bundle went live (import mode, "publish anyway"): the held run becomes <c>published</c>, with the run
    /// that published it in its message, and the marker goes. Returns the held run's id, or null for any other bundle.
    /// </summary>
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

/// <summary>Ends a run held: thrown between validation and staging, so nothing is staged and the bundle stays.</summary>
public sealed class RunHeldException(RunHold hold) : Exception(
    $"Held, not published: {hold.Reason}. The previous dataset stays live until an administrator publishes this result anyway or discards it.")
{
    public RunHold Hold { get; } = hold;
}
