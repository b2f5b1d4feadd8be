using System.Globalization;

namespace StopSync.Web.Infrastructure;

/// <summary>Every time the site shows is Swiss local time, in one format.</summary>
public static class SwissTime
{
    private static readonly TimeZoneInfo Zurich = TimeZoneInfo.FindSystemTimeZoneById("Europe/Zurich");

    /// <summary><c>2026-11-29 06:20</c> (Europe/Zurich; the pages say so where they show times).</summary>
    public static string Format(DateTimeOffset time) =>
        TimeZoneInfo.ConvertTime(time, Zurich).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
