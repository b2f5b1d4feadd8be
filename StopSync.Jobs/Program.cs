using System.CommandLine;
using StopSync.Jobs.Hosting;

var root = new RootCommand("StopSync jobs: with no command, runs the Hangfire server with the recurring pipeline job.");
root.SetAction((_, ct) => JobsCommands.RunServerAsync(args, ct));
root.Subcommands.Add(JobsCommands.RunPipeline());
root.Subcommands.Add(JobsCommands.GenerateDemo());
return await root.Parse(args).InvokeAsync();
