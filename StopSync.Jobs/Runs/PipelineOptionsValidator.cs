using System.Globalization;
using Microsoft.Extensions.Options;

namespace StopSync.Jobs.Runs;

// Checked at start-up (ValidateOnStart), each failure naming its setting: a zero interval would stop the jobs host at
// its first housekeeping tick, a sub-second lease would let a live run lose its lock, a shrink limit outside 0–100
// would hold every run or none, and a history retention under one day would delete each publication's history at the
// next swap (docs/10-history.md).
internal sealed class PipelineOptionsValidator : IValidateOptions<PipelineOptions>
{
    public ValidateOptionsResult Validate(string? name, PipelineOptions options)
    {
        var failures = new List<string>();
        AtLeastOneSecond("Pipeline:Lock:LeaseSeconds", options.Lock.LeaseSeconds, failures);
        AtLeastOneSecond("Pipeline:Watchdog:IntervalSeconds", options.Watchdog.IntervalSeconds, failures);
        var limits = options.Publication.MaxShrink;
        foreach (var (key, value) in (IEnumerable<(string, double)>)[
            (nameof(limits.AtlasPlatformsPercent), limits.AtlasPlatformsPercent),
            (nameof(limits.OsmElementsPercent), limits.OsmElementsPercent),
            (nameof(limits.MatchesPercent), limits.MatchesPercent)])
        {
            if (!double.IsFinite(value) || value is < 0 or > 100)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture,
                    $"Pipeline:Publication:MaxShrink:{key} is {value}: it must be a percentage from 0 to 100 (100 switches this check off)."));
            }
        }

        if (options.History.RetentionDays < 1)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"Pipeline:History:RetentionDays is {options.History.RetentionDays}: it must be at least 1 day."));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void AtLeastOneSecond(string key, double seconds, List<string> failures)
    {
        if (!double.IsFinite(seconds) || seconds < 1)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{key} is {seconds}: it must be at least 1 second."));
        }
    }
}
