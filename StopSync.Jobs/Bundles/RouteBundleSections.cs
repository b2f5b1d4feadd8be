using System.Globalization;
using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Matching.Routes;
using StopSync.Jobs.Publication;
using StopSync.Jobs.Sources.Gtfs;

namespace StopSync.Jobs.Bundles;

/// <summary>
/// The route matching's result in the <c>routes</c> section and the GTFS stops in <c>gtfs_stops</c> extension rows
/// (docs/04-pipeline.md#result-bundle), and the checks that refuse, with the line, what the route tables or the
/// loader would refuse later.
/// </summary>
internal static class RouteBundleSections
{
    // Route problems travel in the problems section with the stop problems; their types share this prefix.
    private const string RouteProblemPrefix = "route_";

    // The widths of the route tables' columns (StopSync.Data/Routes).
    private const int OriginWidth = 32;
    private const int ModeWidth = 16;
    private const int MethodWidth = 32;
    private const int ReasonWidth = 64;

    private static readonly Dictionary<string, GtfsIdentityLevel> IdentityLevels =
        Enum.GetValues<GtfsIdentityLevel>().ToDictionary(GtfsLabels.Of, StringComparer.Ordinal);

    private static readonly Dictionary<string, GtfsResolutionMethod> Methods =
        Enum.GetValues<GtfsResolutionMethod>().ToDictionary(GtfsLabels.Of, StringComparer.Ordinal);

    /// <summary>Nothing when route matching produced no family (capability <c>routes</c> false).</summary>
    public static IEnumerable<RouteRow> RouteRows(RouteMatchingOutput? routes)
    {
        if (routes is null || routes.Families.Count == 0)
        {
            yield break;
        }

        foreach (var family in routes.Families)
        {
            yield return new RouteRow(ResultBundleFormat.LineFamilyKind, family);
        }

        foreach (var match in routes.FamilyMatches)
        {
            yield return new RouteRow(ResultBundleFormat.LineFamilyMatchKind, match);
        }

        foreach (var match in routes.ItineraryMatches)
        {
            yield return new RouteRow(ResultBundleFormat.ItineraryMatchKind, match);
        }

        yield return new RouteRow(ResultBundleFormat.RouteSummaryKind, routes.Summary);
    }

    public static bool HasRoutes(RouteMatchingOutput? routes) => routes is { Families.Count: > 0 };

    public static bool HasGtfsStops(GtfsStopIdentities? gtfs) => gtfs is { Stops.Count: > 0 };

    public static IEnumerable<ExtensionRow> GtfsStopRows(GtfsStopIdentities? gtfs)
    {
        if (gtfs is null)
        {
            yield break;
        }

        if (gtfs.Stops.Count != gtfs.Resolutions.Count)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"{gtfs.Stops.Count} GTFS stops but {gtfs.Resolutions.Count} resolutions: the two lists are not aligned."));
        }

        for (var k = 0; k < gtfs.Stops.Count; k++)
        {
            var s = gtfs.Stops[k];
            var r = gtfs.Resolutions[k];
            if (!string.Equals(s.StopId, r.StopId, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"GTFS stop {s.StopId} is paired with the resolution of {r.StopId}: the two lists are not aligned.");
            }

            yield return new ExtensionRow(ResultBundleFormat.GtfsStopsKind, null, new GtfsStopRow(
                s.StopId, s.StopName, s.Lat, s.Lon, s.StopCode, s.UicNumber, s.LocalRef, s.NormalizedLocalRef, s.PlatformCode, s.OriginalStopId,
                s.LocationType, s.ParentStation, s.Didok, GtfsLabels.Of(s.IdentityLevel), r.MethodLabel, r.Confidence, r.DistanceMeters, r.Sloids));
        }
    }

    /// <summary>Null for a bundle without route rows (written before route matching, or by a run that produced no family).</summary>
    public static RouteMatchingOutput? ReadRoutes(List<(long Line, RouteRow Row)> rows, IReadOnlyList<DetectedProblem> problems)
    {
        if (rows.Count == 0)
        {
            return null;
        }

        var families = new List<LineFamily>();
        var familyIds = new HashSet<(string, string)>();
        var itineraryFamilies = new Dictionary<(string, string), string>();
        var familyMatches = new List<(long Line, LineFamilyMatch Match)>();
        var itineraryMatches = new List<(long Line, ItineraryMatch Match)>();
        RouteMatchingSummary? summary = null;
        foreach (var (line, row) in rows)
        {
            switch (row.Kind)
            {
                case ResultBundleFormat.LineFamilyKind:
                    var family = row.Value as LineFamily ?? throw NoValue(line, row.Kind);
                    RequireFamily(family, line, familyIds, itineraryFamilies);
                    families.Add(family);
                    break;
                case ResultBundleFormat.LineFamilyMatchKind:
                    familyMatches.Add((line, row.Value as LineFamilyMatch ?? throw NoValue(line, row.Kind)));
                    break;
                case ResultBundleFormat.ItineraryMatchKind:
                    itineraryMatches.Add((line, row.Value as ItineraryMatch ?? throw NoValue(line, row.Kind)));
                    break;
                case ResultBundleFormat.RouteSummaryKind:
                    if (summary is not null)
                    {
                        throw Error(line, "a second route_summary row; the section has one");
                    }

                    summary = row.Value as RouteMatchingSummary ?? throw NoValue(line, row.Kind);
                    break;
                default:
                    throw Error(line, $"unknown kind '{row.Kind}' (expected line_family, line_family_match, itinerary_match or route_summary)");
            }
        }

        var matchedPairs = RequireFamilyMatches(familyMatches, familyIds);
        RequireItineraryMatches(itineraryMatches, matchedPairs, itineraryFamilies);
        if (summary is null)
        {
            throw new ResultBundleException($"{ResultBundleFormat.FileName(ResultBundleFormat.Routes)}: the section has route rows but no route_summary row.");
        }

        summary = summary with { FamiliesByMethod = summary.FamiliesByMethod ?? [], ProblemsByType = summary.ProblemsByType ?? [] };
        return new RouteMatchingOutput(
            families,
            [.. familyMatches.Select(m => m.Match)],
            [.. itineraryMatches.Select(m => m.Match)],
            [.. problems.Where(p => p.Type.StartsWith(RouteProblemPrefix, StringComparison.Ordinal))],
            summary);
    }

    /// <summary>Null for a bundle without <c>gtfs_stops</c> rows; the other extension rows are the run's figures, not read back.</summary>
    public static GtfsStopIdentities? ReadGtfsStops(List<(long Line, ExtensionRow Row)> rows)
    {
        var stops = new List<GtfsStop>();
        var resolutions = new List<GtfsStopResolution>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (line, row) in rows)
        {
            if (row.Kind != ResultBundleFormat.GtfsStopsKind)
            {
                continue;
            }

            var s = row.GtfsStop ?? throw ResultBundleReader.Error(ResultBundleFormat.Extensions, line, "the gtfs_stops row has no value");
            string? error = string.IsNullOrEmpty(s.StopId) ? "the GTFS stop has no stop_id"
                : !ids.Add(s.StopId) ? $"the GTFS stop '{s.StopId}' appears twice"
                : s.StopName is null ? $"GTFS stop '{s.StopId}' has no stop_name"
                : s.IdentityLevel is null || !IdentityLevels.ContainsKey(s.IdentityLevel) ? $"GTFS stop '{s.StopId}': identity_level '{s.IdentityLevel}' is not one of {string.Join(", ", IdentityLevels.Keys)}"
                : s.ResolutionMethod is null || !Methods.ContainsKey(s.ResolutionMethod) ? $"GTFS stop '{s.StopId}': resolution_method '{s.ResolutionMethod}' is not one of {string.Join(", ", Methods.Keys)}"
                : !double.IsFinite(s.Confidence) || s.DistanceM is { } d && !double.IsFinite(d) ? $"GTFS stop '{s.StopId}': confidence and distance_m must be finite numbers"
                : s.Sloids is null || s.Sloids.Any(string.IsNullOrEmpty) ? $"GTFS stop '{s.StopId}': sloids must be a list of SLOIDs"
                : null;
            if (error is not null)
            {
                throw ResultBundleReader.Error(ResultBundleFormat.Extensions, line, error);
            }

            ResultBundleReader.RequireCoordinates(s.Lat, s.Lon, ResultBundleFormat.Extensions, line);
            stops.Add(new GtfsStop(s.StopId, s.StopName!, s.Lat, s.Lon, s.StopCode, s.UicNumber, s.LocalRef, s.NormalizedLocalRef, s.PlatformCode,
                s.OriginalStopId, s.LocationType, s.ParentStation, s.Didok, IdentityLevels[s.IdentityLevel!]));
            resolutions.Add(new GtfsStopResolution(s.StopId, s.Sloids!, Methods[s.ResolutionMethod!], s.Confidence, s.DistanceM));
        }

        return stops.Count == 0 ? null : new GtfsStopIdentities(stops, resolutions);
    }

    private static void RequireFamily(
        LineFamily f, long line, HashSet<(string, string)> familyIds, Dictionary<(string, string), string> itineraryFamilies)
    {
        var name = $"line family {f.Source}:{f.FamilyId}";
        var error = f.Source is not (RouteSides.Atlas or RouteSides.Osm) ? $"{name}: source '{f.Source}' is neither '{RouteSides.Atlas}' nor '{RouteSides.Osm}'"
            : string.IsNullOrEmpty(f.FamilyId) ? "the line family has no family_id"
            : !familyIds.Add((f.Source, f.FamilyId)) ? $"{name} appears twice"
            : Width(f.FamilyOrigin, OriginWidth) is { } origin ? $"{name}: family_origin {origin}"
            : Width(f.Mode, ModeWidth) is { } mode ? $"{name}: mode {mode}"
            : string.IsNullOrEmpty(f.DisplayRouteId) ? $"{name} has no display_route_id"
            : f.Itineraries is null ? $"{name} has no itineraries list"
            : null;
        if (error is not null)
        {
            throw Error(line, error);
        }

        // Checked above: a family read from JSON can lack a list its record declares non-null.
        foreach (var i in f.Itineraries!)
        {
            RequireItinerary(f, i, name, line, itineraryFamilies);
        }
    }

    private static void RequireItinerary(LineFamily f, Itinerary i, string family, long line, Dictionary<(string, string), string> itineraryFamilies)
    {
        if (i is null || string.IsNullOrEmpty(i.ItineraryId))
        {
            throw Error(line, $"{family}: an itinerary has no itinerary_id");
        }

        var name = $"{family}, itinerary {i.ItineraryId}";
        var error = !itineraryFamilies.TryAdd((f.Source, i.ItineraryId), f.FamilyId)
                ? $"{name}: the {f.Source} itinerary id is already used by family {itineraryFamilies[(f.Source, i.ItineraryId)]}"
            : i.DirectionId is not (null or "0" or "1") ? $"{name}: direction_id '{i.DirectionId}' is not 0, 1 or absent"
            : i.TripCount < 0 ? $"{name}: trip_count is negative"
            : i.Calls is null ? $"{name} has no calls list"
            : null;
        if (error is not null)
        {
            throw Error(line, error);
        }

        var calls = i.Calls!;
        for (var k = 0; k < calls.Count; k++)
        {
            var c = calls[k];
            var call = string.Create(CultureInfo.InvariantCulture, $"{name}, call {k + 1}");
            var callError = c is null ? $"{call} is null"
                : c.Sequence != k + 1 ? string.Create(CultureInfo.InvariantCulture, $"{call} has sequence {c.Sequence} (calls are numbered 1, 2, 3… in order)")
                : string.IsNullOrEmpty(c.SourceStopId) ? $"{call} has no source_stop_id"
                : c.StopKeys is not { Count: > 0 } || c.StopKeys.Any(string.IsNullOrEmpty) ? $"{call} has no stop_keys (every call has at least one)"
                : c.SloidVariants is null ? $"{call} has no sloid_variants list"
                : c.Label is null ? $"{call} has no label"
                : null;
            if (callError is not null)
            {
                throw Error(line, callError);
            }

            ResultBundleReader.RequireCoordinates(c!.Lat, c.Lon, ResultBundleFormat.Routes, line);
        }
    }

    private static HashSet<(string, string)> RequireFamilyMatches(List<(long Line, LineFamilyMatch Match)> matches, HashSet<(string, string)> familyIds)
    {
        var pairs = new HashSet<(string, string)>();
        var matched = new HashSet<(string, string)>();
        foreach (var (line, m) in matches)
        {
            var name = $"the family match {m.AtlasFamilyId} ↔ {m.OsmFamilyId}";
            var error = !familyIds.Contains((RouteSides.Atlas, m.AtlasFamilyId ?? "")) ? $"{name} names ATLAS family '{m.AtlasFamilyId}', which is not in the section"
                : !familyIds.Contains((RouteSides.Osm, m.OsmFamilyId ?? "")) ? $"{name} names OSM family '{m.OsmFamilyId}', which is not in the section"
                : !matched.Add((RouteSides.Atlas, m.AtlasFamilyId!)) ? $"{name}: ATLAS family '{m.AtlasFamilyId}' is matched twice (family matches are one to one)"
                : !matched.Add((RouteSides.Osm, m.OsmFamilyId!)) ? $"{name}: OSM family '{m.OsmFamilyId}' is matched twice (family matches are one to one)"
                : Width(m.Method, MethodWidth) is { } method ? $"{name}: method {method}"
                : !double.IsFinite(m.Score) ? $"{name}: score is not a finite number"
                : null;
            if (error is not null)
            {
                throw Error(line, error);
            }

            pairs.Add((m.AtlasFamilyId!, m.OsmFamilyId!));
        }

        return pairs;
    }

    private static void RequireItineraryMatches(
        List<(long Line, ItineraryMatch Match)> matches, HashSet<(string, string)> familyPairs, Dictionary<(string, string), string> itineraryFamilies)
    {
        var matched = new HashSet<(string, string)>();
        foreach (var (line, m) in matches)
        {
            var name = $"the itinerary match {m.AtlasItineraryId} ↔ {m.OsmItineraryId}";
            var error = !familyPairs.Contains((m.AtlasFamilyId ?? "", m.OsmFamilyId ?? "")) ? $"{name}: families {m.AtlasFamilyId} and {m.OsmFamilyId} are not matched"
                : itineraryFamilies.GetValueOrDefault((RouteSides.Atlas, m.AtlasItineraryId ?? "")) != m.AtlasFamilyId
                    ? $"{name}: '{m.AtlasItineraryId}' is not an itinerary of ATLAS family {m.AtlasFamilyId}"
                : itineraryFamilies.GetValueOrDefault((RouteSides.Osm, m.OsmItineraryId ?? "")) != m.OsmFamilyId
                    ? $"{name}: '{m.OsmItineraryId}' is not an itinerary of OSM family {m.OsmFamilyId}"
                : !matched.Add((RouteSides.Atlas, m.AtlasItineraryId!)) ? $"{name}: ATLAS itinerary '{m.AtlasItineraryId}' is matched twice"
                : !matched.Add((RouteSides.Osm, m.OsmItineraryId!)) ? $"{name}: OSM itinerary '{m.OsmItineraryId}' is matched twice"
                : !double.IsFinite(m.DirectionScore) || !double.IsFinite(m.StopScore) || !double.IsFinite(m.OverallScore)
                    || m.GeometryScore is { } g && !double.IsFinite(g) ? $"{name}: the scores must be finite numbers"
                : m.MatchedStops < 0 ? $"{name}: matched_stops is negative"
                : Width(m.MatchReason, ReasonWidth) is { } reason ? $"{name}: match_reason {reason}"
                : null;
            if (error is not null)
            {
                throw Error(line, error);
            }
        }
    }

    /// <summary>Why a required text does not fit its column, or null when it does.</summary>
    private static string? Width(string? value, int width) =>
        string.IsNullOrEmpty(value) ? "is missing"
        : value.Length > width ? string.Create(CultureInfo.InvariantCulture, $"'{value}' is longer than {width} characters")
        : null;

    private static ResultBundleException NoValue(long line, string kind) => Error(line, $"the {kind} row has no value");

    private static ResultBundleException Error(long line, string message) => ResultBundleReader.Error(ResultBundleFormat.Routes, line, message);
}
