using System.Text.Json;
using Npgsql;

namespace StopSync.Web.Pages.Problems.Decisions;

/// <summary>A stored decision as the API shows it (docs/05-api.md, "Decisions").</summary>
public sealed record DecisionView
{
    public long Id { get; init; }
    public required string ProblemKey { get; init; }
    public required string ProblemType { get; init; }
    public required string Kind { get; init; }
    public string? Note { get; init; }
    public JsonElement? ChosenValues { get; init; }
    public string? PairSloid { get; init; }
    public string? PairOsmId { get; init; }
    public required string State { get; init; }
    public JsonElement? Evidence { get; init; }
    public JsonElement? CurrentEvidence { get; init; }
    public string? StateRunId { get; init; }

    /// <summary>The display name of the person who decided last.</summary>
    public required string DecidedBy { get; init; }

    public DateTimeOffset DecidedAt { get; init; }
    public int Revision { get; init; }

    /// <summary>The columns <see cref="Read"/> expects, in order, of <c>review.decisions</c> under the given alias.</summary>
    public static string Columns(string alias) =>
        $"{alias}.id, {alias}.problem_key, {alias}.problem_type, {alias}.kind, {alias}.note, {alias}.chosen_values::text, " +
        $"{alias}.pair_sloid, {alias}.pair_osm_id, {alias}.state, {alias}.evidence::text, {alias}.current_evidence::text, " +
        $"{alias}.state_run_id, {alias}.decided_by_name, {alias}.decided_at, {alias}.revision";

    public const int ColumnCount = 15;

    /// <summary>Reads the <see cref="Columns"/> starting at <paramref name="at"/>; null when the decision id there is null.</summary>
    public static DecisionView? Read(NpgsqlDataReader r, int at)
    {
        if (r.IsDBNull(at))
        {
            return null;
        }

        return new DecisionView
        {
            Id = r.GetInt64(at),
            ProblemKey = r.GetString(at + 1),
            ProblemType = r.GetString(at + 2),
            Kind = r.GetString(at + 3),
            Note = r.IsDBNull(at + 4) ? null : r.GetString(at + 4),
            ChosenValues = Json(r, at + 5),
            PairSloid = r.IsDBNull(at + 6) ? null : r.GetString(at + 6),
            PairOsmId = r.IsDBNull(at + 7) ? null : r.GetString(at + 7),
            State = r.GetString(at + 8),
            Evidence = Json(r, at + 9),
            CurrentEvidence = Json(r, at + 10),
            StateRunId = r.IsDBNull(at + 11) ? null : r.GetString(at + 11),
            DecidedBy = r.GetString(at + 12),
            DecidedAt = r.GetFieldValue<DateTimeOffset>(at + 13),
            Revision = r.GetInt32(at + 14),
        };
    }

    /// <summary>A jsonb column read as text; SQL null and JSON null both become null.</summary>
    public static JsonElement? Json(NpgsqlDataReader r, int ordinal)
    {
        if (r.IsDBNull(ordinal))
        {
            return null;
        }

        using var document = JsonDocument.Parse(r.GetString(ordinal));
        return document.RootElement.ValueKind == JsonValueKind.Null ? null : document.RootElement.Clone();
    }
}
