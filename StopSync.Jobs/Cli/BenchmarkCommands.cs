using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging;
using StopSync.Jobs.Demo;
using StopSync.Jobs.Runs;
using StopSync.Jobs.Sources;
using StopSync.Jobs.Sources.Atlas;
using StopSync.Jobs.Sources.Geography;
using StopSync.Jobs.Sources.Gtfs;
using StopSync.Jobs.Sources.Osm;

namespace StopSync.Jobs.Cli;

/// <summary>Benchmarks run on a generated dataset (<c>generate --size swiss</c>); figures go to standard output.</summary>
internal static class BenchmarkCommands
{
    public static Command BenchRead()
    {
        var dir = new Option<DirectoryInfo>("--dir") { Description = "A dataset written by 'generate'", Required = true };
        var command = new Command("bench-read", "Time the ATLAS, OSM and GTFS readers on a generated dataset, with peak memory.") { dir };
        command.SetAction((parse, ct) =>
        {
            var directory = parse.GetValue(dir)!.FullName;
            using var logging = LoggerFactory.Create(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
            try
            {
                Run(directory, logging, Console.Out, ct);
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

    private static void Run(string directory, ILoggerFactory logging, TextWriter output, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var report = new BenchmarkReport(output);
        output.WriteLine($"bench-read on {directory} ({Environment.ProcessorCount} cores)");
        var border = report.Measure("border polygon", () => new SwissBorder());
        var atlas = report.Measure("ATLAS read + filters", () =>
            new AtlasCsvReader(border, logging.CreateLogger<AtlasCsvReader>()).Read(Path.Combine(directory, SourceFileNames.Atlas), today));
        var osm = report.Measure("OSM read", () =>
            new OverpassXmlReader(new OperatorNormalizer(), logging.CreateLogger<OverpassXmlReader>()).Read(Path.Combine(directory, SourceFileNames.Osm)));
        var routes = report.Measure("OSM route index", () => new OsmRouteIndex(osm.Elements, osm.Relations));
        var cantons = report.Measure("canton polygons", () => new SwissCantons());
        var located = report.Measure("cantons of ATLAS + OSM points", () =>
            atlas.Platforms.Count(p => cantons.CantonOf(p.Lat, p.Lon) is not null) + osm.Elements.Count(e => cantons.CantonOf(e.Lat, e.Lon) is not null));
        var gtfs = report.Measure("GTFS route evidence", () =>
            new GtfsReader(logging.CreateLogger<GtfsReader>()).Read(Path.Combine(directory, SourceFileNames.Gtfs), atlas.Platforms, border.Contains, ct));

        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ATLAS: {atlas.Counts.RawTotal:N0} rows, {atlas.Platforms.Count:N0} platforms, {atlas.DuplicateGroups.Count:N0} duplicate groups"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"OSM: {osm.Elements.Count:N0} elements, {osm.Relations.Count:N0} route relations, {routes.ElementsWithRoutes:N0} elements on routes"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"GTFS: {gtfs.Counts.StopTimesFile.Rows:N0} stop_times, {gtfs.Stops.Count:N0} Swiss stops, {gtfs.RouteEvidenceBySloid.Count:N0} SLOIDs with route evidence"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Cantons: {located:N0} of {atlas.Platforms.Count + osm.Elements.Count:N0} points in or within 2 km of a canton, " +
            $"{report.Seconds("cantons of ATLAS + OSM points"):F2} s on one core (target < 1 s)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ATLAS + OSM: {report.Seconds("ATLAS read + filters", "OSM read", "OSM route index"):F2} s (target < 3 s); " +
            $"GTFS: {report.Seconds("GTFS route evidence"):F2} s (target < 20 s); peak RSS {report.PeakBytes / 1024.0 / 1024.0:F0} MB (target < 1536 MB)"));
    }
}
