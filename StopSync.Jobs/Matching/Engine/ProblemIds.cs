using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace StopSync.Jobs.Matching.Engine;

/// <summary>Ids as upstream computes them (docs/07-matching.md#problems), so a problem keeps its id from run to run.</summary>
internal static class ProblemIds
{
    public static string Compute(string type, string? atlasKey, string? osmId) =>
        Compute(type, atlasKey is null ? [] : [atlasKey], osmId is null ? [] : [osmId]);

    public static string Compute(string type, IReadOnlyList<string> atlasKeys, IReadOnlyList<string> osmIds)
    {
        var json = new StringBuilder(96).Append('[');
        AppendString(json, type);
        json.Append(',');
        AppendArray(json, atlasKeys);
        json.Append(',');
        AppendArray(json, osmIds);
        json.Append(']');
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(json.ToString()));
        return Convert.ToHexStringLower(hash)[..24];
    }

    private static void AppendArray(StringBuilder json, IReadOnlyList<string> values)
    {
        json.Append('[');
        var first = true;
        foreach (var value in values.Count < 2 ? values : [.. values.Order(StringComparer.Ordinal)])
        {
            if (!first)
            {
                json.Append(',');
            }

            AppendString(json, value);
            first = false;
        }

        json.Append(']');
    }

    /// <summary>A JSON string literal as an ASCII-only encoder writes it.</summary>
    private static void AppendString(StringBuilder json, string value)
    {
        json.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    json.Append("\\\"");
                    break;
                case '\\':
                    json.Append("\\\\");
                    break;
                case '\n':
                    json.Append("\\n");
                    break;
                case '\r':
                    json.Append("\\r");
                    break;
                case '\t':
                    json.Append("\\t");
                    break;
                case '\b':
                    json.Append("\\b");
                    break;
                case '\f':
                    json.Append("\\f");
                    break;
                case < ' ' or > '~':
                    json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    json.Append(c);
                    break;
            }
        }

        json.Append('"');
    }
}
