using System.Diagnostics;
using System.Globalization;

namespace StopSync.Jobs.Cli;

internal sealed class BenchmarkReport(TextWriter output)
{
    private readonly List<(string Step, double Seconds, long PeakBytes)> _steps = [];

    public T Measure<T>(string step, Func<T> action)
    {
        var stopwatch = Stopwatch.StartNew();
        var result = action();
        stopwatch.Stop();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        _steps.Add((step, stopwatch.Elapsed.TotalSeconds, process.PeakWorkingSet64));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{step,-28} {stopwatch.Elapsed.TotalSeconds,8:F2} s   peak RSS {process.PeakWorkingSet64 / 1024.0 / 1024.0,8:F0} MB"));
        return result;
    }

    public double Seconds(params string[] steps) => _steps.Where(s => steps.Contains(s.Step)).Sum(s => s.Seconds);

    public long PeakBytes => _steps.Count == 0 ? 0 : _steps.Max(s => s.PeakBytes);
}
