using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using StopSync.Jobs.Demo;
using StopSync.Jobs.Matching;
using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Matching.Routes;
using StopSync.Jobs.Runs;
using StopSync.Jobs.Sources;
using StopSync.Jobs.Sources.Gtfs;

namespace StopSync.Jobs.Cli;

/// <summary>Exit codes: 0 success, 1 unexpected failure, 2 bad arguments or an unusable file (one message).</summary>
internal static class MatchCommands
{

    public static Command Match()
    {
        var atlas = PathOption("--atlas", "ATLAS traffic-point CSV (or the ZIP holding it)");
        var osm = PathOption("--osm", "Overpass XML with the OSM stop elements and route relations");
        var gtfs = PathOption("--gtfs", "GTFS zip for the route evidence and the line matching (optional)");
        var truth = PathOption("--truth", "Ground truth sloid,osm_id,case; prints precision and recall (optional)");
        var rulings = PathOption("--rulings", $"Reviewer rulings CSV ({ReviewerRulingsReader.CsvHeader}; kind same_stop or not_same_stop) (optional)");
        var output = PathOption("--out", "Directory for matches.csv, unmatched.csv, problems.csv, stop_units.csv, summary.json (and routes.csv, route_problems.csv with --gtfs)");
        var (multiplicity, postpass) = EngineOptions();
        var command = new Command("match", "Match ATLAS platforms with OSM stops and detect problems; write the results as CSV and JSON.")
        {
            atlas, osm, gtfs, truth, rulings, output, multiplicity, postpass,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, ct) => GuardedAsync(parse, async () =>
        {
            var atlasPath = Require(parse, atlas, mustExist: true);
            var osmPath = Require(parse, osm, mustExist: true);
            var gtfsPath = Optional(parse, gtfs);
            var truthPath = Optional(parse, truth);
            var rulingsPath = Optional(parse, rulings);
            var outDir = Require(parse, output, mustExist: false);
            var options = new MatchingOptions { NameAliasMultiplicity = parse.GetValue(multiplicity), ExactPostpass = parse.GetValue(postpass) };
            var groundTruth = truthPath is null ? null : GroundTruth.Read(truthPath);
            var reviewerRulings = rulingsPath is null ? null : ReviewerRulingsReader.ReadCsv(rulingsPath);

            using var loggers = CreateLoggers();
            var loader = new MatchingInputLoader(loggers, TimeProvider.System);
            var clock = Stopwatch.StartNew();
            // The sources are independent, except that GTFS resolves its stops against the ATLAS platforms.
            var atlasTask = Task.Run(() => loader.ReadAtlas(atlasPath), ct);
            var osmTask = Task.Run(() => loader.ReadOsm(osmPath), ct);
            var gtfsTask = gtfsPath is null
                ? Task.FromResult<GtfsReadResult?>(null)
                : Task.Run(async () => (GtfsReadResult?)loader.ReadGtfs(gtfsPath, (await atlasTask).Platforms, ct), ct);
            var (atlasRead, osmRead, gtfsRead) = (await atlasTask, await osmTask, await gtfsTask);
            var result = MatchingEngine.Run(MatchingInputLoader.Create(atlasRead, osmRead, gtfsRead, rulings: reviewerRulings), options);
            // Lines need the timetable's trips: without --gtfs there is no ATLAS side to match.
            var routes = gtfsRead is null ? null : RouteMatching.Run(gtfsRead, osmRead, result);
            MatchOutputWriter.Write(outDir, result, options, routes);

            var s = result.Summary;
            Console.WriteLine(Invariant($"Matched {s.MatchedAtlas} of {s.AtlasPlatforms} ATLAS platforms ({s.MatchRate:P1}) with {s.MatchedPairs} pairs; ") +
                Invariant($"{s.UnmatchedAtlas} ATLAS and {s.UnmatchedOsm} OSM unmatched; {result.Problems.Count} problems; {clock.Elapsed.TotalSeconds:F1} s"));
            if (routes is not null)
            {
                var r = routes.Summary;
                Console.WriteLine(Invariant($"Routes: {r.MatchedFamilies} of {r.AtlasFamilies} timetable lines matched with {r.OsmFamilies} OSM line families ") +
                    Invariant($"({r.NonGtfsFamilies} without timetable), {r.MatchedItineraries} itineraries matched; {routes.Problems.Count} route problems"));
            }

            Console.WriteLine($"Wrote {MatchOutputWriter.MatchesFile}, {MatchOutputWriter.UnmatchedFile}, {MatchOutputWriter.ProblemsFile}, " +
                $"{MatchOutputWriter.StopUnitsFile}{(routes is null ? "" : ", " + MatchOutputWriter.RoutesFile + ", " + MatchOutputWriter.RouteProblemsFile)} and {MatchOutputWriter.SummaryFile} " +
                $"to {Path.GetFullPath(outDir)}");
            if (reviewerRulings is not null)
            {
                var manual = result.Matches.Count(m => m.MatchType == MatchTypeLabels.Manual);
                Console.WriteLine(Invariant($"Rulings: {reviewerRulings.ManualMatches.Count} manual matches ({manual} committed), ") +
                    Invariant($"{reviewerRulings.ForbiddenPairs.Count} forbidden pairs"));
                foreach (var line in result.Diagnostics.Where(d => d.StartsWith("ruling_", StringComparison.Ordinal) || d.StartsWith("manual_match_", StringComparison.Ordinal)))
                {
                    Console.Error.WriteLine($"warning: {line}");
                }
            }

            if (groundTruth is not null)
            {
                PrintScore(groundTruth.Score(result.Matches));
            }

            return 0;
        }));
        return command;
    }

    public static Command BenchMatch()
    {
        var dir = PathOption("--dir", $"Dataset directory with {SourceFileNames.Atlas}, {SourceFileNames.Osm}, optionally {SourceFileNames.Gtfs} and {DatasetGenerator.TruthFileName}");
        var noGtfs = new Option<bool>("--no-gtfs") { Description = "Ignore gtfs.zip even if present" };
        var rulings = PathOption("--rulings", $"Reviewer rulings CSV ({ReviewerRulingsReader.CsvHeader}) (optional)");
        var (multiplicity, postpass) = EngineOptions();
        var command = new Command("bench-match", "Time readers, grouping, each matching stage and problem detection on a dataset.")
        {
            dir, noGtfs, rulings, multiplicity, postpass,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, ct) => Task.FromResult(Guarded(parse, () =>
        {
            var directory = Require(parse, dir, mustExist: true);
            var atlasPath = ExistingFile(Path.Combine(directory, SourceFileNames.Atlas));
            var osmPath = ExistingFile(Path.Combine(directory, SourceFileNames.Osm));
            var gtfsPath = Path.Combine(directory, SourceFileNames.Gtfs);
            var useGtfs = !parse.GetValue(noGtfs) && File.Exists(gtfsPath);
            var truthPath = Path.Combine(directory, DatasetGenerator.TruthFileName);
            var rulingsPath = Optional(parse, rulings);
            var options = new MatchingOptions { NameAliasMultiplicity = parse.GetValue(multiplicity), ExactPostpass = parse.GetValue(postpass) };

            using var loggers = CreateLoggers();
            var loader = new MatchingInputLoader(loggers, TimeProvider.System);
            var report = new BenchmarkReport(Console.Out);
            var total = Stopwatch.StartNew();
            var atlasRead = report.Measure("read ATLAS", () => loader.ReadAtlas(atlasPath));
            var osmRead = report.Measure("read OSM", () => loader.ReadOsm(osmPath));
            var gtfsRead = useGtfs ? report.Measure("read GTFS", () => loader.ReadGtfs(gtfsPath, atlasRead.Platforms, ct)) : null;
            var reviewerRulings = rulingsPath is null ? null : report.Measure("read rulings", () => ReviewerRulingsReader.ReadCsv(rulingsPath));
            Console.WriteLine(Invariant($"input: {atlasRead.Platforms.Count} ATLAS platforms, {osmRead.Elements.Count} OSM elements, ") +
                Invariant($"{osmRead.Relations.Count} route relations, {gtfsRead?.RouteEvidenceBySloid.Count ?? 0} sloids with route evidence"));

            var steps = new List<(string Step, TimeSpan Elapsed)>();
            var input = MatchingInputLoader.Create(atlasRead, osmRead, gtfsRead, (step, elapsed) => steps.Add((step, elapsed)), reviewerRulings);
            var result = report.Measure("engine", () => MatchingEngine.Run(input, options));
            foreach (var (step, elapsed) in steps)
            {
                Console.WriteLine(Invariant($"  {step,-26} {elapsed.TotalSeconds,8:F3} s"));
            }

            var engineCore = steps.Where(s => s.Step is not ("prepare" or "unmatched" or "summary")).Sum(s => s.Elapsed.TotalSeconds);
            var s = result.Summary;
            Console.WriteLine(Invariant($"engine (grouping + stages + problems): {engineCore:F2} s; whole engine call {report.Seconds("engine"):F2} s"));
            Console.WriteLine(Invariant($"end to end: {total.Elapsed.TotalSeconds:F2} s{(useGtfs ? " with GTFS" : " without GTFS")}; ") +
                Invariant($"peak working set {report.PeakBytes / 1024.0 / 1024.0:F0} MB"));
            Console.WriteLine(Invariant($"matched {s.MatchedAtlas} of {s.AtlasPlatforms} ({s.MatchRate:P1}), {s.MatchedPairs} pairs, ") +
                Invariant($"{s.StopUnits} stop units, {result.Problems.Count} problems"));
            foreach (var (type, count) in s.ByMatchType.Where(t => t.Value > 0))
            {
                Console.WriteLine(Invariant($"  {type,-40} {count,7}"));
            }

            if (File.Exists(truthPath))
            {
                PrintScore(GroundTruth.Read(truthPath).Score(result.Matches));
            }

            return 0;
        })));
        return command;
    }

    private static (Option<bool> Multiplicity, Option<bool> Postpass) EngineOptions() =>
    (
        new Option<bool>("--name-alias-multiplicity") { Description = "List an OSM element once per name tag, as upstream's Swiss runner does" },
        new Option<bool>("--exact-postpass") { Description = "Run the legacy exact_postpass stage after the nearest passes" }
    );

    /// <summary>Values are validated by the action itself, so every argument error gets exit code 2 and one message.</summary>
    private static Option<string?> PathOption(string name, string description) =>
        new(name) { Description = description, Arity = ArgumentArity.ZeroOrOne };

    private static void PrintScore(TruthScore score) =>
        Console.WriteLine(Invariant($"precision {score.Precision:F4} ({score.Correct} of {score.Predicted} predicted pairs), ") +
            Invariant($"recall {score.Recall:F4} ({score.Correct} of {score.Expected} truth pairs)"));

    private static int Guarded(ParseResult parse, Func<int> action) =>
        GuardedAsync(parse, () => Task.FromResult(action())).GetAwaiter().GetResult();

    private static async Task<int> GuardedAsync(ParseResult parse, Func<Task<int>> action)
    {
        try
        {
            if (parse.UnmatchedTokens.Count > 0)
            {
                throw new UsageException($"unexpected argument '{parse.UnmatchedTokens[0]}'.");
            }

            return await action();
        }
        catch (Exception ex) when (ex is UsageException or SourceFormatException)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return 2;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException || (ex is IOException and not FileNotFoundException and not FileLoadException))
        {
            // Unreadable inputs or an unwritable --out; a missing assembly (FileNotFound/FileLoad) is a crash, not bad input.
            Console.Error.WriteLine($"error: {ex.Message}");
            return 2;
        }
    }

    private static string Require(ParseResult parse, Option<string?> option, bool mustExist)
    {
        var value = parse.GetValue(option);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new UsageException($"option {option.Name} needs a value.");
        }

        if (mustExist && !File.Exists(value) && !Directory.Exists(value))
        {
            throw new UsageException($"{option.Name}: '{value}' does not exist.");
        }

        return value;
    }

    private static string? Optional(ParseResult parse, Option<string?> option)
    {
        var given = parse.GetResult(option) is { Implicit: false };
        return given ? Require(parse, option, mustExist: true) : null;
    }

    private static string ExistingFile(string path) =>
        File.Exists(path) ? path : throw new UsageException($"'{path}' does not exist.");

    private static ILoggerFactory CreateLoggers() =>
        LoggerFactory.Create(b => b
            .SetMinimumLevel(LogLevel.Warning)
            .AddSimpleConsole(o => o.SingleLine = true)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed class UsageException(string message) : Exception(message);
}
