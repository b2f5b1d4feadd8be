using System.Text.Json;
using StopSync.Data.Review;
using StopSync.Web.Pages.Map.StopCard;

namespace StopSync.Web.Pages.Problems.Decisions;

/// <summary>The body of POST /api/decisions as sent (docs/05-api.md, "Decisions").</summary>
public sealed record DecisionInput
{
    public string? ProblemKey { get; init; }
    public string? Kind { get; init; }
    public string? Note { get; init; }

    /// <summary>Attribute → the value the wrong side should get; only with osm_wrong and atlas_wrong.</summary>
    public JsonElement? ChosenValues { get; init; }

    public string? PairSloid { get; init; }
    public string? PairOsmId { get; init; }

    /// <summary>The revision the reviewer saw: 0 when there was no decision.</summary>
    public int? Revision { get; init; }
}

/// <summary>A field of the input that is wrong, named as in the JSON body.</summary>
public sealed record InputError(string Field, string Detail);

/// <summary>What is stored for a valid input: the kind, note and chosen values normalised, the pair resolved.</summary>
public sealed record DecisionWrite(
    string ProblemKey, string Kind, string? Note, string? ChosenValuesJson, string? PairSloid, string? PairOsmId, int SeenRevision);

/// <summary>
/// The rules a decision must meet (docs/09-review.md, "Decisions"): first those of the body alone, then those that
/// depend on the problem it is about (which sides it has).
/// </summary>
public static class DecisionRules
{
    public const int MaxProblemKeyLength = 64;
    public const int MaxNoteLength = 4000;
    public const int MaxValueLength = 255;

    /// <summary>Longer than any SLOID or OSM id.</summary>
    public const int MaxIdLength = 100;

    /// <summary>The attributes of the attributes evidence, named by their OSM tag.</summary>
    public static readonly IReadOnlyList<string> ChosenValueKeys = ["uic_ref", "uic_name", "local_ref", "operator"];

    public static InputError? CheckBody(DecisionInput input)
    {
        if (string.IsNullOrWhiteSpace(input.ProblemKey))
        {
            return new("problem_key", "problem_key is required: the key of a published problem.");
        }

        if (input.ProblemKey.Length > MaxProblemKeyLength)
        {
            return new("problem_key", $"problem_key is at most {MaxProblemKeyLength} characters long.");
        }

        if (string.IsNullOrWhiteSpace(input.Kind) || !DecisionKinds.All.Contains(input.Kind))
        {
            return new("kind", $"kind must be one of {string.Join(", ", DecisionKinds.All)}; got '{Shorten(input.Kind)}'.");
        }

        if (input.Revision is not { } revision || revision < 0)
        {
            return new("revision", "revision is required: 0 when you saw no decision, else the revision of the decision you saw.");
        }

        if (input.Note is { Length: > MaxNoteLength })
        {
            return new("note", $"note is at most {MaxNoteLength} characters long; got {input.Note.Length}.");
        }

        if (input.PairSloid is { Length: > MaxIdLength })
        {
            return new("pair_sloid", $"pair_sloid is at most {MaxIdLength} characters long.");
        }

        if (input.PairOsmId is { Length: > MaxIdLength })
        {
            return new("pair_osm_id", $"pair_osm_id is at most {MaxIdLength} characters long.");
        }

        return CheckChosenValues(input);
    }

    private static InputError? CheckChosenValues(DecisionInput input)
    {
        if (input.ChosenValues is not { ValueKind: not JsonValueKind.Null } values)
        {
            return null;
        }

        if (input.Kind is not (DecisionKinds.OsmWrong or DecisionKinds.AtlasWrong))
        {
            return new("chosen_values", $"chosen_values go only with kind osm_wrong or atlas_wrong; leave them out for {input.Kind}.");
        }

        if (values.ValueKind != JsonValueKind.Object)
        {
            return new("chosen_values", "chosen_values must be a JSON object: attribute → value.");
        }

        foreach (var property in values.EnumerateObject())
        {
            if (!ChosenValueKeys.Contains(property.Name))
            {
                return new("chosen_values",
                    $"chosen_values keys must be among {string.Join(", ", ChosenValueKeys)}; unknown: '{Shorten(property.Name)}'.");
            }

            if (property.Value.ValueKind != JsonValueKind.String)
            {
                return new("chosen_values", $"chosen_values.{property.Name} must be a text value.");
            }

            if (property.Value.GetString()!.Length > MaxValueLength)
            {
                return new("chosen_values", $"chosen_values.{property.Name} is at most {MaxValueLength} characters long.");
            }
        }

        return null;
    }

    /// <summary>
    /// The pair rules: <c>same_stop</c> joins the problem's one side with a counterpart the reviewer picked (an OSM id for a
    /// problem with a SLOID, a SLOID for one with an OSM id); <c>not_same_stop</c> forbids the problem's own pair, so the
    /// problem must have both sides; the other kinds carry no pair.
    /// </summary>
    public static (DecisionWrite? Write, InputError? Error) Resolve(DecisionInput input, PublishedProblem problem)
    {
        // A line's problem lands on one of its stops but is about the line: a pair ruling would feed the next stop
        // matching with a verdict nobody gave about that pair.
        if (ProblemTypes.IsRoute(problem.ProblemType) && input.Kind is DecisionKinds.SameStop or DecisionKinds.NotSameStop)
        {
            return (null, new("kind", $"kind {input.Kind} rules on a stop pair; a {problem.ProblemType} problem is about a line: use osm_wrong, atlas_wrong or not_a_problem."));
        }

        var pairSloid = Blank(input.PairSloid) ? null : input.PairSloid!.Trim();
        string? pairOsm = null;
        if (!Blank(input.PairOsmId))
        {
            if (!OsmElementId.TryParse(input.PairOsmId, out var osm))
            {
                return (null, new("pair_osm_id", $"pair_osm_id must be an OSM node or way id (123, node/123, way/45); got '{Shorten(input.PairOsmId)}'."));
            }

            pairOsm = osm.Key;
        }

        switch (input.Kind)
        {
            case DecisionKinds.SameStop:
                if (problem.Sloid is not null && problem.OsmNodeId is null)
                {
                    if (pairOsm is null)
                    {
                        return (null, new("pair_osm_id", "same_stop on a problem of an ATLAS stop needs pair_osm_id: the OSM element it is the same stop as."));
                    }

                    if (pairSloid is not null && pairSloid != problem.Sloid)
                    {
                        return (null, new("pair_sloid", $"pair_sloid is this problem's SLOID ({problem.Sloid}); leave it out or send that one."));
                    }

                    pairSloid = problem.Sloid;
                }
                else if (problem.OsmNodeId is not null && problem.Sloid is null)
                {
                    if (pairSloid is null)
                    {
                        return (null, new("pair_sloid", "same_stop on a problem of an OSM element needs pair_sloid: the ATLAS stop it is the same stop as."));
                    }

                    if (pairOsm is not null && pairOsm != problem.OsmNodeId)
                    {
                        return (null, new("pair_osm_id", $"pair_osm_id is this problem's OSM id ({problem.OsmNodeId}); leave it out or send that one."));
                    }

                    pairOsm = problem.OsmNodeId;
                }
                else if (problem.Sloid is not null && problem.OsmNodeId is not null)
                {
                    // A matched row: the reviewer names the one side that should replace the engine's choice.
                    if ((pairSloid is null) == (pairOsm is null))
                    {
                        return (null, new("pair_osm_id",
                            "same_stop on a matched problem needs exactly one of pair_osm_id (another OSM element for this ATLAS stop) or pair_sloid (another ATLAS stop for this OSM element)."));
                    }

                    pairSloid ??= problem.Sloid;
                    pairOsm ??= problem.OsmNodeId;
                }

                break;

            case DecisionKinds.NotSameStop:
                if (problem.Sloid is null || problem.OsmNodeId is null)
                {
                    return (null, new("kind", "kind not_same_stop forbids the pair of a problem with both a SLOID and an OSM id; this problem has only one side."));
                }

                if ((pairSloid is not null && pairSloid != problem.Sloid) || (pairOsm is not null && pairOsm != problem.OsmNodeId))
                {
                    return (null, new(pairSloid is not null && pairSloid != problem.Sloid ? "pair_sloid" : "pair_osm_id",
                        $"not_same_stop takes its pair from the problem ({problem.Sloid}, {problem.OsmNodeId}); leave pair_sloid and pair_osm_id out."));
                }

                pairSloid = problem.Sloid;
                pairOsm = problem.OsmNodeId;
                break;

            default:
                if (pairSloid is not null || pairOsm is not null)
                {
                    return (null, new(pairSloid is not null ? "pair_sloid" : "pair_osm_id",
                        $"pair_sloid and pair_osm_id go only with same_stop and not_same_stop; leave them out for {input.Kind}."));
                }

                break;
        }

        var chosen = input.ChosenValues is { ValueKind: JsonValueKind.Object } values ? values.GetRawText() : null;
        var note = Blank(input.Note) ? null : input.Note!.Trim();
        return (new DecisionWrite(problem.ProblemKey, input.Kind!, note, chosen, pairSloid, pairOsm, input.Revision!.Value), null);
    }

    private static bool Blank(string? text) => string.IsNullOrWhiteSpace(text);

    internal static string Shorten(string? text) => text is null ? "" : text.Length <= 40 ? text : text[..40] + "…";
}
