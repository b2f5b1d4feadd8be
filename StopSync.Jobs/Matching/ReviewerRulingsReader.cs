using Microsoft.EntityFrameworkCore;
using nietras.SeparatedValues;
using StopSync.Data;
using StopSync.Data.Review;
using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Sources;

namespace StopSync.Jobs.Matching;

/// <summary>The engine's reviewer rulings, from the review schema or from a CSV file (docs/07-matching.md#reviewer-rulings).</summary>
public static class ReviewerRulingsReader
{
    public const string CsvHeader = "kind,sloid,osm_id";

    /// <summary>
    /// Every <c>same_stop</c> and <c>not_same_stop</c> decision, whatever its state: a ruling about a pair stays true
    /// when the problem it was taken on has gone (resolved by data) or changed (needs another look).
    /// </summary>
    public static async Task<ReviewerRulings> ReadAsync(StopSyncDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await db.Decisions.AsNoTracking()
            .Where(d => (d.Kind == DecisionKinds.SameStop || d.Kind == DecisionKinds.NotSameStop) && d.PairSloid != null && d.PairOsmId != null)
            .Select(d => new { d.Kind, d.PairSloid, d.PairOsmId })
            .ToListAsync(ct);
        var manual = new List<RulingPair>();
        var forbidden = new List<RulingPair>();
        foreach (var row in rows)
        {
            (row.Kind == DecisionKinds.SameStop ? manual : forbidden).Add(new RulingPair(row.PairSloid!, row.PairOsmId!));
        }

        return new ReviewerRulings(manual, forbidden);
    }

    /// <summary>Header <c>kind,sloid,osm_id</c>; kind is <c>same_stop</c> or <c>not_same_stop</c>. A bad row names file and line.</summary>
    public static ReviewerRulings ReadCsv(string path)
    {
        if (!File.Exists(path))
        {
            throw new SourceFormatException($"Rulings file '{path}' does not exist.");
        }

        var manual = new List<RulingPair>();
        var forbidden = new List<RulingPair>();
        using var reader = Open(path);
        var header = string.Join(',', reader.Header.ColNames.Select(c => c.Trim().TrimStart('\uFEFF')));
        if (header != CsvHeader)
        {
            throw new SourceFormatException($"{path}:1: the header must be '{CsvHeader}', not '{header}'.");
        }

        foreach (var row in reader)
        {
            var line = row.LineNumberFrom;
            if (row.ColCount == 1 && row[0].Span.Trim().Length == 0)
            {
                continue;
            }

            if (row.ColCount != 3)
            {
                throw new SourceFormatException($"{path}:{line}: {row.ColCount} fields instead of 3 ({CsvHeader}).");
            }

            var (kind, sloid, osmId) = (row[0].ToString().Trim(), row[1].ToString().Trim(), row[2].ToString().Trim());
            if (sloid.Length == 0 || osmId.Length == 0)
            {
                throw new SourceFormatException($"{path}:{line}: sloid and osm_id must both be given.");
            }

            var target = kind switch
            {
                DecisionKinds.SameStop => manual,
                DecisionKinds.NotSameStop => forbidden,
                _ => throw new SourceFormatException(
                    $"{path}:{line}: kind '{kind}' is neither {DecisionKinds.SameStop} nor {DecisionKinds.NotSameStop}."),
            };
            target.Add(new RulingPair(sloid, osmId));
        }

        return new ReviewerRulings(manual, forbidden);
    }

    private static SepReader Open(string path)
    {
        try
        {
            return Sep.New(',').Reader(o => o with { Unescape = true, DisableColCountCheck = true, HasHeader = true }).FromFile(path);
        }
        catch (Exception ex) when (ex is not SourceFormatException and not IOException and not UnauthorizedAccessException)
        {
            throw new SourceFormatException($"{path}:1: cannot be read as a ','-separated CSV: {ex.Message}", ex);
        }
    }
}
