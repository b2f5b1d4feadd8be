using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StopSync.Jobs.Demo;
using StopSync.Jobs.Pipeline;

namespace StopSync.Jobs.Hosting;

/// <summary>The command line of the jobs executable. Exit codes: 0 success, 1 run failed, 2 bad arguments or input.</summary>
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
        var trigger = new Option<string>("--trigger") { Description = "Recorded trigger of the run", DefaultValueFactory = _ => "manual" };
        var command = new Command("run-pipeline", "Run the pipeline once now, without Hangfire.") { trigger };
        command.SetAction(async (parse, ct) =>
        {
            var builder = CreateBuilder([]);
        builder.Services.AddStopSyncPipeline();
        using var host = builder.Build();
            await using var scope = host.Services.CreateAsyncScope();
            try
            {
                var run = await scope.ServiceProvider.GetRequiredService<PipelineRunner>().RunAsync(parse.GetValue(trigger)!, ct);
                await Console.Out.WriteLineAsync($"Run {run.Id} {run.Status}: {run.Message}");
                return 0;
            }
            catch (SourceFormatException ex)
            {
                await Console.Error.WriteLineAsync($"error: {ex.Message}");
                return 2;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                await Console.Error.WriteLineAsync($"error: pipeline run failed: {ex.Message}");
                return 1;
            }
        });
        return command;
    }

    public static Command GenerateDemo()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Directory to write the demo dataset into", Required = true };
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed gives the same bytes", DefaultValueFactory = _ => 20261129 };
        var command = new Command("generate-demo", "Write the embedded demo dataset (ATLAS CSV, Overpass XML, ground truth).") { output, seed };
        command.SetAction(parse =>
        {
            var summary = DemoDatasetGenerator.Generate(parse.GetValue(output)!.FullName, parse.GetValue(seed));
            Console.WriteLine($"Wrote {summary.AtlasRows} ATLAS rows ({summary.AtlasPlatforms} current Swiss platforms), " +
                $"{summary.OsmElements} OSM elements and {summary.TruthPairs} truth pairs to {summary.Directory}");
            return 0;
        });
        return command;
    }

    /// <summary>Settings come from appsettings.json beside the executable, then the environment (prefix-free).</summary>
    private static HostApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        return builder;
    }
}
