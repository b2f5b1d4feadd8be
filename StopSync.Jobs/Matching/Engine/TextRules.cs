namespace StopSync.Jobs.Matching.Engine;

internal static class TextRules
{
    /// <summary>Platform codes (<c>designation</c>, <c>local_ref</c>) compare trimmed and case-insensitively: "1a" is "1A".</summary>
    public static bool SameCode(string a, string b) =>
        string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);

    /// <summary>Both values present and different, compared trimmed and case-insensitively.</summary>
    public static bool DifferIgnoringCase(string? a, string? b)
    {
        var (x, y) = (a?.Trim() ?? "", b?.Trim() ?? "");
        return x.Length > 0 && y.Length > 0 && !string.Equals(x, y, StringComparison.OrdinalIgnoreCase);
    }
}
