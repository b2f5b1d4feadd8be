using System.Globalization;
using Microsoft.Extensions.Options;

namespace StopSync.Jobs.Runs;

// Checked at start-up: a zero or negative interval would stop the jobs host at its first housekeeping tick, and a lease
// that short would let a live run lose its lock.
internal sealed class RunTimingOptionsValidator : IValidateOptions<PipelineOptions>
{
    public ValidateOptionsResult Validate(string? name, PipelineOptions options)
    {
        var failures = new List<string>();
        if (!double.IsFinite(options.Lock.LeaseSeconds) || options.Lock.LeaseSeconds < 1)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"Pipeline:Lock:LeaseSeconds is {options.Lock.LeaseSeconds}: it must be at least 1 second."));
        }

        if (!double.IsFinite(options.Watchdog.IntervalSeconds) || options.Watchdog.IntervalSeconds < 1)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"Pipeline:Watchdog:IntervalSeconds is {options.Watchdog.IntervalSeconds}: it must be at least 1 second."));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
