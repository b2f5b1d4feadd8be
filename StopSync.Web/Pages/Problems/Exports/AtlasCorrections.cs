using System.Globalization;
using System.Text.Json;
using nietras.SeparatedValues;
using Npgsql;

namespace StopSync.Web.Pages.Problems.Exports;

/// <param name="Decisions">Decided <c>atlas_wrong</c> decisions whose platform the operator runs.</param>
public sealed record AtlasOperatorCorrections(string AtlasOperator, int Decisions);

/// <summary>One line of the CSV: one ATLAS attribute of one platform that reviewers found wrong (docs/09-review.md, "Hand-off").</summary>
/// <param name="Attribute">The ATLAS field name; empty when the decision chose no value (e.g. a position or a duplicate).</param>
public sealed record AtlasCorrection(
    string Sloid,
    string AtlasOperator,
    string Attribute,
    string? AtlasValue,
    string? ProposedValue,
    string OsmIds,
    string ProblemType,
    string? Note,
    string DecidedBy,
    DateTimeOffset DecidedAt);

/// <summary>
/// The decided ATLAS corrections. A decision's operator is the one copied when it was taken, else the platform's
/// current one; decisions without either are in no operator's file.
/// </summary>
public sealed class AtlasCorrectionReader(NpgsqlDataSource dataSource)
{
    /// <summary>chosen_values key (the OSM tag compared) → ATLAS field name, in the order of the attributes evidence.</summary>
    public static readonly IReadOnlyList<(string Key, string Field)> Fields =
    [
        ("uic_ref", "number"),
        ("uic_name", "designation_official"),
        ("local_ref", "designation"),
        ("operator", "business_organisation_abbreviation"),
    ];

    private const string Decided = """
        FROM review.decisions d
        LEFT JOIN atlas_stops first_stop ON first_stop.sloid = d.sloids[1]
        WHERE d.kind = 'atlas_wrong' AND d.state = 'decided'
        """;

    private const string Operator = "COALESCE(NULLIF(d.atlas_operator, ''), first_stop.atlas_business_org_abbr)";

    public async Task<IReadOnlyList<AtlasOperatorCorrections>> OperatorsAsync(CancellationToken ct)
    {
        var sql = $"""
            SELECT op, count(*)::int FROM (SELECT {Operator} AS op {Decided}) c
            WHERE op IS NOT NULL AND op <> ''
            GROUP BY op ORDER BY op
            """;
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var result = new List<AtlasOperatorCorrections>();
        while (await reader.ReadAsync(ct))
        {
            result.Add(new AtlasOperatorCorrections(reader.GetString(0), reader.GetInt32(1)));
        }

        return result;
    }

    /// <summary>An operator of a published platform or of a decision; anything else is a typing mistake to report.</summary>
    public async Task<bool> IsKnownOperatorAsync(string atlasOperator, CancellationToken ct)
    {
        const string sql = """
            SELECT EXISTS (SELECT 1 FROM atlas_stops WHERE atlas_business_org_abbr = @op)
                OR EXISTS (SELECT 1 FROM review.decisions WHERE atlas_operator = @op)
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter("op", atlasOperator));
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    public async Task<IReadOnlyList<AtlasCorrection>> CorrectionsAsync(string atlasOperator, CancellationToken ct)
    {
        var sql = $"""
            SELECT s.sloid, {Operator}, d.chosen_values::text, array_to_string(d.osm_ids, ' '), d.problem_type, d.note,
                   d.decided_by_name, d.decided_at,
                   a.uic_ref, a.atlas_designation_official, a.atlas_designation, a.atlas_business_org_abbr
            FROM review.decisions d
            LEFT JOIN atlas_stops first_stop ON first_stop.sloid = d.sloids[1]
            CROSS JOIN LATERAL unnest(d.sloids) AS s(sloid)
            LEFT JOIN atlas_stops a ON a.sloid = s.sloid
            WHERE d.kind = 'atlas_wrong' AND d.state = 'decided' AND {Operator} = @op
            ORDER BY s.sloid, d.decided_at, d.id
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter("op", atlasOperator));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var result = new List<AtlasCorrection>();
        while (await reader.ReadAsync(ct))
        {
            var sloid = reader.GetString(0);
            var op = reader.GetString(1);
            var chosen = reader.IsDBNull(2) ? null : reader.GetString(2);
            var osmIds = reader.GetString(3);
            var problemType = reader.GetString(4);
            var note = reader.IsDBNull(5) ? null : reader.GetString(5);
            var decidedBy = reader.GetString(6);
            var decidedAt = reader.GetFieldValue<DateTimeOffset>(7);
            string?[] current = [Text(reader, 8), Text(reader, 9), Text(reader, 10), Text(reader, 11)];
            var proposed = Proposed(chosen);
            if (proposed.Count == 0)
            {
                result.Add(new AtlasCorrection(sloid, op, "", null, null, osmIds, problemType, note, decidedBy, decidedAt));
                continue;
            }

            foreach (var (field, index, value) in proposed)
            {
                result.Add(new AtlasCorrection(sloid, op, field, current[index], value, osmIds, problemType, note, decidedBy, decidedAt));
            }
        }

        return result;
    }

    private static List<(string Field, int Index, string Value)> Proposed(string? json)
    {
        var result = new List<(string, int, string)>();
        if (json is null)
        {
            return result;
        }

        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return result;
        }

        for (var k = 0; k < Fields.Count; k++)
        {
            if (document.RootElement.TryGetProperty(Fields[k].Key, out var value) && value.ValueKind == JsonValueKind.String)
            {
                result.Add((Fields[k].Field, k, value.GetString()!));
            }
        }

        return result;
    }

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}

public static class AtlasCorrectionsCsv
{
    public static readonly IReadOnlyList<string> Header =
    [
        "sloid", "atlas_operator", "attribute", "atlas_value", "proposed_value", "osm_id", "problem_type", "note", "decided_by", "decided_at",
    ];

    /// <summary>UTF-8 without BOM, comma-separated, quoted where a value holds a comma, quote or line break.</summary>
    public static string Write(IReadOnlyList<AtlasCorrection> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var writer = Sep.New(',').Writer(o => o with { Escape = true }).ToText();
        writer.Header.Add([.. Header]);
        writer.Header.Write();
        foreach (var r in rows)
        {
            using var row = writer.NewRow();
            row["sloid"].Set(r.Sloid);
            row["atlas_operator"].Set(r.AtlasOperator);
            row["attribute"].Set(r.Attribute);
            row["atlas_value"].Set(Inert(r.AtlasValue ?? ""));
            row["proposed_value"].Set(Inert(r.ProposedValue ?? ""));
            row["osm_id"].Set(r.OsmIds);
            row["problem_type"].Set(r.ProblemType);
            row["note"].Set(Inert(r.Note ?? ""));
            row["decided_by"].Set(Inert(r.DecidedBy));
            row["decided_at"].Set(r.DecidedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        }

        return writer.ToString();
    }

    // Data owners open this file in a spreadsheet, which runs a cell starting with = + - @ as a formula; a reviewer's
    // note or an OSM value could smuggle one in. A leading apostrophe makes the cell text (OWASP's CSV injection advice).
    internal static string Inert(string value) =>
        value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
}
