using System.Globalization;

namespace StopSync.Jobs.Demo;

/// <summary>The <c>case</c> column of the ground truth: how the OSM side of an ATLAS platform was spoiled, or which layout it has.</summary>
public static class TruthCases
{
    /// <summary>Correct <c>uic_ref</c> and <c>local_ref</c>, within 6 m.</summary>
    public const string Exact = "exact";

    /// <summary>Correct tags, but 20–200 m away.</summary>
    public const string Offset = "offset";

    public const string MissingUicRef = "missing_uic_ref";

    /// <summary>A <c>uic_ref</c> that no ATLAS service point has (a typo), so it can never match the right stop by number.</summary>
    public const string WrongUicRef = "wrong_uic_ref";

    public const string MissingLocalRef = "missing_local_ref";

    /// <summary>No <c>uic_ref</c> and the name written differently ("Bern, Bahnhof" vs "Bern Bahnhof").</summary>
    public const string NameVariant = "name_variant";

    /// <summary>Two OSM elements with the same tags for one platform; both get a row.</summary>
    public const string OsmDuplicate = "osm_duplicate";

    /// <summary>A second ATLAS row with the same number and designation; points at the original's OSM element.</summary>
    public const string AtlasDuplicate = "atlas_duplicate";

    /// <summary>The stop position paired with a platform (within 12 m, same references); an acceptable second link.</summary>
    public const string PairStopPosition = "pair_stop_position";

    /// <summary>One of the two platforms of a trio (two platforms and a middle stop position with one UIC).</summary>
    public const string TrioSide = "trio_side";

    /// <summary>The middle stop position of a trio; no sloid, it should stay unmatched.</summary>
    public const string TrioMiddle = "trio_middle";

    /// <summary>An ATLAS platform nobody mapped in OSM; no osm_id.</summary>
    public const string AtlasOnly = "atlas_only";

    /// <summary>An OSM stop ATLAS does not know; no sloid.</summary>
    public const string OsmOnly = "osm_only";

    /// <summary>A station-level OSM element (railway or bus station); no sloid, never a boarding place.</summary>
    public const string OsmStation = "osm_station";
}

/// <summary>Roughly the real proportions: about 40 % findable by <c>uic_ref</c>, about 10 % of ATLAS unmatched.</summary>
internal sealed class ImperfectionPlan(Random random)
{
    private static readonly (string Case, double Share)[] Shares =
    [
        (TruthCases.AtlasOnly, 0.085),
        (TruthCases.Exact, 0.33),
        (TruthCases.Offset, 0.06),
        (TruthCases.MissingUicRef, 0.37),
        (TruthCases.MissingLocalRef, 0.055),
        (TruthCases.WrongUicRef, 0.02),
        (TruthCases.NameVariant, 0.03),
        (TruthCases.OsmDuplicate, 0.05),
    ];

    private static readonly (string From, string To)[] Abbreviations =
    [
        ("Bahnhof", "Bhf"), ("strasse", "str."), ("Strasse", "Str."), ("Saint-", "St-"), ("Sankt ", "St. "), ("Gare", "gare"),
        ("Stazione", "staz."), ("Dorfplatz", "Dorf"), ("Schulhaus", "Schule"), ("Route de la", "Rte de la"), ("Via ", "V. "),
    ];

    public string DrawCase()
    {
        var draw = random.NextDouble();
        foreach (var (kind, share) in Shares)
        {
            if (draw < share)
            {
                return kind;
            }

            draw -= share;
        }

        return TruthCases.Exact;
    }

    /// <summary>How far the OSM element lies from the ATLAS position: mostly a few metres, offsets up to 200 m.</summary>
    public double DistanceMeters(string kind) => kind switch
    {
        TruthCases.Exact or TruthCases.TrioSide => 0.3 + (random.NextDouble() * 5.7),
        TruthCases.Offset => 20 * Math.Pow(10, random.NextDouble()),
        TruthCases.OsmDuplicate => 1 + (random.NextDouble() * 7),
        _ => random.NextDouble() < 0.9 ? 1 + (random.NextDouble() * 11) : 12 + (random.NextDouble() * 33),
    };

    /// <summary>A number close to <paramref name="uic"/> that no service point has: a typo, not another stop's number.</summary>
    public string WrongUic(string uic, HashSet<string> allocated)
    {
        var number = long.Parse(uic, CultureInfo.InvariantCulture);
        for (var delta = 1 + random.Next(3); ; delta++)
        {
            foreach (var candidate in new[] { number + delta, number - delta })
            {
                var text = candidate.ToString(CultureInfo.InvariantCulture);
                if (!allocated.Contains(text))
                {
                    return text;
                }
            }
        }
    }

    /// <summary>The same name as a mapper might write it: without the comma, without its space, or abbreviated.</summary>
    public string NameVariant(string name)
    {
        var abbreviation = Abbreviations.FirstOrDefault(a => name.Contains(a.From, StringComparison.Ordinal));
        var options = new List<string>();
        if (name.Contains(", ", StringComparison.Ordinal))
        {
            options.Add(name.Replace(", ", " ", StringComparison.Ordinal));
            options.Add(name.Replace(", ", ",", StringComparison.Ordinal));
        }
        else if (name.Contains(',', StringComparison.Ordinal))
        {
            options.Add(name.Replace(",", ", ", StringComparison.Ordinal));
        }

        if (abbreviation.From is not null)
        {
            options.Add(name.Replace(abbreviation.From, abbreviation.To, StringComparison.Ordinal));
        }

        if (options.Count == 0)
        {
            // Station names have no comma: "Biel/Bienne" becomes "Biel-Bienne", "Oberwil" becomes "Oberwil Station".
            options.Add(name.Contains(' ', StringComparison.Ordinal) || name.Contains('/', StringComparison.Ordinal)
                ? name.Replace(' ', '-').Replace('/', '-')
                : name + " Station");
        }

        return options[random.Next(options.Count)];
    }
}
