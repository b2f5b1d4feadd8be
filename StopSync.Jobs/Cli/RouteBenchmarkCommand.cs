using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using StopSync.Jobs.Matching;
using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Matching.Routes;
using StopSync.Jobs.Sources;

namespace StopSync.Jobs.Cli;

/// <summary>
/// Line matching's cost on a generated dataset (docs/02-running.md): the stop matching it needs first, then the route
/// products and the matcher, each with its time and memory, so the route part can be judged apart from the rest.
/// </summary>
internal static class RouteBenchmarkCommand
{
    public static Command BenchRoutes()
    {
        var dir = new Option<DirectoryInfo>("--dir")
        {
            Description = $"A dataset written by 'generate' ({SourceFileNames.Atlas}, {SourceFileNames.Osm}, {SourceFileNames.Gtfs})", Required = true,
        };
        var command = new Command("bench-routes",
            "Time and measure stop matching, then line families, itineraries and their matching, on a generated dataset.") { dir };
        command.SetAction((parse, ct) =>
        {
            var directory = parse.GetValue(dir)!.FullName;
            var missing = new[] { SourceFileNames.Atlas, SourceFileNames.Osm, SourceFileNames.Gtfs }
                .Select(f => Path.Combine(directory, f)).FirstOrDefault(f => !File.Exists(f));
            if (missing is not null)
            {
                Console.Error.WriteLine($"error: '{missing}' does not exist.");
                return Task.FromResult(2);
            }

            try
            {
                Run(directory, Console.Out, ct);
                return Task.FromResult(0);
            }
            catch (SourceFormatException ex)
            {
                Console.Error.WriteLine($"error: {ex.Message}");
                return Task.FromResult(2);
            }
        });
        return command;
    }

    private static void Run(string directory, TextWriter output, CancellationToken ct)
    {
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
        var loader = new MatchingInputLoader(loggers, TimeProvider.System);
        var report = new BenchmarkReport(output);
        output.WriteLine(Invariant($"bench-routes on {directory} ({Environment.ProcessorCount} cores, server GC {System.Runtime.GCSettings.IsServerGC})"));
        var atlas = report.Measure("read ATLAS", () => loader.ReadAtlas(Path.Combine(directory, SourceFileNames.Atlas)));
        var osm = report.Measure("read OSM", () => loader.ReadOsm(Path.Combine(directory, SourceFileNames.Osm)));
        var gtfs = report.Measure("read GTFS", () => loader.ReadGtfs(Path.Combine(directory, SourceFileNames.Gtfs), atlas.Platforms, ct));
        output.WriteLine(Invariant($"input: {atlas.Platforms.Count:N0} ATLAS platforms, {osm.Elements.Count:N0} OSM elements, ") +
            Invariant($"{osm.Relations.Count:N0} route relations, {gtfs.Stops.Count:N0} Swiss GTFS stops, {gtfs.Routes.Count:N0} GTFS routes"));
        output.WriteLine();

        var stopMeter = MemoryMeter.Start();
        var stops = MatchingEngine.Run(MatchingInputLoader.Create(atlas, osm, gtfs));
        var stopFigures = stopMeter.Stop();
        Print(output, "stop matching", stopFigures);

        // The route part: measured from a collected heap, so its figures are its own and not the stop matching's garbage.
        var routeMeter = MemoryMeter.Start();
        var atlasFamilies = Step(output, "ATLAS line families", () => RouteMatching.WithOperatorAliases(AtlasRouteProducts.Build(gtfs), stops));
        var osmFamilies = Step(output, "OSM line families", () => OsmRouteProducts.Build(osm, stops));
        var routes = Step(output, "route matcher", () => RouteMatcher.Match(atlasFamilies, osmFamilies));
        var routeFigures = routeMeter.Stop();
        Print(output, "route part (all three)", routeFigures);
        output.WriteLine(Invariant($"  retained by the route result: {Mb(routeFigures.ManagedAfter - routeFigures.ManagedBefore)} MB ") +
            Invariant($"(managed heap {Mb(routeFigures.ManagedBefore)} MB before, {Mb(routeFigures.ManagedAfter)} MB after, both collected)"));
        output.WriteLine();

        var s = routes.Summary;
        output.WriteLine(Invariant($"families: {s.AtlasFamilies:N0} ATLAS, {s.OsmFamilies:N0} OSM ({s.NonGtfsFamilies:N0} without timetable); ") +
            Invariant($"itineraries: {s.AtlasItineraries:N0} ATLAS, {s.OsmItineraries:N0} OSM; {s.StopCalls:N0} stop calls"));
        output.WriteLine(Invariant($"matched: {s.MatchedFamilies:N0} families, {s.MatchedItineraries:N0} itineraries; {routes.Problems.Count:N0} route problems"));
        foreach (var (method, count) in s.FamiliesByMethod)
        {
            output.WriteLine(Invariant($"  {method,-28} {count,7:N0}"));
        }

        foreach (var (type, count) in s.ProblemsByType)
        {
            output.WriteLine(Invariant($"  {type,-28} {count,7:N0}"));
        }

        output.WriteLine(Invariant($"route part {routeFigures.Seconds:F2} s against {stopFigures.Seconds:F2} s of stop matching; ") +
            Invariant($"working set peak {Mb(Math.Max(stopFigures.WorkingSetPeak, routeFigures.WorkingSetPeak))} MB"));
        GC.KeepAlive(routes);
    }

    private static T Step<T>(TextWriter output, string name, Func<T> step)
    {
        var meter = MemoryMeter.Start(collect: false);
        var value = step();
        var figures = meter.Stop(collect: false);
        output.WriteLine(Invariant($"  {name,-24} {figures.Seconds,8:F2} s   allocated {Mb(figures.Allocated),7} MB   managed peak {Mb(figures.ManagedPeak),7} MB"));
        return value;
    }

    private static void Print(TextWriter output, string name, MemoryFigures f) =>
        output.WriteLine(Invariant($"{name,-26} {f.Seconds,8:F2} s   allocated {Mb(f.Allocated),7} MB   ") +
            Invariant($"managed peak +{Mb(f.ManagedPeak - f.ManagedBefore)} MB over {Mb(f.ManagedBefore)} MB   ") +
            Invariant($"working set +{Mb(f.WorkingSetPeak - f.WorkingSetBefore)} MB over {Mb(f.WorkingSetBefore)} MB"));

    private static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("F0", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <param name="ManagedPeak">The largest managed heap seen (GC.GetTotalMemory, garbage included) while the step ran.</param>
/// <param name="Allocated">Bytes allocated by the process while the step ran.</param>
internal sealed record MemoryFigures(
    double Seconds, long ManagedBefore, long ManagedPeak, long ManagedAfter, long Allocated, long WorkingSetBefore, long WorkingSetPeak);

/// <summary>
/// Samples the managed heap and the working set every 5 ms on a thread of its own: .NET keeps no peak of either for a
/// stretch of a run, and the process's peak working set only ever grows.
/// </summary>
internal sealed class MemoryMeter
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly long _managedBefore;
    private readonly long _allocatedBefore;
    private readonly long _workingSetBefore;
    private readonly Thread _sampler;
    private volatile bool _stopping;
    private long _managedPeak;
    private long _workingSetPeak;

    private MemoryMeter(long managedBefore)
    {
        _managedBefore = _managedPeak = managedBefore;
        _allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        _workingSetBefore = _workingSetPeak = Environment.WorkingSet;
        _sampler = new Thread(Sample) { IsBackground = true, Name = "memory-meter" };
        _sampler.Start();
        _clock.Restart();
    }

    /// <param name="collect">Collect first, so the figures start from live data only.</param>
    public static MemoryMeter Start(bool collect = true) => new(GC.GetTotalMemory(forceFullCollection: collect));

    public MemoryFigures Stop(bool collect = true)
    {
        var seconds = _clock.Elapsed.TotalSeconds;
        _stopping = true;
        _sampler.Join();
        Observe();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - _allocatedBefore;
        return new MemoryFigures(seconds, _managedBefore, _managedPeak, GC.GetTotalMemory(forceFullCollection: collect), allocated,
            _workingSetBefore, _workingSetPeak);
    }

    private void Sample()
    {
        while (!_stopping)
        {
            Observe();
            Thread.Sleep(5);
        }
    }

    private void Observe()
    {
        _managedPeak = Math.Max(_managedPeak, GC.GetTotalMemory(forceFullCollection: false));
        _workingSetPeak = Math.Max(_workingSetPeak, Environment.WorkingSet);
    }
}
