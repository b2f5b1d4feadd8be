using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace StopSync.Web.Infrastructure;

/// <summary>The parameter rules every paged list page shares (<c>/routes</c>, <c>/operators</c>, <c>/data/changes</c>).</summary>
public static class PageQueryValues
{
    /// <summary>The value of a parameter given once; null when it is absent or repeated.</summary>
    public static string? OneValue(StringValues values) => values.Count == 1 ? values[0] : null;

    // Echoed values are cut short: the message names the mistake, not an arbitrary amount of input.
    public static string Shorten(StringValues values)
    {
        var text = values.ToString();
        return text.Length <= 60 ? text : text[..60] + "…";
    }

    /// <summary><c>page</c>: 1 when absent; digits beyond int's range are a page past the end like any other.</summary>
    public static bool TryReadPage(IQueryCollection query, out int page, out (string Parameter, string Message) error)
    {
        ArgumentNullException.ThrowIfNull(query);
        page = 1;
        error = default;
        if (!query.TryGetValue("page", out var p))
        {
            return true;
        }

        if (OneValue(p)?.Trim() is not { Length: > 0 } digits || !digits.All(char.IsAsciiDigit) || digits.All(c => c == '0'))
        {
            error = ("page", $"page must be a whole number of 1 or more; got '{Shorten(p)}'.");
            return false;
        }

        page = int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue;
        return true;
    }
}
