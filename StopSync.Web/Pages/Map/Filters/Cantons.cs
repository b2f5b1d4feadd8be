using System.Collections.Immutable;
namespace StopSync.Web.Pages.Map.Filters;

public sealed record Canton(string Code, string Name);

/// <summary>The 26 cantons in the order of the Federal Statistical Office (BFS number 1 = Zürich … 26 = Jura).</summary>
public static class Cantons
{
    public static readonly IReadOnlyList<Canton> All =
    [
        new("ZH", "Zürich"), new("BE", "Bern"), new("LU", "Luzern"), new("UR", "Uri"), new("SZ", "Schwyz"),
        new("OW", "Obwalden"), new("NW", "Nidwalden"), new("GL", "Glarus"), new("ZG", "Zug"), new("FR", "Fribourg"),
        new("SO", "Solothurn"), new("BS", "Basel-Stadt"), new("BL", "Basel-Landschaft"), new("SH", "Schaffhausen"),
        new("AR", "Appenzell Ausserrhoden"), new("AI", "Appenzell Innerrhoden"), new("SG", "St. Gallen"),
        new("GR", "Graubünden"), new("AG", "Aargau"), new("TG", "Thurgau"), new("TI", "Ticino"), new("VD", "Vaud"),
        new("VS", "Valais"), new("NE", "Neuchâtel"), new("GE", "Genève"), new("JU", "Jura"),
    ];

    public static readonly IReadOnlySet<string> Codes = All.Select(c => c.Code).ToHashSet(StringComparer.Ordinal);

    /// <summary>A comma list of canton codes in any case, as the map and the problems queue take it; the first unknown code, if any.</summary>
    public static (ImmutableArray<string> Codes, string? Unknown) ParseList(string? text)
    {
        var codes = FilterQuery.Split(text).Select(c => c.ToUpperInvariant()).Distinct(StringComparer.Ordinal).ToImmutableArray();
        return (codes, codes.FirstOrDefault(c => !Codes.Contains(c)));
    }

    public static string ListError(string unknown) =>
        $"canton must be a comma list of Swiss canton codes ({string.Join(", ", All.Select(c => c.Code))}); unknown: '{unknown}'";
}
