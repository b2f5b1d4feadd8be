using System.Globalization;

namespace StopSync.Web.Infrastructure;

/// <summary>
/// The one way the site writes a duration; wwwroot/js/duration.js writes the same for the live values. Under a minute
/// with tenths (sub-stages often take less than a second), then minutes and seconds, then hours and minutes.
/// </summary>
public static class DurationFormat
{
    public static string Format(double? seconds)
    {
        if (seconds is not { } value || !double.IsFinite(value))
        {
            return "--";
        }

        var s = Math.Max(0, value);
        return s switch
        {
            >= 3600 => $"{(int)(s / 3600)}h {(int)(s % 3600 / 60)}m",
            >= 60 => $"{(int)(s / 60)}m {(int)(s % 60)}s",
            _ => s.ToString("0.0", CultureInfo.InvariantCulture) + " s",
        };
    }

    public static string Format(TimeSpan duration) => Format(duration.TotalSeconds);
}
