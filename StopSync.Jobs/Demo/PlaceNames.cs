namespace StopSync.Jobs.Demo;

/// <summary>Made-up place and stop names that sound German, French or Italian; unique per dataset and per place.</summary>
internal sealed class PlaceNames(Random random)
{
    private static readonly string[] GermanPrefixes = ["", "", "", "", "Ober", "Nieder", "Unter", "Hinter", "Vorder", "Alt", "Neu", "Gross", "Klein"];
    private static readonly string[] GermanStems =
    [
        "Ried", "Buch", "Wald", "Berg", "Tann", "Hof", "Brunn", "Lang", "Roth", "Weis", "Eich", "Holz", "Kirch", "Mett", "Hütt", "Rüti",
        "Moos", "Ess", "Stein", "Hasl", "Mur", "Gold", "Sulz", "Ling", "Wett", "Horn", "Rom", "Fisch", "Lind", "Bir", "Schön", "Wolf",
    ];

    private static readonly string[] GermanSuffixes =
    [
        "wil", "ikon", "ingen", "dorf", "bach", "berg", "au", "hausen", "acker", "egg", "stetten", "wangen", "kon", "hofen", "matt",
        "rüti", "schwand", "büel", "tal", "see", "felden", "weil",
    ];

    private static readonly string[] FrenchStems =
    [
        "Mont", "Cor", "Ver", "Bel", "Chav", "Pra", "Mor", "Vil", "Bus", "Gran", "Lav", "Sav", "Cha", "Bon", "Mar", "Per", "Roch", "Vau",
        "Cress", "Echal", "Gland", "Pom", "Bott", "Orb",
    ];

    private static readonly string[] FrenchSuffixes = ["ens", "ier", "ex", "ey", "ges", "lens", "mont", "court", "vaux", "ières", "agny", "erens", "oz", "ins", "elles"];
    private static readonly string[] FrenchRivers = ["Broye", "Glâne", "Venoge", "Orbe", "Sarine", "Morges", "Rhône", "Lac"];
    private static readonly string[] ItalianStems = ["Cam", "Ver", "Mon", "Cas", "Sor", "Bre", "Cal", "Ron", "Gor", "Lod", "Pre", "Mag", "Bia", "Cor", "Ser", "Ger", "Aro", "Pol"];
    private static readonly string[] ItalianSuffixes = ["ino", "ello", "ago", "ate", "ona", "asca", "engo", "iano", "one", "era", "io", "eggio"];

    private static readonly string[] GermanStops =
    [
        "Post", "Dorf", "Dorfplatz", "Schulhaus", "Kirche", "Gemeindehaus", "Zentrum", "Friedhof", "Sportplatz", "Oberdorf", "Unterdorf",
        "Industrie", "Kreuzung", "Brücke", "Mühle", "Linde", "Rössli", "Sonne", "Bären", "Schützenhaus", "Spital", "Altersheim",
        "Feuerwehr", "Badi", "Gewerbezone", "Hinterdorf", "Ausserdorf", "Steig", "Rank", "Weid", "Rain", "Halde", "Au", "Moos", "Ried",
        "Egg", "Bühl", "Säge", "Schloss", "Kreuz", "Schmiede", "Hirschen", "Adler", "Löwen", "Turnhalle", "Gemeindezentrum",
    ];

    private static readonly string[] GermanStreetStems =
    [
        "Bahnhof", "Haupt", "Kirch", "Schul", "Berg", "See", "Wald", "Dorf", "Garten", "Linden", "Post", "Mühle", "Feld", "Rosen",
        "Sonnen", "Bach", "Reben", "Industrie", "Zürcher", "Berner", "Wiesen", "Acker", "Tannen", "Buchen", "Eichen", "Ahorn",
        "Birken", "Tulpen", "Sternen", "Kreuz", "Markt", "Schloss", "Burg", "Brunnen", "Kapellen", "Ring", "Quell", "Weiher",
    ];

    private static readonly string[] FrenchStops =
    [
        "Poste", "Eglise", "Collège", "Centre", "Village", "Place", "Cimetière", "Croisée", "Pont", "Moulin", "Fontaine", "Hôpital",
        "Chapelle", "Les Prés", "La Fin", "Le Bourg", "Battoir", "Auberge", "Ecole", "Salle polyvalente", "Château", "Grand-Rue",
        "Les Champs", "La Croix", "Stade", "Les Vignes",
    ];

    private static readonly string[] FrenchStreetStems =
    [
        "Gare", "Lac", "Jura", "Moulins", "Vignes", "Bois", "Fontaines", "Prés", "Alpes", "Tilleuls", "Champs", "Pâquis", "Chênes",
        "Cerisiers", "Rochettes", "Sources", "Platanes", "Peupliers", "Vergers", "Tuileries",
    ];

    private static readonly string[] ItalianStops =
    [
        "Posta", "Chiesa", "Scuole", "Centro", "Paese", "Piazza", "Cimitero", "Ponte", "Mulino", "Bivio", "Municipio", "Ospedale",
        "Cappella", "Nucleo", "Campagna", "Oratorio", "Stradone", "Castello", "Sotto", "Sopra",
    ];

    private static readonly string[] ItalianStreetStems =
    [
        "Cantonale", "San Gottardo", "Lago", "Stazione", "Monte", "Chiesa", "Ronco", "Vigne", "Boschi", "Prati", "Castagni", "Molino",
        "Fontana", "Campagna", "Ceresio", "Pineta",
    ];

    private static readonly Dictionary<LanguageRegion, string[]> Cantons = new()
    {
        [LanguageRegion.German] = ["ZH", "BE", "LU", "AG", "SG", "TG", "SO", "BL", "SZ", "ZG", "AR", "GL"],
        [LanguageRegion.French] = ["VD", "FR", "NE", "JU", "VS", "GE"],
        [LanguageRegion.Italian] = ["TI", "GR"],
    };

    private readonly HashSet<string> _placeNames = new(StringComparer.Ordinal);

    public void Reserve(string name) => _placeNames.Add(name);

    public string NewPlace(LanguageRegion language)
    {
        for (var attempt = 0; ; attempt++)
        {
            var name = language switch
            {
                LanguageRegion.French => FrenchPlace(),
                LanguageRegion.Italian => Pick(ItalianStems) + Pick(ItalianSuffixes),
                _ => GermanPlace(),
            };

            // Real names repeat too; ATLAS then appends the canton, as in "Buchs SG" and "Buchs AG".
            if (attempt > 0)
            {
                name += " " + Pick(Cantons[language]);
            }

            if (attempt > 3)
            {
                name += " " + attempt.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            if (_placeNames.Add(name))
            {
                return name;
            }
        }
    }

    public string NewStop(LanguageRegion language, HashSet<string> taken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var name = (language, random.Next(3)) switch
            {
                (LanguageRegion.French, 0) => $"{Pick(["Route", "Chemin", "Avenue", "Rue"])} {Pick(["de la", "des", "du"])} {Pick(FrenchStreetStems)}",
                (LanguageRegion.French, _) => Pick(FrenchStops),
                (LanguageRegion.Italian, 0) => $"Via {Pick(ItalianStreetStems)}",
                (LanguageRegion.Italian, _) => Pick(ItalianStops),
                (_, 0) => Pick(GermanStreetStems) + Pick(["strasse", "weg", "gasse", "platz"]),
                _ => Pick(GermanStops),
            };
            if (attempt > 6)
            {
                name += " " + Pick(language == LanguageRegion.German ? ["Nord", "Süd", "Ost", "West"] : language == LanguageRegion.French ? ["Nord", "Sud", "Est", "Ouest"] : ["Nord", "Sud", "Est", "Ovest"]);
            }

            if (attempt > 12)
            {
                name += " " + (attempt - 11).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            if (taken.Add(name))
            {
                return name;
            }
        }
    }

    public static string StationStop(LanguageRegion language) => language switch
    {
        LanguageRegion.French => "Gare",
        LanguageRegion.Italian => "Stazione",
        _ => "Bahnhof",
    };

    private string GermanPlace()
    {
        var stem = Pick(GermanStems) + Pick(GermanSuffixes);
        var prefix = Pick(GermanPrefixes);
        return prefix.Length == 0 ? stem : prefix + stem.ToLowerInvariant();
    }

    private string FrenchPlace()
    {
        var stem = Pick(FrenchStems) + Pick(FrenchSuffixes);
        return random.Next(10) switch
        {
            0 => "Saint-" + stem,
            1 => $"{stem}-sur-{Pick(FrenchRivers)}",
            2 => "Le " + stem,
            3 => "La " + stem,
            _ => stem,
        };
    }

    private string Pick(string[] values) => values[random.Next(values.Length)];
}
