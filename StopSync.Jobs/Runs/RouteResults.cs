using System.Globalization;
using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Matching.Routes;
using StopSync.Jobs.Publication;
using StopSync.Jobs.Sources.Gtfs;
using StopSync.Jobs.Sources.Osm;

namespace StopSync.Jobs.Runs;

/// <summary>The <c>route_matching</c> phase's work: <see cref="RouteMatching.Run"/> unless a test makes it fail.</summary>
public delegate RouteMatchingOutput RouteMatchingStep(GtfsReadResult gtfs, OsmReadResult osm, MatchingOutput stops);

/// <summary>How the route matching's output joins the stop matching's in what a run publishes (docs/04-pipeline.md).</summary>
internal static class RouteResults
{
    /// <summary>
    /// One list in the stop problems' order (priority, type, id). A problem id is the key reviewers' decisions hang on,
    /// so a route problem that took the id of another problem stops the run here, before anything is written.
    /// </summary>
    public static IReadOnlyList<DetectedProblem> MergeProblems(IReadOnlyList<DetectedProblem> stops, IReadOnlyList<DetectedProblem> routes)
    {
        ArgumentNullException.ThrowIfNull(stops);
        ArgumentNullException.ThrowIfNull(routes);
        if (routes.Count == 0)
        {
            return stops;
        }

        var byId = new Dictionary<string, DetectedProblem>(stops.Count + routes.Count, StringComparer.Ordinal);
        foreach (var problem in stops.Concat(routes))
        {
            if (!byId.TryAdd(problem.Id, problem))
            {
                var first = byId[problem.Id];
                throw new InvalidOperationException(
                    $"Route matching reported the problem id {problem.Id} ({problem.Type}, {Where(problem)}), which {first.Type} ({Where(first)}) already has: "
                    + "problem ids must be unique, so the run stops before writing its result.");
            }
        }

        return [.. byId.Values
            .OrderBy(p => p.Priority)
            .ThenBy(p => p.Type, StringComparer.Ordinal)
            .ThenBy(p => p.Id, StringComparer.Ordinal)];
    }

    public static PublicationInput Publication(
        MatchingOutput stops, IReadOnlyList<DetectedProblem> problems, RouteMatchingOutput routes, GtfsStopIdentities? gtfs) =>
        PublicationInput.From(stops) with { Problems = problems, Routes = routes, GtfsIdentity = gtfs };

    /// <summary>The timetable's Swiss stops and what each resolved to; null without any (as a bundle reads back).</summary>
    public static GtfsStopIdentities? GtfsIdentity(GtfsReadResult gtfs) =>
        gtfs.Stops.Count == 0 ? null : new GtfsStopIdentities(gtfs.Stops, gtfs.Resolutions);

    /// <summary>The phase's counts on the status page.</summary>
    public static Dictionary<string, long> Counts(RouteMatchingOutput routes) => new()
    {
        ["atlas_families"] = routes.Families.Count(f => f.Source == RouteSides.Atlas),
        ["osm_families"] = routes.Families.Count(f => f.Source == RouteSides.Osm),
        ["itineraries"] = routes.Families.Sum(f => (long)f.Itineraries.Count),
        ["family_matches"] = routes.FamilyMatches.Count,
        ["itinerary_matches"] = routes.ItineraryMatches.Count,
        ["route_problems"] = routes.Problems.Count,
    };

    private static string Where(DetectedProblem p) =>
        string.Create(CultureInfo.InvariantCulture, $"sloid {p.Sloid ?? "-"}, OSM {p.OsmId ?? "-"}");
}
