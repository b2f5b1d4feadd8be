using System.Globalization;
using System.Text;
using System.Text.Json;
using nietras.SeparatedValues;
using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Matching.Routes;

namespace StopSync.Jobs.Matching;

/// <summary>The files of the <c>match</c> command (docs/07-matching.md#commands), CSV quoted as in RFC 4180.</summary>
public static class MatchOutputWriter
{
    public const string MatchesFile = "matches.csv";
    public const string UnmatchedFile = "unmatched.csv";
    public const string ProblemsFile = "problems.csv";
    public const string StopUnitsFile = "stop_units.csv";
    public const string SummaryFile = "summary.json";
    public const string RoutesFile = "routes.csv";
    public const string RoutesHeader = "family_atlas,family_osm,itinerary_atlas,itinerary_osm,stop_score,match_reason";
    public const string RouteProblemsFile = "route_problems.csv";
    public const string RouteProblemsHeader = "problem_type,priority,sloid,osm_id,line,atlas_family,osm_family,kind";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <param name="routes">With a timetable: the route matching, written as <see cref="RoutesFile"/>.</param>
    public static void Write(string directory, MatchingOutput output, MatchingOptions options, RouteMatchingOutput? routes = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(directory);
        WriteCsv(Path.Combine(directory, MatchesFile), "sloid,osm_id,match_type,distance_m",
            output.Matches.Select(m => new[] { m.Sloid, m.OsmId, m.MatchType, m.DistanceMeters.ToString("F2", CultureInfo.InvariantCulture) }));
        WriteCsv(Path.Combine(directory, UnmatchedFile), "side,id,isolated",
            output.UnmatchedAtlas.Select(u => new[] { "atlas", u.Sloid, Bool(u.Isolated) })
                .Concat(output.UnmatchedOsm.Select(u => new[] { "osm", u.OsmId, Bool(u.Isolated) })));
        WriteCsv(Path.Combine(directory, ProblemsFile), "problem_type,priority,sloid,osm_id",
            output.Problems.Select(p => new[] { p.Type, p.Priority.ToString(CultureInfo.InvariantCulture), p.Sloid ?? "", p.OsmId ?? "" }));
        WriteCsv(Path.Combine(directory, StopUnitsFile), "unit_id,kind,group_kind,osm_id,role",
            output.StopUnits.SelectMany(u => u.Members.Select(m => new[] { u.UnitId, u.Kind, u.GroupKind ?? "", m.OsmId, m.Role })));
        WriteSummary(Path.Combine(directory, SummaryFile), output, options);
        if (routes is not null)
        {
            WriteCsv(Path.Combine(directory, RoutesFile), RoutesHeader, RouteRows(routes));
            // Apart from problems.csv, which keeps the stop problems upstream's tools compare.
            WriteCsv(Path.Combine(directory, RouteProblemsFile), RouteProblemsHeader, routes.Problems.Select(p => new[]
            {
                p.Type, p.Priority.ToString(CultureInfo.InvariantCulture), p.Sloid ?? "", p.OsmId ?? "",
                p.Evidence?.Line ?? "", p.Evidence?.AtlasFamily ?? "", p.Evidence?.OsmFamily ?? "", p.Evidence?.Kind ?? "",
            }));
        }
    }

    /// <summary>
    /// One row per itinerary match; a family match without any gives one row with empty itinerary columns and the family
    /// method as its reason. Ordered by ATLAS family, then ATLAS itinerary (ordinal).
    /// </summary>
    private static IEnumerable<string[]> RouteRows(RouteMatchingOutput routes)
    {
        var withItineraries = routes.ItineraryMatches.Select(m => (m.AtlasFamilyId, m.OsmFamilyId)).ToHashSet();
        return routes.ItineraryMatches
            .Select(m => new[] { m.AtlasFamilyId, m.OsmFamilyId, m.AtlasItineraryId, m.OsmItineraryId, Score(m.StopScore), m.MatchReason })
            .Concat(routes.FamilyMatches.Where(f => !withItineraries.Contains((f.AtlasFamilyId, f.OsmFamilyId)))
                .Select(f => new[] { f.AtlasFamilyId, f.OsmFamilyId, "", "", "", f.Method }))
            .OrderBy(r => r[0], StringComparer.Ordinal)
            .ThenBy(r => r[2], StringComparer.Ordinal);
    }

    // At most four decimals, no trailing zeros: 1, 0.8, 0.6667.
    private static string Score(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Bool(bool value) => value ? "true" : "false";

    private static void WriteCsv(string path, string header, IEnumerable<string[]> rows)
    {
        var columns = header.Split(',');
        using var file = new StreamWriter(path, false, Utf8, 1 << 16) { NewLine = "\n" };
        // Escape: a value holding a comma, a quote or a line break is quoted, its quotes doubled (RFC 4180).
        using var writer = Sep.New(',').Writer(o => o with { Escape = true }).To(file);
        writer.Header.Add(columns);
        writer.Header.Write();
        foreach (var values in rows)
        {
            using var row = writer.NewRow();
            for (var k = 0; k < columns.Length; k++)
            {
                row[k].Set(values[k]);
            }
        }
    }

    private static void WriteSummary(string path, MatchingOutput output, MatchingOptions options)
    {
        var s = output.Summary;
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteNumber("atlas_platforms", s.AtlasPlatforms);
        json.WriteNumber("osm_elements", s.OsmElements);
        json.WriteNumber("stop_units", s.StopUnits);
        json.WriteNumber("matched_pairs", s.MatchedPairs);
        json.WriteNumber("matched_atlas", s.MatchedAtlas);
        json.WriteNumber("match_rate", Math.Round(s.MatchRate, 6));
        json.WriteNumber("unmatched_atlas", s.UnmatchedAtlas);
        json.WriteNumber("unmatched_osm", s.UnmatchedOsm);
        json.WriteNumber("isolated_atlas", s.IsolatedAtlas);
        json.WriteNumber("isolated_osm", s.IsolatedOsm);
        json.WriteNumber("effectively_matched_osm", s.EffectivelyMatchedOsm);
        json.WriteNumber("not_matched_to_nearest", s.NotMatchedToNearest);
        json.WriteNumber("osm_elements_with_several_atlas", s.OsmElementsWithSeveralAtlas);
        json.WriteNumber("atlas_with_several_osm", s.AtlasWithSeveralOsm);

        json.WriteStartObject("by_match_type");
        foreach (var (type, count) in s.ByMatchType)
        {
            json.WriteNumber(type, count);
        }

        json.WriteEndObject();
        json.WriteStartObject("distance_by_match_type");
        foreach (var (type, stats) in s.DistanceByMatchType)
        {
            json.WriteStartObject(type);
            json.WriteNumber("count", stats.Count);
            json.WriteNumber("mean_m", Math.Round(stats.Mean, 2));
            json.WriteNumber("median_m", Math.Round(stats.Median, 2));
            json.WriteNumber("p95_m", Math.Round(stats.P95, 2));
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteStartObject("stop_units_by_group_kind");
        foreach (var (kind, count) in s.StopUnitsByGroupKind)
        {
            json.WriteNumber(kind, count);
        }

        json.WriteEndObject();
        json.WriteStartObject("problems");
        foreach (var (type, counts) in s.Problems)
        {
            json.WriteStartObject(type);
            json.WriteNumber("P1", counts.P1);
            json.WriteNumber("P2", counts.P2);
            json.WriteNumber("P3", counts.P3);
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteStartObject("options");
        json.WriteBoolean("name_alias_multiplicity", options.NameAliasMultiplicity);
        json.WriteBoolean("exact_postpass", options.ExactPostpass);
        json.WriteEndObject();
        json.WriteStartArray("diagnostics");
        foreach (var diagnostic in output.Diagnostics)
        {
            json.WriteStringValue(diagnostic);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
