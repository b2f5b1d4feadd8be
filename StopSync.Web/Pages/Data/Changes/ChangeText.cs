using System.Globalization;
using System.Text;
using System.Text.Json;
using StopSync.Data.History;
using StopSync.Web.Pages.Map.StopCard;

namespace StopSync.Web.Pages.Data.Changes;

/// <summary>Words for the changes of a publication: labels of types and sides, the differing fields, one line per change.</summary>
public static class ChangeText
{
    /// <summary>A value longer than this is cut in one-line descriptions (an OSM tag can hold a whole paragraph).</summary>
    public const int MaxValueLength = 120;

    public static string TypeLabel(string type) => type switch
    {
        ChangeTypes.MatchGained => "Match gained",
        ChangeTypes.MatchLost => "Match lost",
        ChangeTypes.MatchChanged => "Match changed",
        ChangeTypes.ProblemOpened => "Problem opened",
        ChangeTypes.ProblemClosed => "Problem closed",
        ChangeTypes.ProblemChanged => "Problem changed",
        ChangeTypes.AtlasAdded => "ATLAS platform added",
        ChangeTypes.AtlasRemoved => "ATLAS platform removed",
        ChangeTypes.AtlasEdited => "ATLAS edited",
        ChangeTypes.OsmAdded => "OSM element added",
        ChangeTypes.OsmRemoved => "OSM element removed",
        ChangeTypes.OsmEdited => "OSM edited",
        _ => type,
    };

    /// <summary>The side that caused a change, as the badge shows it.</summary>
    public static string SideLabel(string cause) => cause switch
    {
        ChangeCauses.Atlas => "ATLAS",
        ChangeCauses.Osm => "OSM",
        ChangeCauses.Both => "both",
        ChangeCauses.Matching => "matching",
        _ => cause,
    };

    public static string SideTitle(string cause) => cause switch
    {
        ChangeCauses.Atlas => "The ATLAS row changed",
        ChangeCauses.Osm => "The OSM element changed",
        ChangeCauses.Both => "Both the ATLAS row and the OSM element changed",
        ChangeCauses.Matching => "Neither input changed: the matching engine or its settings did",
        _ => cause,
    };

    /// <summary>The map with the stop's card open: <c>?stop=</c> takes a SLOID, <c>node/123</c> or <c>way/45</c> (docs/08-site.md).</summary>
    public static string? MapUrl(string? sloid, string? osmNodeId)
    {
        if (!string.IsNullOrEmpty(sloid))
        {
            return "/?stop=" + Uri.EscapeDataString(sloid);
        }

        return OsmElementId.TryParse(osmNodeId, out var id)
            ? "/?stop=" + Uri.EscapeDataString($"{id.ElementType}/{id.Id.ToString(CultureInfo.InvariantCulture)}")
            : null;
    }

    /// <summary>
    /// The fields of the before and after objects whose values differ, nested objects flattened with dots
    /// (<c>tags.name</c>), in the order they first appear.
    /// </summary>
    public static IReadOnlyList<ChangeField> Fields(JsonElement? before, JsonElement? after)
    {
        var b = Flatten(before);
        var a = Flatten(after);
        var keys = b.Keys.Concat(a.Keys).Distinct(StringComparer.Ordinal);
        var fields = new List<ChangeField>();
        foreach (var key in keys)
        {
            var old = b.GetValueOrDefault(key);
            var now = a.GetValueOrDefault(key);
            if (!string.Equals(old, now, StringComparison.Ordinal))
            {
                fields.Add(new ChangeField(key, old, now));
            }
        }

        return fields;
    }

    /// <summary>One line: "OSM edited by anna (v12): name 'A' → 'B'", "Match gained (cause: ATLAS)".</summary>
    public static string Describe(ChangeRow change)
    {
        var text = new StringBuilder(TypeLabel(change.ChangeType));
        switch (change.ChangeType)
        {
            case ChangeTypes.OsmAdded or ChangeTypes.OsmEdited or ChangeTypes.OsmRemoved:
                if (change.OsmUser is { Length: > 0 } user)
                {
                    text.Append(" by ").Append(user);
                }

                if (change.OsmVersion is { } version)
                {
                    text.Append(" (v").Append(version.ToString(CultureInfo.InvariantCulture)).Append(')');
                }

                break;
            case ChangeTypes.AtlasAdded or ChangeTypes.AtlasEdited or ChangeTypes.AtlasRemoved:
                if (change.AtlasEditionDate is { } edition)
                {
                    text.Append(" (edition ").Append(EditionDate(edition)).Append(')');
                }

                break;
            default:
                if (change.ProblemType is { Length: > 0 } problem)
                {
                    text.Append(": ").Append(problem);
                }

                // Only here is the cause news: an edit of one side is caused by that side.
                text.Append(" (cause: ").Append(SideLabel(change.Cause)).Append(')');
                break;
        }

        var fields = change.Fields;
        if (fields.Count > 0)
        {
            text.Append(": ").AppendJoin("; ", fields.Select(f => $"{f.Field} {Quote(f.Before)} → {Quote(f.After)}"));
        }

        return text.ToString();
    }

    /// <summary>ATLAS's edit date as a Swiss calendar date (stored as a UTC instant, or as local time when unspecified).</summary>
    public static string EditionDate(DateTime edition) =>
        edition.Kind == DateTimeKind.Utc
            ? Infrastructure.SwissTime.Format(new DateTimeOffset(edition))[..10]
            : edition.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Quote(string? value) => value is null
        ? "(none)"
        : "'" + (value.Length <= MaxValueLength ? value : value[..MaxValueLength] + "…") + "'";

    private static Dictionary<string, string?> Flatten(JsonElement? element)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (element is { ValueKind: JsonValueKind.Object } root)
        {
            Add(values, "", root);
        }

        return values;
    }

    private static void Add(Dictionary<string, string?> values, string prefix, JsonElement element)
    {
        foreach (var property in element.EnumerateObject())
        {
            var key = prefix + property.Name;
            var value = property.Value;
            if (value.ValueKind == JsonValueKind.Object && prefix.Length == 0)
            {
                Add(values, key + ".", value);
            }
            else
            {
                values[key] = value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString(),
                    JsonValueKind.Null or JsonValueKind.Undefined => null,
                    _ => value.GetRawText(),
                };
            }
        }
    }
}
