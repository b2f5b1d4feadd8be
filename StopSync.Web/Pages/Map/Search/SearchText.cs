using System.Text;
using System.Text.RegularExpressions;

namespace StopSync.Web.Pages.Map.Search;

/// <summary>The search term's guardrails of docs/05-api.md, "GET /api/search".</summary>
public static partial class SearchText
{
    /// <summary>Shorter terms match too much of the country to be useful, and cannot use the trigram indexes.</summary>
    public const int MinLength = 3;

    public const int MaxLength = 50;

    /// <summary>Runs of whitespace become one space, the ends are trimmed, letters lower-cased.</summary>
    public static string Normalize(string? query) =>
        query is null ? "" : Whitespace().Replace(query, " ").Trim().ToLowerInvariant();

    /// <summary>Makes every character literal in a LIKE pattern whose escape character is the backslash.</summary>
    public static string EscapeLike(string text)
    {
        var escaped = new StringBuilder(text.Length + 4);
        foreach (var c in text)
        {
            if (c is '\\' or '%' or '_')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
