using System.Diagnostics;

namespace StopSync.Tests.Infrastructure;

/// <summary>Runs the jobs executable from its own build output, as an operator would run it.</summary>
internal static class JobsExecutable
{
    /// <summary>
    /// Not the copy in the test output: that folder holds StopSync.Jobs.dll but not all the Microsoft.Extensions
    /// assemblies its dependency manifest names (the test project takes them from the ASP.NET Core shared framework).
    /// </summary>
    public static Task<(int ExitCode, string Output)> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        RunWithInputAsync(environment, null, args);

    /// <summary>As <see cref="RunAsync"/>, with the text written to standard input (which is then closed).</summary>
    public static async Task<(int ExitCode, string Output)> RunWithInputAsync(
        IReadOnlyDictionary<string, string>? environment, string? input, params string[] args)
    {
        using var process = Start(environment, input is not null, args);
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Starts the executable with its output redirected (read it, or it may block), for a test that stops it itself.</summary>
    public static Process Start(IReadOnlyDictionary<string, string>? environment, params string[] args) => Start(environment, false, args);

    private static Process Start(IReadOnlyDictionary<string, string>? environment, bool redirectInput, string[] args)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var dll = Path.Combine(TestEnvironment.RepositoryRoot, "StopSync.Jobs", "bin", configuration, "net10.0", "StopSync.Jobs.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build the solution first.");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = redirectInput, UseShellExecute = false,
        };
        foreach (var arg in new[] { dll }.Concat(args))
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return Process.Start(info)!;
    }
}
