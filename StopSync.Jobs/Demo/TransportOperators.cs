namespace StopSync.Jobs.Demo;

/// <summary>Real abbreviations for SBB, PostAuto and the real towns' operators; the regional operators are made up.</summary>
internal sealed record TransportOperator(
    string Abbreviation,
    string[] Abbreviations,
    string[] Descriptions,
    string Sboid,
    string OrganisationNumber,
    string AgencyId,
    string RoutePrefix)
{
    /// <summary>The value an OSM mapper most likely typed into <c>operator</c>.</summary>
    public string OsmOperator => Abbreviations[3];
}

internal static class TransportOperators
{
    public static readonly TransportOperator Sbb = Multilingual(
        ["SBB", "CFF", "FFS", "SBB"],
        ["Schweizerische Bundesbahnen SBB", "Chemins de fer fédéraux suisses CFF", "Ferrovie federali svizzere FFS", "Swiss Federal Railways SBB"],
        "100001", "11", "1");

    public static readonly TransportOperator PostAuto = Multilingual(
        ["PAG", "PAG", "PAG", "PAG"], ["PostAuto AG", "CarPostal SA", "AutoPostale SA", "PostBus Ltd"], "100602", "801", "80");

    public static readonly TransportOperator[] RegionalRail =
    [
        Single("BLS", "BLS AG", "100017", "33", "3"),
        Single("SOB", "Schweizerische Südostbahn AG", "100082", "82", "5"),
        Single("RhB", "Rhätische Bahn AG", "100072", "72", "7"),
        Single("TRN", "Transports publics Neuchâtelois SA", "100084", "84", "8"),
        Single("TILO", "Treni Regionali Ticino Lombardia SA", "100092", "92", "9"),
    ];

    public static readonly TransportOperator[] GermanBus =
    [
        Single("RBM", "Regionalbus Mittelland AG", "100901", "901", "61"),
        Single("BOS", "Bus Ostschweiz AG", "100902", "902", "62"),
        Single("ASL", "Autobus Seeland AG", "100903", "903", "63"),
    ];

    public static readonly TransportOperator[] FrenchBus =
    [
        Single("TRR", "Transports régionaux romands SA", "100911", "911", "64"),
        Single("AJS", "Autobus du Jura SA", "100912", "912", "65"),
    ];

    public static readonly TransportOperator[] ItalianBus =
    [
        Single("ALT", "Autolinee Ticinesi SA", "100921", "921", "66"),
    ];

    public static readonly TransportOperator[] Aerialway =
    [
        Single("BBA", "Bergbahnen Alpen AG", "100931", "931", "67"),
        Single("RMA", "Remontées mécaniques des Alpes SA", "100932", "932", "68"),
        Single("FAS", "Funivie Alpine SA", "100933", "933", "69"),
    ];

    public static TransportOperator City(string abbreviation, string description, string agencyId, string routePrefix) =>
        Single(abbreviation, description, "1008" + agencyId, agencyId, routePrefix);

    public static TransportOperator RegionalBus(LanguageRegion language, Random random) => language switch
    {
        LanguageRegion.French => FrenchBus[random.Next(FrenchBus.Length)],
        LanguageRegion.Italian => ItalianBus[random.Next(ItalianBus.Length)],
        _ => GermanBus[random.Next(GermanBus.Length)],
    };

    public static TransportOperator AerialwayFor(LanguageRegion language) => language switch
    {
        LanguageRegion.French => Aerialway[1],
        LanguageRegion.Italian => Aerialway[2],
        _ => Aerialway[0],
    };

    private static TransportOperator Single(string abbreviation, string description, string sboid, string agencyId, string routePrefix) =>
        new(abbreviation, [abbreviation, abbreviation, abbreviation, abbreviation], [description, description, description, description],
            "ch:1:sboid:" + sboid, agencyId + ".0", agencyId, routePrefix);

    private static TransportOperator Multilingual(string[] abbreviations, string[] descriptions, string sboid, string agencyId, string routePrefix) =>
        new(abbreviations[0], abbreviations, descriptions, "ch:1:sboid:" + sboid, agencyId + ".0", agencyId, routePrefix);
}

/// <summary>Tariff networks as OSM tags them; a stop takes the one whose centre is nearest.</summary>
internal static class Networks
{
    private static readonly (string Name, GeoPoint Centre)[] All =
    [
        ("ZVV", new(47.38, 8.54)), ("Libero", new(46.95, 7.44)), ("TNW", new(47.50, 7.65)), ("Unireso", new(46.20, 6.14)),
        ("Mobilis", new(46.60, 6.60)), ("Passepartout", new(47.00, 8.25)), ("Ostwind", new(47.40, 9.30)), ("Arcobaleno", new(46.10, 8.90)),
        ("Onde Verte", new(47.05, 6.90)), ("frimobil", new(46.75, 7.10)), ("A-Welle", new(47.40, 8.10)), ("Zug", new(47.17, 8.52)),
        ("Valais/Wallis", new(46.25, 7.50)), ("Graubünden", new(46.75, 9.60)),
    ];

    public static string At(GeoPoint point) => All.MinBy(n => n.Centre.DistanceMeters(point)).Name;
}
