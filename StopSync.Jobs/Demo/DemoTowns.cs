namespace StopSync.Jobs.Demo;

/// <summary>A town of the demo dataset: its main station (real UIC and position) and the local bus operator.</summary>
internal sealed record DemoTown(
    string Name,
    string StationUic,
    double Lat,
    double Lon,
    int RailPlatforms,
    string BusOperator,
    string BusOperatorName,
    string[] Streets);

internal static class DemoTowns
{
    public static readonly DemoTown[] All =
    [
        new("Zürich HB", "8503000", 47.37818, 8.54021, 8, "VBZ", "Verkehrsbetriebe Zürich", ["Bahnhofquai", "Central", "Löwenplatz", "Sihlpost", "Museum", "Limmatplatz", "Stampfenbachplatz", "Bahnhofplatz"]),
        new("Bern", "8507000", 46.94901, 7.43911, 7, "BERNMOBIL", "Städtische Verkehrsbetriebe Bern", ["Bahnhof", "Bubenbergplatz", "Hirschengraben", "Zytglogge", "Bärenplatz", "Kornhausplatz", "Schanzenstrasse", "Bollwerk"]),
        new("Basel SBB", "8500010", 47.54745, 7.58959, 6, "BVB", "Basler Verkehrs-Betriebe", ["Bahnhof SBB", "Markthalle", "Aeschenplatz", "Bankverein", "Centralbahnplatz", "Heuwaage", "Viadukt", "Peter Merian"]),
        new("Genève", "8501008", 46.21022, 6.14245, 6, "TPG", "Transports publics genevois", ["Cornavin", "Gare Cornavin", "Servette", "Lyon", "Môle", "Pâquis", "Chantepoulet", "Mont-Blanc"]),
        new("Lausanne", "8501120", 46.51668, 6.62905, 5, "TL", "Transports publics de la région lausannoise", ["Gare", "Cèdres", "Georgette", "Montbenon", "Grancy", "Figuiers", "Mercerie", "Ours"]),
        new("Luzern", "8505000", 47.05017, 8.31023, 5, "VBL", "Verkehrsbetriebe Luzern", ["Bahnhof", "Kantonalbank", "Schwanenplatz", "Pilatusplatz", "Luzernerhof", "Kasernenplatz", "Hirschmatt", "Inseli"]),
        new("St. Gallen", "8506302", 47.42330, 9.36980, 4, "VBSG", "Verkehrsbetriebe St. Gallen", ["Bahnhof", "Marktplatz", "Spisertor", "Oberer Graben", "Neumarkt", "Hauptpost", "Kantonsspital", "Rosenberg"]),
        new("Lugano", "8505300", 46.00550, 8.94690, 4, "TPL", "Trasporti Pubblici Luganesi", ["Stazione", "Centro", "Piazza Indipendenza", "Cinque Vie", "Besso", "Loreto", "Molino Nuovo", "Cassarate"]),
        new("Winterthur", "8506000", 47.50027, 8.72374, 5, "SBW", "Stadtbus Winterthur", ["Hauptbahnhof", "Archplatz", "Stadthaus", "Obertor", "Schmidgasse", "Technikum", "Lagerplatz", "Wülflingerstrasse"]),
        new("Chur", "8509000", 46.85310, 9.52900, 4, "SBC", "Stadtbus Chur", ["Bahnhofplatz", "Postplatz", "Alexanderplatz", "Obertor", "Kantonsspital", "Quader", "Plessur", "Gäuggeli"]),
        new("Biel/Bienne", "8504300", 47.13250, 7.24280, 4, "VB", "Verkehrsbetriebe Biel", ["Bahnhof/Gare", "Zentralplatz", "Guisanplatz", "Kongresshaus", "Jura", "Neumarkt", "Taubenloch", "Madretsch"]),
        new("Fribourg", "8504100", 46.80300, 7.15100, 4, "TPF", "Transports publics fribourgeois", ["Gare", "Tilleul", "Pérolles", "Georges-Python", "Richemond", "Bourg", "Neuveville", "Saint-Pierre"]),
    ];
}
