using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StopSync.Data.Entities;
using StopSync.Jobs.Bundles;
using StopSync.Jobs.Demo;
using StopSync.Jobs.Hosting;
using StopSync.Jobs.Runs;
using StopSync.Jobs.Sources;

namespace StopSync.Jobs.Cli;

/// <summary>
/// Exit codes as upstream's runner: 0 success, 1 the run failed, 2 bad arguments or another run is active; and 3 for a
/// run that ended held (docs/04-pipeline.md, "Held runs").
/// </summary>
internal static class JobsCommands
{
    public static async Task<int> RunServerAsync(string[] args, CancellationToken ct)
    {
        var builder = CreateBuilder(args);
        builder.Services.AddStopSyncJobsServer(builder.Configuration);
        // A pipeline run may be mid-way through publication when the host is asked to stop.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        using var host = builder.Build();
        await host.RunAsync(ct);
        return 0;
    }

    public static Command RunPipeline()
    {
        var trigger = new Option<string>("--trigger") { Description = "Recorded trigger of the run", DefaultValueFactory = _ => PipelineTrigger.Manual };
        trigger.AcceptOnlyFromAmong(PipelineTrigger.Manual, PipelineTrigger.Scheduled);
        var mode = new Option<string>("--mode")
        {
            Description = "full: check and download sources, match, publish; match-import: reuse the cached source files; import: publish an existing result bundle",
            DefaultValueFactory = _ => "full",
        };
        mode.AcceptOnlyFromAmong("full", "match-import", "import");
        var bundle = new Option<DirectoryInfo>("--bundle")
        {
            Description = "import mode: the result bundle directory to publish (default: the newest in Pipeline:Bundles:Directory)",
        };
        var command = new Command("run-pipeline", "Run the pipeline once now, without Hangfire (exit 2 when another run is active).") { trigger, mode, bundle };
        command.Validators.Add(result =>
        {
            if (result.GetValue(bundle) is not null && result.GetValue(mode) != "import")
            {
                result.AddError("--bundle is only used with --mode import.");
            }
        });
        command.SetAction(async (parse, ct) =>
        {
            var builder = CreateBuilder([]);
            builder.Services.AddStopSyncPipeline();
            using var host = builder.Build();
            await using var scope = host.Services.CreateAsyncScope();
            try
            {
                var pipelineMode = parse.GetValue(mode) switch
                {
                    "match-import" => PipelineMode.MatchImport,
                    "import" => PipelineMode.Import,
                    _ => PipelineMode.Full,
                };
                var run = await scope.ServiceProvider.GetRequiredService<PipelineRunner>()
                    .RunAsync(parse.GetValue(trigger)!, pipelineMode, parse.GetValue(bundle)?.FullName, ct);
                await Console.Out.WriteLineAsync($"Run {run.Id} {run.Status}: {run.Message}");
                return run.Status switch
                {
                    PipelineRunStatus.Skipped => 2,
                    PipelineRunStatus.Held => HeldRunCommands.HeldExitCode,
                    _ => 0,
                };
            }
            catch (Exception ex) when (ex is SourceFormatException or ResultBundleException)
            {
                await Console.Error.WriteLineAsync($"error: {ex.Message}");
                return 1;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                await Console.Error.WriteLineAsync($"error: pipeline run failed: {ex.Message}");
                return 1;
            }
        });
        return command;
    }

    public static Command Generate()
    {
        var size = new Option<string>("--size") { Description = "Dataset size: demo (a few hundred platforms), small (~5,000) or swiss (~55,000)", DefaultValueFactory = _ => "demo" };
        size.AcceptOnlyFromAmong("demo", "small", "swiss");
        var (output, seed) = OutAndSeed();
        var command = new Command("generate", "Write a generated dataset: ATLAS CSV, Overpass XML, GTFS zip and ground truth.") { size, output, seed };
        command.SetAction(parse => WriteDataset(Enum.Parse<DatasetSize>(parse.GetValue(size)!, ignoreCase: true), parse.GetValue(output)!, parse.GetValue(seed)));
        return command;
    }

    /// <summary>Kept for run.sh, the Dockerfile and older notes: the same as <c>generate --size demo</c>.</summary>
    public static Command GenerateDemo()
    {
        var (output, seed) = OutAndSeed();
        var command = new Command("generate-demo", "Write the demo dataset (same as generate --size demo).") { output, seed };
        command.SetAction(parse => WriteDataset(DatasetSize.Demo, parse.GetValue(output)!, parse.GetValue(seed)));
        return command;
    }

    private static (Option<DirectoryInfo> Output, Option<int> Seed) OutAndSeed() =>
    (
        new Option<DirectoryInfo>("--out") { Description = "Directory to write the dataset into", Required = true },
        new Option<int>("--seed") { Description = "Random seed; the same size and seed give the same bytes", DefaultValueFactory = _ => DatasetGenerator.DefaultSeed }
    );

    private static int WriteDataset(DatasetSize size, DirectoryInfo output, int seed)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var s = DatasetGenerator.Generate(output.FullName, size, seed);
        Console.WriteLine($"Wrote {s.AtlasRows} ATLAS rows ({s.AtlasPlatforms} current Swiss platforms), " +
            $"{s.OsmElements} OSM elements and {s.TruthRows} truth rows to {s.Directory}");
        Console.WriteLine($"  size {size.ToString().ToLowerInvariant()}, seed {seed}, {clock.Elapsed.TotalSeconds:F1} s");
        Console.WriteLine($"  OSM: {s.OsmNodes} nodes, {s.OsmWays} ways, {s.OsmRelations} route relations");
        Console.WriteLine($"  GTFS: {s.Gtfs.Stops} stops, {s.Gtfs.Routes} routes, {s.Gtfs.Trips} trips, {s.Gtfs.StopTimes} stop times");
        Console.WriteLine($"  truth cases: {string.Join(", ", s.TruthCases.Select(c => $"{c.Key} {c.Value}"))}");
        return 0;
    }

    /// <summary>Settings come from appsettings.json beside the executable, then the environment (prefix-free).</summary>
    internal static HostApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        return builder;
    }
}
