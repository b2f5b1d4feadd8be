using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StopSync.Data.Entities;
using StopSync.Jobs.Bundles;
using StopSync.Jobs.Hosting;
using StopSync.Jobs.Runs;
using StopSync.Jobs.Sources;

namespace StopSync.Jobs.Cli;

/// <summary>
/// The administrator's answer to a held run (docs/04-pipeline.md, "Held runs"): <c>publish --run ID</c> and
/// <c>discard --run ID</c>. Exit codes: 0 done, 1 the publication failed, 2 an unknown or not-held run, or another run
/// is active.
/// </summary>
internal static class HeldRunCommands
{
    /// <summary><c>run-pipeline</c>'s exit code for a run that ended held: not a failure, not a publication either.</summary>
    public const int HeldExitCode = 3;

    public static Command Publish()
    {
        var run = RunOption();
        var command = new Command("publish", "Publish the result bundle of a held run anyway (import mode, run lock respected).") { run };
        command.SetAction(async (parse, ct) =>
        {
            using var host = BuildHost();
            await using var scope = host.Services.CreateAsyncScope();
            var id = parse.GetValue(run);
            try
            {
                var publication = await scope.ServiceProvider.GetRequiredService<HeldRuns>().PublishAsync(id, PipelineTrigger.Manual, ct);
                await Console.Out.WriteLineAsync($"Run {publication.Id} {publication.Status}: {publication.Message}");
                return publication.Status == PipelineRunStatus.Skipped ? 2 : 0;
            }
            catch (HeldRunException ex)
            {
                await Console.Error.WriteLineAsync($"error: {ex.Message}");
                return 2;
            }
            catch (Exception ex) when (ex is SourceFormatException or ResultBundleException)
            {
                await Console.Error.WriteLineAsync($"error: {ex.Message}");
                return 1;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                await Console.Error.WriteLineAsync($"error: publishing held run {id:D} failed: {ex.Message}");
                return 1;
            }
        });
        return command;
    }

    public static Command Discard()
    {
        var run = RunOption();
        var command = new Command("discard", "Delete the result bundle of a held run and mark the run discarded.") { run };
        command.SetAction(async (parse, ct) =>
        {
            using var host = BuildHost();
            await using var scope = host.Services.CreateAsyncScope();
            var id = parse.GetValue(run);
            try
            {
                if (await scope.ServiceProvider.GetRequiredService<HeldRuns>().DiscardAsync(id, ct) == DiscardOutcome.Busy)
                {
                    await Console.Error.WriteLineAsync($"error: another pipeline run is active; run {id:D} stays held, try again when it has finished.");
                    return 2;
                }

                await Console.Out.WriteLineAsync($"Run {id:D} discarded; its result bundle is deleted.");
                return 0;
            }
            catch (HeldRunException ex)
            {
                await Console.Error.WriteLineAsync($"error: {ex.Message}");
                return 2;
            }
        });
        return command;
    }

    private static Option<Guid> RunOption() => new("--run") { Description = "Id of the held run (Data page, pipeline_runs.id)", Required = true };

    private static IHost BuildHost()
    {
        var builder = JobsCommands.CreateBuilder([]);
        builder.Services.AddStopSyncPipeline();
        return builder.Build();
    }
}
