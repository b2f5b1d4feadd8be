using System.CommandLine;
using System.Globalization;
using StopSync.Data.History;
using StopSync.Jobs.Bundles;
using StopSync.Jobs.History;
using StopSync.Jobs.History.Changes;
using StopSync.Jobs.Sources.Geography;

namespace StopSync.Jobs.Cli;

/// <summary>
/// The run-to-run comparison's cost on two result bundles (docs/10-history.md, "What changed"): what the pipeline does
/// between validating a new bundle and staging it — reading the live bundle's comparison sections and comparing — with
/// its time, memory and the changes it finds.
/// </summary>
internal static class ChangeBenchmarkCommand
{
    public static Command BenchChanges()
    {
        var previous = new Option<DirectoryInfo>("--previous") { Description = "The result bundle of the live publication", Required = true };
        var current = new Option<DirectoryInfo>("--current") { Description = "The new result bundle", Required = true };
        var dump = new Option<FileInfo>("--out") { Description = "Also write the changes as JSON lines to this file (optional)" };
        var command = new Command("bench-changes",
            "Time and measure the run-to-run comparison of two result bundles and count the changes per type and cause.") { previous, current, dump };
        command.SetAction((parse, _) =>
        {
            try
            {
                Run(parse.GetValue(previous)!.FullName, parse.GetValue(current)!.FullName, parse.GetValue(dump)?.FullName, Console.Out);
                return Task.FromResult(0);
            }
            catch (ResultBundleException ex)
            {
                Console.Error.WriteLine($"error: {ex.Message}");
                return Task.FromResult(2);
            }
        });
        return command;
    }

    private static void Run(string previousDirectory, string currentDirectory, string? dumpPath, TextWriter output)
    {
        output.WriteLine(Invariant($"bench-changes {previousDirectory} → {currentDirectory} ({Environment.ProcessorCount} cores, server GC {System.Runtime.GCSettings.IsServerGC})"));
        var cantons = new SwissCantons();
        // The pipeline holds the new bundle in memory already (it validated it): read here, outside the measured part.
        var currentMeter = MemoryMeter.Start();
        var cpuStart = CpuSeconds();
        var current = ResultBundleReader.Read(currentDirectory);
        Print(output, "read new bundle (whole)", currentMeter.Stop(collect: false), CpuSeconds() - cpuStart);

        var meter = MemoryMeter.Start();
        var cpu0 = CpuSeconds();
        var readMeter = MemoryMeter.Start(collect: false);
        var live = ResultBundleReader.ReadForComparison(previousDirectory);
        var read = readMeter.Stop(collect: false);
        var cpu1 = CpuSeconds();
        Print(output, "read live bundle (sections)", read, cpu1 - cpu0);
        var compareMeter = MemoryMeter.Start(collect: false);
        var changes = ChangeDetector.Detect(live.Result, current.Result, cantons.CantonOf, RunComparer.Differences(live.Manifest, current.Manifest));
        var compare = compareMeter.Stop(collect: false);
        var cpu2 = CpuSeconds();
        Print(output, "compare", compare, cpu2 - cpu1);
        var total = meter.Stop();
        // CPU time as well as wall time: on a shared machine the wall time says as much about the neighbours as about this.
        output.WriteLine(Invariant($"read + compare {read.Seconds + compare.Seconds:F2} s wall, {cpu2 - cpu0:F2} s CPU; ") +
            Invariant($"managed peak +{Mb(total.ManagedPeak - total.ManagedBefore)} MB over {Mb(total.ManagedBefore)} MB; working set peak {Mb(total.WorkingSetPeak)} MB"));
        output.WriteLine(Invariant($"load average {LoadAverage()}"));
        output.WriteLine();

        output.WriteLine(Invariant($"live: {Entities(live)}"));
        output.WriteLine(Invariant($"new:  {Entities(current)}"));
        output.WriteLine(Invariant($"{changes.Count:N0} changes"));
        var counts = ChangeDetector.Count(changes);
        output.WriteLine(Invariant($"  {"type",-16}") + string.Concat(ChangeCauses.All.Select(c => Invariant($"{c,10}"))));
        foreach (var type in ChangeTypes.All)
        {
            var byCause = counts.GetValueOrDefault(type);
            output.WriteLine(Invariant($"  {type,-16}") + string.Concat(ChangeCauses.All.Select(c => Invariant($"{byCause?.GetValueOrDefault(c) ?? 0,10:N0}"))));
        }

        if (dumpPath is not null)
        {
            using var file = new StreamWriter(dumpPath);
            foreach (var change in changes)
            {
                file.WriteLine(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string?>
                {
                    ["change_type"] = change.ChangeType, ["cause"] = change.Cause, ["sloid"] = change.Sloid, ["osm_node_id"] = change.OsmNodeId,
                    ["problem_type"] = change.ProblemType, ["problem_key"] = change.ProblemKey, ["canton"] = change.Canton, ["name"] = change.Name,
                    ["before"] = change.Before, ["after"] = change.After,
                }));
            }

            output.WriteLine($"wrote {changes.Count:N0} changes to {dumpPath}");
        }

        GC.KeepAlive(current);
    }

    private static string Entities(ResultBundle bundle) =>
        Invariant($"{bundle.Result.AtlasPlatforms().Count():N0} ATLAS platforms, {bundle.Result.OsmElements().Count():N0} OSM elements, ") +
        Invariant($"{bundle.Result.Matches.Count:N0} matches, {bundle.Result.Problems.Count:N0} problems");

    private static void Print(TextWriter output, string name, MemoryFigures f, double? cpu = null) =>
        output.WriteLine(Invariant($"{name,-30} {f.Seconds,6:F2} s") + (cpu is { } c ? Invariant($" ({c:F2} s CPU)") : "") +
            Invariant($"   allocated {Mb(f.Allocated),6} MB   managed peak {Mb(f.ManagedPeak),6} MB"));

    private static double CpuSeconds()
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return process.TotalProcessorTime.TotalSeconds;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("F0", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
