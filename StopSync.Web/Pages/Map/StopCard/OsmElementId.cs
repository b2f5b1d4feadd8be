using System.Globalization;
using System.Text.RegularExpressions;

namespace StopSync.Web.Pages.Map.StopCard;

/// <summary>An OSM node or way as the published tables key it: <c>123</c> for node 123, <c>way_45</c> for way 45.</summary>
public sealed partial record OsmElementId(string ElementType, long Id)
{
    public const string Node = "node";
    public const string Way = "way";

    public string Key => ElementType == Way ? $"way_{Id.ToString(CultureInfo.InvariantCulture)}" : Id.ToString(CultureInfo.InvariantCulture);

    public string Url => $"https://www.openstreetmap.org/{ElementType}/{Id.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Accepts the spellings reviewers paste: <c>123</c>, <c>node/123</c>, <c>node_123</c>, <c>n123</c>, <c>way/45</c>,
    /// <c>way_45</c>, <c>w45</c> (case-insensitive, surrounding spaces ignored).
    /// </summary>
    public static bool TryParse(string? text, out OsmElementId id)
    {
        id = new OsmElementId(Node, 0);
        var match = Pattern().Match(text?.Trim() ?? "");
        if (!match.Success || !long.TryParse(match.Groups["id"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
        {
            return false;
        }

        var prefix = match.Groups["type"].Value.ToLowerInvariant();
        id = new OsmElementId(prefix is "way" or "w" ? Way : Node, number);
        return true;
    }

    [GeneratedRegex(@"^(?:(?<type>node|way)[/_]|(?<type>n|w))?(?<id>[0-9]{1,19})$", RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();
}
