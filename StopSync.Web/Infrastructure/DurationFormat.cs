using System.Globalization;

namespace StopSync.Web.Infrastructure;

// wwwroot/js/duration.js formats the live values the same way; tenths under a minute, as sub-stages often take less.
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
