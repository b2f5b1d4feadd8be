namespace StopSync.Jobs.Demo;

/// <summary>The main station has its real UIC number and position.</summary>
internal sealed record RealTown(
    string Name,
    string StationUic,
    GeoPoint Station,
    int RailPlatforms,
    TransportOperator CityOperator,
    bool HasTram,
    string[] Streets);

internal static class RealTowns
{
    public static readonly RealTown[] All =
    [
        new("Zürich HB", "8503000", new(47.37818, 8.54021), 8, TransportOperators.City("VBZ", "Verkehrsbetriebe Zürich", "3849", "91"), true,
            ["Bahnhofquai", "Central", "Löwenplatz", "Sihlpost", "Museum", "Limmatplatz", "Stampfenbachplatz", "Bahnhofplatz"]),
        new("Bern", "8507000", new(46.94901, 7.43911), 7, TransportOperators.City("BERNMOBIL", "Städtische Verkehrsbetriebe Bern", "827", "92"), true,
            ["Bahnhof", "Bubenbergplatz", "Hirschengraben", "Zytglogge", "Bärenplatz", "Kornhausplatz", "Schanzenstrasse", "Bollwerk"]),
        new("Basel SBB", "8500010", new(47.54745, 7.58959), 6, TransportOperators.City("BVB", "Basler Verkehrs-Betriebe", "37", "93"), true,
            ["Bahnhof SBB", "Markthalle", "Aeschenplatz", "Bankverein", "Centralbahnplatz", "Heuwaage", "Viadukt", "Peter Merian"]),
        new("Genève", "8501008", new(46.21022, 6.14245), 6, TransportOperators.City("TPG", "Transports publics genevois", "881", "94"), true,
            ["Cornavin", "Gare Cornavin", "Servette", "Lyon", "Môle", "Pâquis", "Chantepoulet", "Mont-Blanc"]),
        new("Lausanne", "8501120", new(46.51668, 6.62905), 5, TransportOperators.City("TL", "Transports publics de la région lausannoise", "151", "95"), false,
            ["Gare", "Cèdres", "Georgette", "Montbenon", "Grancy", "Figuiers", "Mercerie", "Ours"]),
        new("Luzern", "8505000", new(47.05017, 8.31023), 5, TransportOperators.City("VBL", "Verkehrsbetriebe Luzern", "823", "96"), false,
            ["Bahnhof", "Kantonalbank", "Schwanenplatz", "Pilatusplatz", "Luzernerhof", "Kasernenplatz", "Hirschmatt", "Inseli"]),
        new("St. Gallen", "8506302", new(47.42330, 9.36980), 4, TransportOperators.City("VBSG", "Verkehrsbetriebe St. Gallen", "807", "97"), false,
            ["Bahnhof", "Marktplatz", "Spisertor", "Oberer Graben", "Neumarkt", "Hauptpost", "Kantonsspital", "Rosenberg"]),
        new("Lugano", "8505300", new(46.00550, 8.94690), 4, TransportOperators.City("TPL", "Trasporti Pubblici Luganesi", "810", "98"), false,
            ["Stazione", "Centro", "Piazza Indipendenza", "Cinque Vie", "Besso", "Loreto", "Molino Nuovo", "Cassarate"]),
        new("Winterthur", "8506000", new(47.50027, 8.72374), 5, TransportOperators.City("SBW", "Stadtbus Winterthur", "809", "99"), false,
            ["Hauptbahnhof", "Archplatz", "Stadthaus", "Obertor", "Schmidgasse", "Technikum", "Lagerplatz", "Wülflingerstrasse"]),
        new("Chur", "8509000", new(46.85310, 9.52900), 4, TransportOperators.City("SBC", "Stadtbus Chur", "812", "100"), false,
            ["Bahnhofplatz", "Postplatz", "Alexanderplatz", "Obertor", "Kantonsspital", "Quader", "Plessur", "Gäuggeli"]),
        new("Biel/Bienne", "8504300", new(47.13250, 7.24280), 4, TransportOperators.City("VB", "Verkehrsbetriebe Biel", "808", "101"), false,
            ["Bahnhof/Gare", "Zentralplatz", "Guisanplatz", "Kongresshaus", "Jura", "Neumarkt", "Taubenloch", "Madretsch"]),
        new("Fribourg", "8504100", new(46.80300, 7.15100), 4, TransportOperators.City("TPF", "Transports publics fribourgeois", "146", "102"), false,
            ["Gare", "Tilleul", "Pérolles", "Georges-Python", "Richemond", "Bourg", "Neuveville", "Saint-Pierre"]),
    ];
}
