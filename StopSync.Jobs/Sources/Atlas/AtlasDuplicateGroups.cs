namespace StopSync.Jobs.Sources.Atlas;

/// <summary>
/// Rows that describe one platform twice (docs/07-matching.md#inputs). Members are ordered by SLOID; the first is the
/// representative that matching sees, the others are siblings that follow it.
/// </summary>
public sealed record AtlasDuplicateGroup(string Number, string Designation, IReadOnlyList<AtlasPlatform> Members)
{
    public AtlasPlatform Representative => Members[0];

    public static IReadOnlyList<AtlasDuplicateGroup> Find(IEnumerable<AtlasPlatform> platforms) =>
        platforms
            .Where(p => p.Number.Length > 0 && p.Designation.Length > 0)
            .GroupBy(p => (p.Number, p.Designation))
            .Where(g => g.Count() > 1)
            .Select(g => new AtlasDuplicateGroup(g.Key.Number, g.Key.Designation, g.OrderBy(p => p.Sloid, StringComparer.Ordinal).ToList()))
            .OrderBy(g => g.Representative.Sloid, StringComparer.Ordinal)
            .ToList();
}
