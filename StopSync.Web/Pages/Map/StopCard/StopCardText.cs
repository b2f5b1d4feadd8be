using System.Globalization;

namespace StopSync.Web.Pages.Map.StopCard;

/// <summary>What the card's words are made of: one stops_matched row with both of its sides and a few counts.</summary>
/// <param name="OsmOperator">The OSM operator after the reader's alias normalisation (CFF → SBB), as the matching compares it.</param>
/// <param name="OsmLocalRef"><c>local_ref</c>, else <c>ref</c>.</param>
/// <param name="ExactOsmMatches">Exact matches of the row's SLOID; propagated matches do not count.</param>
/// <param name="ExactAtlasMatches">Exact matches of the row's OSM element; propagated matches do not count.</param>
/// <param name="OsmElementsWithAtlasUic">OSM elements whose <c>uic_ref</c> is the ATLAS number.</param>
/// <param name="AtlasRowsWithAtlasUic">ATLAS platforms with the row's ATLAS number.</param>
/// <param name="AtlasRowsWithOsmUic">ATLAS platforms whose number is the OSM element's <c>uic_ref</c>.</param>
/// <param name="OsmElementsWithOsmUic">OSM elements with the element's own <c>uic_ref</c>.</param>
/// <param name="OsmElementsWithSameRefs">OSM elements with the element's <c>uic_ref</c> and <c>local_ref</c>, itself included.</param>
public sealed record StopFacts(
    string StopType,
    string? MatchType,
    double? DistanceM,
    bool HasAtlas,
    string? AtlasUic,
    string? AtlasDesignation,
    string? AtlasOfficialName,
    string? AtlasOperator,
    string? RepresentativeSloid,
    IReadOnlyList<string> DuplicateGroupSloids,
    bool HasOsm,
    string? OsmNodeId,
    string? OsmUicRef,
    string? OsmUicName,
    string? OsmName,
    string? OsmLocalRef,
    string? OsmOperator,
    string? OsmOperatorTag,
    string? OsmNodeType,
    string? GroupKind,
    string? MemberRole,
    IReadOnlyList<string> UnitPartners,
    int ExactOsmMatches,
    int ExactAtlasMatches,
    long OsmElementsWithAtlasUic,
    long AtlasRowsWithAtlasUic,
    long AtlasRowsWithOsmUic,
    long OsmElementsWithOsmUic,
    long OsmElementsWithSameRefs);

/// <summary>
/// The stop card's explanations in words: how a pair was matched or why a row is unmatched, the problems with the values of
/// both sides, the attribute comparison and the tags OSM could take from ATLAS. The rules are those of
/// docs/07-matching.md; docs/08-site.md, "Stop card", says how the card uses them.
/// </summary>
public static class StopCardText
{
    /// <summary>The matching's "nearby" radius (docs/07-matching.md, "The ten stages").</summary>
    private const int NearbyMeters = 50;

    private const int LongDistanceMeters = 150;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string ExplainMatch(StopFacts f)
    {
        var text = f.StopType switch
        {
            "atlas_unmatched" => f.MatchType == "no_nearby_counterpart"
                ? $"Unmatched ATLAS platform: no OSM element within {NearbyMeters} m."
                : $"Unmatched ATLAS platform: at least one OSM element lies within {NearbyMeters} m, but none fitted a matching rule "
                  + "or each was taken by another platform.",
            "osm_unmatched" => ExplainUnmatchedOsm(f),
            "effectively_matched" =>
                "Effectively matched: the stop position in the middle of an OSM trio whose two sides are both matched; it needs no "
                + "ATLAS platform of its own.",
            _ => ExplainMatched(f),
        };
        return f.StopType == "matched" && f.DistanceM is { } d
            ? text + $" The two positions are {Meters(d)} apart."
            : text;
    }

    private static string ExplainUnmatchedOsm(StopFacts f)
    {
        if (f.OsmNodeType == "railway_station")
        {
            return "Unmatched OSM element: station-level elements (public_transport=station, railway=station) are never matched; "
                + "their platforms are.";
        }

        var text = "Unmatched OSM element: no matching rule linked it to an ATLAS platform.";
        return f.OsmUicRef is null
            ? text + " It has no uic_ref."
            : f.AtlasRowsWithOsmUic == 0 ? text + $" No ATLAS platform has the number {f.OsmUicRef}." : text;
    }

    private static string ExplainMatched(StopFacts f)
    {
        var type = f.MatchType ?? "";
        var uic = f.AtlasUic ?? f.OsmUicRef ?? "?";
        var sameLocalRef = f.AtlasDesignation is not null && f.OsmLocalRef is not null && SameText(f.AtlasDesignation, f.OsmLocalRef);
        switch (type)
        {
            case "exact":
                var exact = $"Exact: the ATLAS number {uic} is the OSM element's uic_ref";
                exact += sameLocalRef ? $", and its local_ref {f.OsmLocalRef} is the ATLAS designation." : ".";
                if (f.ExactAtlasMatches > 1)
                {
                    exact += $" It is the only OSM element with this uic_ref, so it takes every ATLAS platform of the UIC ({f.ExactAtlasMatches}).";
                }
                else if (f.ExactOsmMatches > 1)
                {
                    exact += $" This is the only ATLAS platform with the number, so it takes every OSM element of the UIC ({f.ExactOsmMatches}).";
                }

                return exact;
            case "manual":
                return "Manual: a reviewer decided that this ATLAS platform and this OSM element are the same stop; the matching takes it before any rule.";
            case "exact_postpass":
                return $"Last exact pass: the only unmatched ATLAS platform and the only free OSM element (without local_ref) with UIC {uic}.";
            case "name":
                return $"Name: the ATLAS official name \"{f.AtlasOfficialName}\" is the OSM element's name, uic_name or gtfs:name (no distance limit)"
                    + (sameLocalRef ? $"; among several such elements its local_ref {f.OsmLocalRef} is the ATLAS designation." : ".");
            case "distance_matching_trio":
                return $"Trio: this OSM element is a side of a trio with UIC {uic} (two platforms and the stop position between them); "
                    + "the sides went to the only two unmatched ATLAS platforms of the UIC, in the pairing with the smaller total distance.";
            case "distance_matching_2":
                return $"Local reference: the nearest free OSM element within {NearbyMeters} m whose local_ref ({f.OsmLocalRef}) is the "
                    + "ATLAS designation (ignoring case).";
            case "distance_matching_3a":
                return $"Only candidate: the only free OSM element within {NearbyMeters} m, once elements whose local_ref contradicts the "
                    + "designation are left out.";
            case "distance_matching_3b":
                return $"Clearly nearest: the nearest of several free OSM elements within {NearbyMeters} m; the second is at least 10 m away "
                    + "and at least 4 times as far.";
            case "distance_matching_3a_second_pass":
                return $"Only candidate (second pass): the only free OSM element within {NearbyMeters} m left after the nearest pass took "
                    + "its competitors, once elements whose local_ref contradicts the designation are left out.";
            case "duplicate_propagation":
                return $"ATLAS duplicate: this platform has the same number and designation as {f.RepresentativeSloid ?? "another platform"}, "
                    + "and shares the match of that representative.";
            case "osm_group_propagation":
                var partner = f.UnitPartners.Count > 0 ? string.Join(", ", f.UnitPartners) : "its partner";
                return $"OSM pair: this element and {partner} form one stop ({f.GroupKind ?? "pair"}); the ATLAS platform matched the "
                    + "partner, so it is linked to this element too.";
        }

        if (type.StartsWith("distance_matching_1_", StringComparison.Ordinal))
        {
            return GroupProximity(f, type["distance_matching_1_".Length..], NearbyMeters);
        }

        if (type.StartsWith("long_distance_group_proximity_", StringComparison.Ordinal))
        {
            return GroupProximity(f, type["long_distance_group_proximity_".Length..], LongDistanceMeters);
        }

        if (type.Contains("direction", StringComparison.Ordinal) && type.StartsWith("route_", StringComparison.Ordinal))
        {
            return $"Route direction: the ATLAS platform's timetable and the OSM element's route relations run in the same direction "
                + $"(first stop → last stop), the element lies within {NearbyMeters} m, and no other pairing is as good for either side.";
        }

        if (type.StartsWith("route_", StringComparison.Ordinal))
        {
            return $"Routes: the ATLAS platform's timetable routes and the OSM element's route relations share routes in the same "
                + $"direction, the element lies within {NearbyMeters} m, and this pairing is the unique best for both sides.";
        }

        return $"Matched by the rule {type}.";
    }

    private static string GroupProximity(StopFacts f, string key, int radius)
    {
        var (label, value) = key switch
        {
            "uic_ref" => ("UIC number", f.AtlasUic ?? f.OsmUicRef),
            "uic_name" => ("name (ATLAS official name = OSM uic_name)", f.AtlasOfficialName),
            _ => ("name (ATLAS official name = OSM name)", f.AtlasOfficialName),
        };
        return $"Group proximity within {radius} m: among the ATLAS platforms and OSM elements with the same {label} ({value}), "
            + "the assignment that pairs the most stops with the smallest total distance linked these two.";
    }

    /// <summary>Each published problem in words, with the values of both sides the rule compared.</summary>
    public static string DescribeProblem(string problemType, int priority, StopFacts f) => problemType switch
    {
        "distance" => DescribeDistance(priority, f),
        "attributes" => DescribeAttributes(f),
        "contradicts_route_matching" =>
            "The ATLAS platform's timetable routes and the OSM element's route relations share no route in the same direction, "
            + "although both sides have some.",
        "unmatched" => f.HasAtlas ? DescribeUnmatchedAtlas(f) : DescribeUnmatchedOsm(f),
        "duplicates" => DescribeDuplicates(priority, f),
        // Without their evidence (StopCardQueries passes it to ProblemDescriptions): the problems page's generic lines.
        "route_unmatched" or "route_metadata" or "route_membership" => Problems.ProblemDescriptions.Describe(problemType, null, f.DistanceM) + ".",
        _ => $"Problem {problemType}.",
    };

    private static string DescribeDistance(int priority, StopFacts f)
    {
        var limit = priority switch { 1 => 80, 2 => 25, _ => 15 };
        var text = f.DistanceM is { } d
            ? $"The OSM element is {Meters(d)} from the ATLAS platform: more than {limit} m."
            : $"The OSM element is more than {limit} m from the ATLAS platform.";
        return IsSbb(f.AtlasOperator)
            ? text + " SBB platforms are flagged as minor only, because long trains put their mapped points legitimately far apart."
            : text;
    }

    private static string DescribeAttributes(StopFacts f)
    {
        var differences = Attributes(f).Where(a => a.Differs).Select(a => a.Attribute switch
        {
            "uic_ref" => $"OSM uic_ref {a.Osm}, ATLAS number {a.Atlas}",
            "name" => $"OSM uic_name \"{a.Osm}\", ATLAS official name \"{a.Atlas}\"",
            "local_ref" => $"OSM local_ref {a.Osm}, ATLAS designation {a.Atlas}",
            _ => $"OSM operator {a.Osm}, ATLAS operator {a.Atlas}",
        }).ToList();
        return differences.Count == 0
            ? "ATLAS and OSM attributes disagree."
            : "Attributes differ: " + string.Join("; ", differences) + ".";
    }

    private static string DescribeUnmatchedAtlas(StopFacts f)
    {
        var text = "No OSM element is matched to this ATLAS platform";
        if (f.AtlasUic is null)
        {
            text += ", which has no UIC number";
        }
        else if (f.OsmElementsWithAtlasUic == 0)
        {
            text += $"; no OSM element carries uic_ref {f.AtlasUic}";
        }
        else
        {
            text += string.Create(Invariant,
                $"; OSM elements with uic_ref {f.AtlasUic}: {f.OsmElementsWithAtlasUic}, ATLAS platforms with number {f.AtlasUic}: {f.AtlasRowsWithAtlasUic}");
        }

        return text + (f.MatchType == "no_nearby_counterpart" ? $"; no OSM element lies within {NearbyMeters} m." : ".");
    }

    private static string DescribeUnmatchedOsm(StopFacts f)
    {
        const string text = "No ATLAS platform is matched to this OSM element";
        if (f.OsmUicRef is null)
        {
            return text + "; it has no uic_ref.";
        }

        return f.AtlasRowsWithOsmUic == 0
            ? text + $"; no ATLAS platform has the number {f.OsmUicRef} of its uic_ref."
            : text + string.Create(Invariant,
                $"; ATLAS platforms with number {f.OsmUicRef}: {f.AtlasRowsWithOsmUic}, OSM elements with uic_ref {f.OsmUicRef}: {f.OsmElementsWithOsmUic}.");
    }

    // The detector reports the OSM-side duplicate (P3) in preference to the ATLAS-side one (P2), never both.
    private static string DescribeDuplicates(int priority, StopFacts f)
    {
        if (priority == 3 && f.HasOsm)
        {
            return string.Create(Invariant,
                $"OSM duplicate: {f.OsmElementsWithSameRefs} OSM elements carry uic_ref {f.OsmUicRef} and local_ref {f.OsmLocalRef}, and this platform belongs to no pair or trio: one of them is probably redundant or mistagged.");
        }

        var group = f.DuplicateGroupSloids.Count > 0 ? $" ({string.Join(", ", f.DuplicateGroupSloids)})" : "";
        var size = Math.Max(f.DuplicateGroupSloids.Count, 2);
        return string.Create(Invariant,
            $"ATLAS duplicate: {size} ATLAS platforms share the number {f.AtlasUic} and designation {f.AtlasDesignation}{group}, and this one received no match through its group.");
    }

    /// <summary>
    /// The four attributes the matching compares, for rows with both sides. <c>name</c> compares the official name with
    /// <c>uic_name</c> (the matching's rule) and with <c>name</c> when the element has no <c>uic_name</c>; <c>operator</c> shows
    /// the tag as mapped but compares its alias-normalised form, so a known spelling variant is no difference.
    /// </summary>
    public static IReadOnlyList<AttributeComparison> Attributes(StopFacts f)
    {
        if (!f.HasAtlas || !f.HasOsm)
        {
            return [];
        }

        var osmName = f.OsmUicName ?? f.OsmName;
        return
        [
            new("uic_ref", f.AtlasUic, f.OsmUicRef, Present(f.AtlasUic) && Present(f.OsmUicRef) && f.AtlasUic!.Trim() != f.OsmUicRef!.Trim()),
            new("local_ref", f.AtlasDesignation, f.OsmLocalRef, Differ(f.AtlasDesignation, f.OsmLocalRef)),
            new("name", f.AtlasOfficialName, osmName, Differ(f.AtlasOfficialName, osmName)),
            new("operator", f.AtlasOperator, f.OsmOperatorTag ?? f.OsmOperator, Differ(f.AtlasOperator, f.OsmOperator ?? f.OsmOperatorTag)),
        ];
    }

    /// <summary>
    /// Tags a mapper can add to the matched OSM element without overwriting anything: <c>uic_ref</c> when the element has
    /// none and ATLAS has a number, <c>local_ref</c> when it has neither <c>local_ref</c> nor <c>ref</c> and ATLAS has a
    /// designation. A value OSM already has, even a different one, is never suggested: that is a conflict for a person to
    /// resolve (the attributes problem), not a tag to add.
    /// </summary>
    public static IReadOnlyDictionary<string, string> MissingOsmTags(StopFacts f)
    {
        var tags = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (f.StopType != "matched" || !f.HasAtlas || !f.HasOsm)
        {
            return tags;
        }

        if (!Present(f.OsmUicRef) && Present(f.AtlasUic))
        {
            tags["uic_ref"] = f.AtlasUic!.Trim();
        }

        if (!Present(f.OsmLocalRef) && Present(f.AtlasDesignation))
        {
            tags["local_ref"] = f.AtlasDesignation!.Trim();
        }

        return tags;
    }

    public static bool IsSbb(string? operatorAbbreviation) =>
        string.Equals(operatorAbbreviation?.Trim(), "SBB", StringComparison.OrdinalIgnoreCase);

    private static bool Present(string? value) => !string.IsNullOrWhiteSpace(value);

    private static bool Differ(string? a, string? b) => Present(a) && Present(b) && !SameText(a!, b!);

    private static bool SameText(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);

    private static string Meters(double meters) => string.Create(Invariant, $"{meters:0.0} m");
}
