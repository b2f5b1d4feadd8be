using System.Globalization;

namespace StopSync.Web.Infrastructure;

// Every time the site shows: Swiss local time as 2026-11-29 06:20 (the pages say so where they show times).
public static class SwissTime
{
    private static readonly TimeZoneInfo Zurich = TimeZoneInfo.FindSystemTimeZoneById("Europe/Zurich");

    public static string Format(DateTimeOffset time) =>
        TimeZoneInfo.ConvertTime(time, Zurich).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
