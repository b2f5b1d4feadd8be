using System.Text.Json;
using System.Text.Json.Serialization;
using StopSync.Web.Pages.Map.StopCard;

namespace StopSync.Web.Pages.Data.Changes;

/// <summary>A publication as the changes page heads it: when it went live and what it was compared with.</summary>
/// <param name="PreviousPublishedAt">Null when there is no previous run or its history row has passed the retention.</param>
/// <param name="IsLive">The run whose dataset is live now.</param>
public sealed record ChangeRun(
    Guid RunId, DateTimeOffset PublishedAt, Guid? PreviousRunId, DateTimeOffset? PreviousPublishedAt, string? NoComparisonReason, bool IsLive);

/// <summary>A publication of the history, for the run picker.</summary>
public sealed record PublicationOption(Guid RunId, DateTimeOffset PublishedAt, int Changes, string? NoComparisonReason);

/// <summary>How many changes of one type one side caused.</summary>
public sealed record ChangeCount(string ChangeType, string Cause, int Count);

/// <summary>One field that differs between the two runs, as text (JSON for values that are not strings); null when absent.</summary>
public sealed record ChangeField(string Field, string? Before, string? After);

/// <summary>One row of <c>data_changes</c> with what the page and the API derive from it.</summary>
public sealed record ChangeRow(
    long Id,
    string ChangeType,
    string Cause,
    string? Sloid,
    string? OsmNodeId,
    string? ProblemType,
    string? ProblemKey,
    string? AtlasOperator,
    string? Canton,
    double? Lat,
    double? Lon,
    string? Name,
    JsonElement? Before,
    JsonElement? After,
    int? OsmVersion,
    DateTimeOffset? OsmTimestamp,
    string? OsmUser,
    DateTime? AtlasEditionDate)
{
    /// <summary>The fields whose values differ, flattened (<c>tags.name</c>).</summary>
    public IReadOnlyList<ChangeField> Fields => ChangeText.Fields(Before, After);

    /// <summary>The change in one line of words, as the stop card and the feed show it.</summary>
    public string Description => ChangeText.Describe(this);

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? OsmUrl => OsmElementId.TryParse(OsmNodeId, out var id) ? id.Url : null;

    /// <summary>The map with this stop's card open (docs/08-site.md, "Shareable URL"); null without an identifier.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MapUrl => ChangeText.MapUrl(Sloid, OsmNodeId);
}

/// <summary>One page of changes of one run under the filters, with the counts of every type and side under them.</summary>
public sealed record ChangePage(IReadOnlyList<ChangeCount> Counts, int Total, IReadOnlyList<ChangeRow> Changes);

/// <summary>The answer of <c>/api/changes</c> (docs/05-api.md, "Changes").</summary>
/// <param name="Run">Null before the first publication, or when the live publication has no history row.</param>
/// <param name="Message">Why there is nothing to list, when there is not.</param>
public sealed record ChangesResponse(
    ChangeRun? Run, string? Message, IReadOnlyList<ChangeCount> Counts, int Total, int Page, int PerPage, IReadOnlyList<ChangeRow> Changes);
