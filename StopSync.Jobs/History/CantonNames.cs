using StopSync.Jobs.Sources.Geography;

namespace StopSync.Jobs.History;

/// <summary>The names the statistics of a canton scope carry, by the two-letter codes of <see cref="SwissCantons.Codes"/>.</summary>
public static class CantonNames
{
    /// <summary>In the order of <see cref="SwissCantons.Codes"/> (BFS canton numbers 1–26), each in the canton's own language.</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        "Zürich", "Bern", "Luzern", "Uri", "Schwyz", "Obwalden", "Nidwalden", "Glarus", "Zug", "Fribourg", "Solothurn",
        "Basel-Stadt", "Basel-Landschaft", "Schaffhausen", "Appenzell Ausserrhoden", "Appenzell Innerrhoden", "St. Gallen",
        "Graubünden", "Aargau", "Thurgau", "Ticino", "Vaud", "Valais", "Neuchâtel", "Genève", "Jura",
    ];

    public static string? Of(string code)
    {
        for (var i = 0; i < SwissCantons.Codes.Count; i++)
        {
            if (string.Equals(SwissCantons.Codes[i], code, StringComparison.Ordinal))
            {
                return Names[i];
            }
        }

        return null;
    }
}
