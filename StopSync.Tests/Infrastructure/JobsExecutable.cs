using System.Diagnostics;

namespace StopSync.Tests.Infrastructure;

/// <summary>Runs the jobs executable from the test output, as an operator would run it.</summary>
internal static class JobsExecutable
{
    /// <summary>
    /// The test output holds StopSync.Jobs.dll, but not the Microsoft.Extensions assemblies it needs: the test project
    /// takes them from the ASP.NET Core shared framework. So the executable runs with the test project's runtime
    /// configuration and dependency list, which name that framework.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var bin = AppContext.BaseDirectory;
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[]
        {
            "exec", "--runtimeconfig", Path.Combine(bin, "StopSync.Tests.runtimeconfig.json"),
            "--depsfile", Path.Combine(bin, "StopSync.Tests.deps.json"), Path.Combine(bin, "StopSync.Jobs.dll"),
        }.Concat(args))
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
