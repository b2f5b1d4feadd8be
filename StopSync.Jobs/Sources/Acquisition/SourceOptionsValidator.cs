using Microsoft.Extensions.Options;

namespace StopSync.Jobs.Sources.Acquisition;

internal sealed class SourceOptionsValidator : IValidateOptions<SourceOptions>
{
    // Polly refuses attempt timeouts outside these bounds; failing here names the configuration key instead.
    private static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(1);

    public ValidateOptionsResult Validate(string? name, SourceOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.CacheDirectory))
        {
            failures.Add($"{SourceOptions.SectionName}:CacheDirectory is empty.");
        }

        if (string.IsNullOrWhiteSpace(options.UserAgent))
        {
            failures.Add($"{SourceOptions.SectionName}:UserAgent is empty.");
        }

        CheckFileSource("Atlas", options.Atlas, failures);
        CheckFileSource("Gtfs", options.Gtfs, failures);
        if (string.IsNullOrWhiteSpace(options.Osm.Path))
        {
            CheckUrl("Osm:OverpassUrl", options.Osm.OverpassUrl, failures);
        }

        CheckTimeout("ConnectTimeout", options.ConnectTimeout, failures);
        CheckTimeout("RequestTimeout", options.RequestTimeout, failures);
        CheckTimeout("ProbeTimeout", options.ProbeTimeout, failures);
        CheckTimeout("RetryDelay", options.RetryDelay, failures);
        CheckTimeout("Osm:RetryDelay", options.Osm.RetryDelay, failures);
        CheckRetries("MaxRetries", options.MaxRetries, failures);
        CheckRetries("Osm:MaxRetries", options.Osm.MaxRetries, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>https only, except plain http to a loopback host so tests can serve files without certificates.</summary>
    internal static bool TryParseSourceUrl(string? text, out Uri url)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out var parsed)
            && (parsed.Scheme == Uri.UriSchemeHttps || (parsed.Scheme == Uri.UriSchemeHttp && parsed.IsLoopback)))
        {
            url = parsed;
            return true;
        }

        url = null!;
        return false;
    }

    private static void CheckFileSource(string key, FileSourceOptions source, List<string> failures)
    {
        if (!string.IsNullOrWhiteSpace(source.Path))
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(source.Url))
        {
            failures.Add($"{SourceOptions.SectionName}:{key} needs a Url or a Path.");
            return;
        }

        CheckUrl($"{key}:Url", source.Url.Replace(SourceOptions.YearPlaceholder, "2000", StringComparison.Ordinal), failures);
    }

    private static void CheckUrl(string key, string? value, List<string> failures)
    {
        if (!TryParseSourceUrl(value, out _))
        {
            failures.Add($"{SourceOptions.SectionName}:{key} '{value}' is not an absolute https URL.");
        }
    }

    private static void CheckTimeout(string key, TimeSpan value, List<string> failures)
    {
        if (value < MinTimeout || value > MaxTimeout)
        {
            failures.Add($"{SourceOptions.SectionName}:{key} {value} is outside {MinTimeout} .. {MaxTimeout}.");
        }
    }

    private static void CheckRetries(string key, int value, List<string> failures)
    {
        if (value is < 0 or > 10)
        {
            failures.Add($"{SourceOptions.SectionName}:{key} {value} is outside 0 .. 10.");
        }
    }
}
