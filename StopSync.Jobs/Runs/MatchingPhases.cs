using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using StopSync.Data;
using StopSync.Data.Status;
using StopSync.Jobs.Bundles;
using StopSync.Jobs.Matching;
using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Matching.Routes;
using StopSync.Jobs.Publication;
using StopSync.Jobs.Sources.Acquisition;
using StopSync.Jobs.Sources.Atlas;
using StopSync.Jobs.Sources.Geography;
using StopSync.Jobs.Sources.Gtfs;
using StopSync.Jobs.Sources.Osm;

namespace StopSync.Jobs.Runs;

public sealed class MatchingPhases(
    SourceAcquisition acquisition,
    AtlasCsvReader atlasReader,
    OverpassXmlReader osmReader,
    GtfsReader gtfsReader,
    SwissBorder border,
    ResultBundleStore bundles,
    IDbContextFactory<StopSyncDbContext> contexts,
    TimeProvider clock,
    ILogger<MatchingPhases> logger,
    RouteMatchingStep? routeMatching = null)
{
    private readonly RouteMatchingStep _routeMatching = routeMatching ?? RouteMatching.Run;

    internal async Task<(string Bundle, RunStats Stats)> RunAsync(Guid runId, PipelineMode mode, RunProgress progress, CancellationToken ct)
    {
        var timings = new Dictionary<string, double>();
        AcquiredSources sources;
        if (mode == PipelineMode.MatchImport)
        {
            await progress.OutcomeAsync(PipelinePhases.SourceCheck, PhaseStatus.Skipped, "match-import: sources are not probed");
            await progress.StartAsync(PipelinePhases.SourceFiles, "Using the cached source files");
            sources = acquisition.UseCached();
            await progress.CompleteAsync(PipelinePhases.SourceFiles, SourceCounts(sources), PhaseStatus.Reused, "Cached source files reused");
        }
        else
        {
            await progress.StartAsync(PipelinePhases.SourceCheck, "Checking source freshness");
            var log = new SourceProgressLog(logger);
            var plan = await acquisition.CheckAsync(log, ct);
            var downloads = plan.Count(SourceAction.Download);
            await progress.CompleteAsync(PipelinePhases.SourceCheck, new Dictionary<string, long>
            {
                ["to_download"] = downloads,
                ["to_reuse"] = plan.Count(SourceAction.Reuse),
                ["local_files"] = plan.Count(SourceAction.Local),
            });
            await progress.StartAsync(PipelinePhases.SourceFiles,
                downloads == 0 ? "Using the cached source files" : $"Downloading the source files ({downloads} to download)");
            sources = await acquisition.FetchAsync(plan, new SourceProgressLog(logger, progress), ct);
            var allReused = new[] { sources.Atlas, sources.Gtfs, sources.Osm }.All(s => s.Outcome != AcquisitionOutcome.Downloaded);
            await progress.CompleteAsync(PipelinePhases.SourceFiles, SourceCounts(sources),
                allReused ? PhaseStatus.Reused : PhaseStatus.Complete,
                string.Join(", ", new[] { sources.Atlas, sources.Gtfs, sources.Osm }.Select(s => $"{s.Source}: {s.Outcome}".ToLowerInvariant())));
        }

        timings["sources"] = progress.Durations.Values.Sum();
        var today = SwissCalendar.Today(clock);
        await progress.StartAsync(PipelinePhases.MatchingInputs, "Reading ATLAS, OSM and GTFS");
        var atlas = await progress.StageAsync(PipelinePhases.MatchingInputs, "atlas", "Reading the ATLAS traffic points",
            () => Timed(timings, "atlas_read", () => atlasReader.Read(sources.Atlas.FilePath, today)),
            a => new Dictionary<string, long> { ["platforms"] = a.Platforms.Count });
        var osm = await progress.StageAsync(PipelinePhases.MatchingInputs, "osm", "Reading the OSM stops and routes",
            () => Timed(timings, "osm_read", () => osmReader.Read(sources.Osm.FilePath)),
            o => new Dictionary<string, long> { ["elements"] = o.Elements.Count, ["route_relations"] = o.Relations.Count });
        var gtfs = await progress.StageAsync(PipelinePhases.MatchingInputs, "gtfs", "Reading the GTFS timetable",
            () => Timed(timings, "gtfs_read", () => gtfsReader.Read(sources.Gtfs.FilePath, atlas.Platforms, border.Contains, ct)),
            g => new Dictionary<string, long> { ["sloids_with_routes"] = g.RouteEvidenceBySloid.Count });
        // Reviewers' same_stop / not_same_stop decisions (docs/07-matching.md#reviewer-rulings), read as the run starts
        // matching: a decision taken during the run counts from the next one.
        await progress.StartStageAsync(PipelinePhases.MatchingInputs, "rulings", "Reading the reviewers' manual matches and forbidden pairs");
        var rulingsStarted = Stopwatch.StartNew();
        ReviewerRulings rulings;
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            rulings = await ReviewerRulingsReader.ReadAsync(db, ct);
        }

        timings["rulings_read"] = rulingsStarted.Elapsed.TotalSeconds;
        await progress.CompleteStageAsync(PipelinePhases.MatchingInputs, "rulings", RulingCounts(rulings));
        await progress.CompleteAsync(PipelinePhases.MatchingInputs, new Dictionary<string, long>
        {
            ["atlas_platforms"] = atlas.Platforms.Count,
            ["osm_elements"] = osm.Elements.Count,
            ["sloids_with_routes"] = gtfs.RouteEvidenceBySloid.Count,
            ["manual_matches"] = rulings.ManualMatches.Count,
            ["forbidden_pairs"] = rulings.ForbiddenPairs.Count,
        });
        // Only files the readers accepted are vouched for in sources.json; a new file that failed is downloaded again.
        await acquisition.CommitAsync(sources, ct);

        await progress.StartAsync(PipelinePhases.StopMatching, "Matching ATLAS platforms with OSM elements");
        var result = Timed(timings, "matching", () => MatchingEngine.Run(MatchingInputLoader.Create(atlas, osm, gtfs, rulings: rulings)));
        await progress.CompleteAsync(PipelinePhases.StopMatching, new Dictionary<string, long>
        {
            ["matches"] = result.Matches.Count,
            ["unmatched_atlas"] = result.UnmatchedAtlas.Count,
            ["unmatched_osm"] = result.UnmatchedOsm.Count,
            ["problems"] = result.Problems.Count,
        });
        // Lines and itineraries after the stops: the OSM side's stop calls take their identities from the stop matches.
        await progress.StartAsync(PipelinePhases.RouteMatching, "Matching lines and itineraries");
        var routes = Timed(timings, "route_matching", () => _routeMatching(gtfs, osm, result));
        var problems = RouteResults.MergeProblems(result.Problems, routes.Problems);
        await progress.CompleteAsync(PipelinePhases.RouteMatching, RouteResults.Counts(routes));

        var inputs = new[] { sources.Atlas, sources.Gtfs, sources.Osm }.Select(s => new SourceInputStats(
            s.Source.ToString().ToLowerInvariant(), s.Outcome.ToString().ToLowerInvariant(), s.Bytes, s.Snapshot?.ETag, s.Snapshot?.LastModified)).ToList();
        var stats = RunStats.Empty(runId, mode.Name()) with
        {
            Sources = inputs,
            AtlasFiltering = atlas.Counts,
            AtlasPlatforms = atlas.Platforms.Count,
            AtlasDuplicateGroups = atlas.DuplicateGroups.Count,
            Osm = osm.Counts,
            OsmElements = osm.Elements.Count,
            Gtfs = gtfs.Counts,
            SloidsWithRoutes = gtfs.RouteEvidenceBySloid.Count,
            Matching = result.Summary,
            Routes = routes.Summary,
            TimingsSeconds = timings,
        };

        await progress.StartAsync(PipelinePhases.Bundle, "Writing the result bundle");
        var path = bundles.PathFor(runId);
        var manifest = Timed(timings, "bundle", () => ResultBundleWriter.Write(path, new BundleContent(
            runId, clock.GetUtcNow(), RouteResults.Publication(result, problems, routes, RouteResults.GtfsIdentity(gtfs)), result.Diagnostics, inputs, stats,
            [new("atlas_filtering", atlas.Counts), new("gtfs_source", gtfs.Counts), new("quality_metrics", result.Summary)])));
        await progress.CompleteAsync(PipelinePhases.Bundle, manifest.Files.ToDictionary(f => f.Key, f => f.Value.Rows), detail: Path.GetFileName(path));
        return (path, stats);
    }

    private static Dictionary<string, long> RulingCounts(ReviewerRulings rulings) => new()
    {
        ["manual_matches"] = rulings.ManualMatches.Count,
        ["forbidden_pairs"] = rulings.ForbiddenPairs.Count,
    };

    private static Dictionary<string, long> SourceCounts(AcquiredSources sources) => new()
    {
        ["atlas_bytes"] = sources.Atlas.Bytes,
        ["gtfs_bytes"] = sources.Gtfs.Bytes,
        ["osm_bytes"] = sources.Osm.Bytes,
    };

    private static T Timed<T>(Dictionary<string, double> timings, string name, Func<T> step)
    {
        var sw = Stopwatch.StartNew();
        var value = step();
        timings[name] = sw.Elapsed.TotalSeconds;
        return value;
    }

    // Logs a download at most every tenth of its size; given the run's progress, also shows it live under source_files.
    private sealed class SourceProgressLog(ILogger logger, RunProgress? live = null) : IProgress<AcquisitionProgress>
    {
        private readonly Dictionary<SourceKind, int> _lastDecile = [];

        public void Report(AcquisitionProgress value)
        {
            if (live is not null && value.Phase != AcquisitionPhase.Probing)
            {
                var finished = value.Phase != AcquisitionPhase.Finished ? null
                    : value.Outcome == AcquisitionOutcome.Reused ? PhaseStatus.Reused
                    : PhaseStatus.Complete;
                try
                {
                    live.ReportParallelStage(PipelinePhases.SourceFiles, value.Source.ToString().ToLowerInvariant(),
                        $"{value.Source.ToString().ToUpperInvariant()}: {StageVerb(value.Outcome)}", value.BytesDone, value.TotalBytes, finished);
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    // Live progress is a courtesy: a Redis hiccup must not fail the download it describes.
                    logger.LogWarning("Source {Source}: progress not written to the status ({Error})", value.Source, ex.Message);
                }
            }

            lock (_lastDecile)
            {
                if (value.Phase == AcquisitionPhase.Finished)
                {
                    logger.LogInformation("Source {Source}: {Outcome} ({Bytes} bytes)", value.Source, value.Outcome, value.BytesDone);
                    return;
                }

                if (value.Phase != AcquisitionPhase.Downloading || value.TotalBytes is not > 0)
                {
                    return;
                }

                var decile = (int)(value.BytesDone * 10 / value.TotalBytes.Value);
                if (_lastDecile.GetValueOrDefault(value.Source, -1) < decile)
                {
                    _lastDecile[value.Source] = decile;
                    logger.LogInformation("Source {Source}: {Done} of {Total} bytes", value.Source, value.BytesDone, value.TotalBytes);
                }
            }
        }

        private static string StageVerb(AcquisitionOutcome? outcome) => outcome switch
        {
            AcquisitionOutcome.Reused => "cached copy",
            AcquisitionOutcome.Local => "local file",
            _ => "download",
        };
    }
}
