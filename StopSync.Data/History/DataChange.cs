namespace StopSync.Data.History;

/// <summary>
/// One difference between a publication and the one before it, found by stable keys in the two result bundles,
/// with the side that caused it (docs/10-history.md, "What changed").
/// </summary>
public sealed class DataChange
{
    public long Id { get; set; }

    /// <summary>The publication the change arrived with.</summary>
    public Guid RunId { get; set; }

    /// <summary><see cref="ChangeTypes"/>.</summary>
    public required string ChangeType { get; set; }

    /// <summary><see cref="ChangeCauses"/>.</summary>
    public required string Cause { get; set; }

    public string? Sloid { get; set; }

    /// <summary>The site's OSM id: <c>123</c> for a node, <c>way_123</c> for a way.</summary>
    public string? OsmNodeId { get; set; }

    public string? ProblemType { get; set; }
    public string? ProblemKey { get; set; }

    public string? AtlasOperator { get; set; }

    /// <summary>Canton code of the point shown (ATLAS if there is one, else OSM).</summary>
    public string? Canton { get; set; }

    public double? Lat { get; set; }
    public double? Lon { get; set; }

    /// <summary>A label for lists: the ATLAS designation, else the OSM name.</summary>
    public string? Name { get; set; }

    /// <summary>JSON object of the values before and after (only the fields that differ for edits); null when none.</summary>
    public string? Before { get; set; }
    public string? After { get; set; }

    /// <summary>The OSM element's new meta where the input had it.</summary>
    public int? OsmVersion { get; set; }
    public DateTimeOffset? OsmTimestamp { get; set; }
    public string? OsmUser { get; set; }

    /// <summary>ATLAS's edit date of the new row, as published (Swiss local time).</summary>
    public DateTime? AtlasEditionDate { get; set; }
}

public static class ChangeTypes
{
    public const string MatchGained = "match_gained";
    public const string MatchLost = "match_lost";
    public const string MatchChanged = "match_changed";
    public const string ProblemOpened = "problem_opened";
    public const string ProblemClosed = "problem_closed";
    public const string ProblemChanged = "problem_changed";
    public const string AtlasAdded = "atlas_added";
    public const string AtlasRemoved = "atlas_removed";
    public const string AtlasEdited = "atlas_edited";
    public const string OsmAdded = "osm_added";
    public const string OsmRemoved = "osm_removed";
    public const string OsmEdited = "osm_edited";

    public static readonly IReadOnlyList<string> All =
    [
        MatchGained, MatchLost, MatchChanged, ProblemOpened, ProblemClosed, ProblemChanged,
        AtlasAdded, AtlasRemoved, AtlasEdited, OsmAdded, OsmRemoved, OsmEdited,
    ];
}

public static class ChangeCauses
{
    public const string Atlas = "atlas";
    public const string Osm = "osm";
    public const string Both = "both";

    /// <summary>Neither input row changed: the engine or its settings did.</summary>
    public const string Matching = "matching";

    public static readonly IReadOnlyList<string> All = [Atlas, Osm, Both, Matching];
}
