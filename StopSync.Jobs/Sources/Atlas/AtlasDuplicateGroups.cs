namespace StopSync.Jobs.Sources.Atlas;

/// <summary>Duplicate groups of docs/07-matching.md#inputs; members ordered by SLOID, the representative first.</summary>
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
