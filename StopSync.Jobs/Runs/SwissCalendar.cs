namespace StopSync.Jobs.Runs;

public static class SwissCalendar
{
    private static readonly TimeZoneInfo Zurich = TimeZoneInfo.FindSystemTimeZoneById("Europe/Zurich");

    /// <summary>Today in Switzerland: ATLAS validity dates are Swiss calendar days, whatever the server's zone.</summary>
    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Zurich).DateTime);
}
