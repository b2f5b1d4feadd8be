using System.CommandLine;
using StopSync.Jobs.Cli;
using StopSync.Jobs.Exports;
using StopSync.Jobs.Hosting;

namespace StopSync.Jobs;

// A named class rather than top-level statements: the test project references both executables, and the web app
// already owns the global Program type that WebApplicationFactory needs.
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("StopSync jobs: with no command, runs the Hangfire server with the recurring pipeline job.");
        root.SetAction((_, ct) => JobsCommands.RunServerAsync(args, ct));
        root.Subcommands.Add(JobsCommands.RunPipeline());
        root.Subcommands.Add(HeldRunCommands.Publish());
        root.Subcommands.Add(HeldRunCommands.Discard());
        root.Subcommands.Add(JobsCommands.Generate());
        root.Subcommands.Add(JobsCommands.GenerateDemo());
        root.Subcommands.Add(BenchmarkCommands.BenchRead());
        root.Subcommands.Add(ApiBenchmarkCommand.BenchApi());
        root.Subcommands.Add(MatchCommands.Match());
        root.Subcommands.Add(MatchCommands.BenchMatch());
        root.Subcommands.Add(RouteBenchmarkCommand.BenchRoutes());
        root.Subcommands.Add(ChangeBenchmarkCommand.BenchChanges());
        root.Subcommands.Add(AccountCommands.Accounts());
        root.Subcommands.Add(ReapplyBenchmarkCommand.BenchReapply());
        root.Subcommands.Add(ExportBenchmarkCommand.BenchExport());
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // Bad arguments are exit code 2, like unusable input files (1 is kept for runs that failed).
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync($"error: {error.Message}");
            }

            await Console.Error.WriteLineAsync("Run with --help for the commands and their options.");
            return 2;
        }

        return await parse.InvokeAsync();
    }
}
