using System.ComponentModel;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using StopSync.Web.Infrastructure;

namespace StopSync.Web.Pages.Routes;

/// <summary>The JSON API of the route pages (docs/05-api.md, "Routes").</summary>
public static class RouteEndpoints
{
    public const string Tag = "Routes";
    public const int MaxQueryLength = 255;
    public const int DefaultPerPage = 30;
    public const int MaxPerPage = 100;
    public const int MaxBestIds = 100;
    public const int MaxRouteIdLength = 100;

    /// <summary>A line calls at a few hundred stops at most; the cap keeps a mistaken id from reading a whole network.</summary>
    public const int MaxRouteStops = 2000;

    private static readonly string[] GetAndHead = [HttpMethods.Get, HttpMethods.Head];

    public static IServiceCollection AddRoutePages(this IServiceCollection services)
    {
        services.AddOptions<RouteOptions>().BindConfiguration(RouteOptions.SectionName)
            .Validate(o => o.LockTimeoutMilliseconds >= 1 && o.StatementTimeoutMilliseconds >= 1, "Routes time limits must be at least 1 ms")
            .ValidateOnStart();
        services.AddSingleton<RouteQueries>();
        services.AddSingleton<RouteAvailability>();
        services.AddSingleton<RouteGuardFilter>();
        // After AddRazorPages' own set-up, which replaces the convention collection.
        services.PostConfigure<Microsoft.AspNetCore.Mvc.RazorPages.RazorPagesOptions>(o =>
            o.Conventions.AddFolderApplicationModelConvention("/Routes", model => model.Filters.Add(new ServiceFilterAttribute(typeof(RouteGuardFilter)))));
        return services;
    }

    public static void MapRouteEndpoints(this IEndpointRouteBuilder app)
    {
        // HEAD answers like GET (Kestrel drops the body), as it does for pages and static files.
        var api = app.MapGroup("/api").WithTags(Tag);
        api.MapMethods("/routes/comparison", GetAndHead, GetComparisonAsync).WithName("GetRouteComparison")
            .WithSummary("Two itineraries' ordered stop calls aligned side by side, with their differences and the stop score.");
        api.MapMethods("/routes/comparison/options", GetAndHead, GetComparisonOptionsAsync).WithName("GetRouteComparisonOptions")
            .WithSummary("One page of itineraries to compare with; best fit first when a fixed itinerary is given.");
        api.MapMethods("/routes/comparison/best", GetAndHead, GetComparisonBestAsync).WithName("GetRouteComparisonBest")
            .WithSummary("For each itinerary, the itinerary of the other side that shares most of its stops in order.");
        api.MapMethods("/route_stops", GetAndHead, GetRouteStopsAsync).WithName("GetRouteStops")
            .WithSummary("The distinct stops of a line (either side), optionally of one direction.")
            .RequireRateLimiting(RateLimitPolicies.RouteStops);
        api.MapMethods("/osm_route_operators", GetAndHead, GetOsmRouteOperatorsAsync).WithName("GetOsmRouteOperators")
            .WithSummary("Distinct operator values of the OSM route families.")
            .RequireRateLimiting(RateLimitPolicies.RouteOperators);
    }

    internal static async Task<Results<Ok<ComparisonResponse>, ProblemHttpResult>> GetComparisonAsync(
        [FromQuery(Name = "atlas_itinerary_id"), Description("Id of the ATLAS (timetable) itinerary, 1 to 2147483647.")] string? atlasItineraryId,
        [FromQuery(Name = "osm_itinerary_id"), Description("Id of the OSM itinerary (route relation), 1 to 2147483647.")] string? osmItineraryId,
        RouteQueries queries, CancellationToken ct)
    {
        if (!TryId("atlas_itinerary_id", atlasItineraryId, out var atlasId, out var error) || !TryId("osm_itinerary_id", osmItineraryId, out var osmId, out error))
        {
            return error!;
        }

        if (atlasId is null && osmId is null)
        {
            return ErrorResponses.InvalidParameter("atlas_itinerary_id", "Give atlas_itinerary_id, osm_itinerary_id or both.");
        }

        var sides = new Dictionary<string, (ItinerarySummary Itinerary, IReadOnlyList<StopCallView> Calls)?>();
        foreach (var (source, id) in new[] { ("atlas", atlasId), ("osm", osmId) })
        {
            if (id is not { } value)
            {
                sides[source] = null;
                continue;
            }

            var side = await queries.ItineraryAsync(value, ct);
            if (side is null || side.Value.Itinerary.Source != source)
            {
                return NotFound($"No {(source == "atlas" ? "ATLAS" : "OSM")} itinerary with id {value}.");
            }

            sides[source] = side;
        }

        var atlas = sides["atlas"];
        var osm = sides["osm"];
        var atlasCalls = atlas?.Calls ?? [];
        var osmCalls = osm?.Calls ?? [];
        var alignment = RouteAlignment.Align([.. atlasCalls.Select(c => c.StopKeys)], [.. osmCalls.Select(c => c.StopKeys)]);
        var rows = alignment.Rows
            .Select(r => new ComparisonRow(r.AtlasIndex is { } a ? atlasCalls[a] : null, r.OsmIndex is { } o ? osmCalls[o] : null, r.Status))
            .ToList();
        var both = atlas is not null && osm is not null;
        var direction = atlas?.Itinerary.DirectionId is { } ad && osm?.Itinerary.DirectionId is { } od ? (ad == od ? "match" : "conflict") : "unknown";
        var saved = both ? await queries.SavedMatchAsync(atlasId!.Value, osmId!.Value, ct) : null;
        var differences = rows.Where(r => r.Status is not (CallStatus.Same or CallStatus.Unpaired))
            .GroupBy(r => r.Status).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());
        return TypedResults.Ok(new ComparisonResponse(
            atlas?.Itinerary, osm?.Itinerary, rows, alignment.Matched, atlasCalls.Count, osmCalls.Count,
            both ? alignment.Score(atlasCalls.Count, osmCalls.Count) : null, direction, saved, differences));
    }

    internal static async Task<Results<Ok<ComparisonOptionsResponse>, ProblemHttpResult>> GetComparisonOptionsAsync(
        [Description("atlas or osm: the side the candidates come from.")] string? source,
        [Description("Text searched in route ids, refs, names and itinerary names (at most 255 characters).")] string? q,
        [FromQuery(Name = "fixed_itinerary_id"), Description("An itinerary of the other side: candidates are ranked by how well they fit it.")] string? fixedItineraryId,
        [Description("1: only itineraries without a match; 0: all. Default 1, or 0 when fixed_itinerary_id is given.")] string? unmatched,
        [Description("Page, from 1 (default 1).")] string? page,
        [FromQuery(Name = "per_page"), Description("Candidates per page, 1-100 (default 30).")] string? perPage,
        [FromQuery(Name = "anchor_id"), Description("An itinerary whose page is returned instead of page (without q).")] string? anchorId,
        RouteQueries queries, CancellationToken ct)
    {
        var side = source?.Trim().ToLowerInvariant();
        if (side is not ("atlas" or "osm"))
        {
            return ErrorResponses.InvalidParameter("source", $"source must be atlas or osm; got '{Shorten(source ?? "")}'.");
        }

        var text = (q ?? "").Trim();
        if (text.Length > MaxQueryLength)
        {
            return ErrorResponses.InvalidParameter("q", $"q must be at most {MaxQueryLength} characters.");
        }

        if (!TryId("fixed_itinerary_id", fixedItineraryId, out var fixedId, out var error) || !TryId("anchor_id", anchorId, out var anchor, out error))
        {
            return error!;
        }

        var onlyUnmatched = fixedId is null;
        if (!string.IsNullOrEmpty(unmatched))
        {
            if (unmatched.Trim() is not ("0" or "1"))
            {
                return ErrorResponses.InvalidParameter("unmatched", $"unmatched must be 0 or 1; got '{Shorten(unmatched)}'.");
            }

            onlyUnmatched = unmatched.Trim() == "1";
        }

        if (!TryBounded("page", page, 1, int.MaxValue, 1, out var pageNumber, out error) || !TryBounded("per_page", perPage, 1, MaxPerPage, DefaultPerPage, out var size, out error))
        {
            return error!;
        }

        if (fixedId is { } f)
        {
            var fixedSide = await queries.ItineraryAsync(f, ct);
            if (fixedSide is null)
            {
                return NotFound($"No itinerary with id {f}.");
            }

            if (fixedSide.Value.Itinerary.Source == side)
            {
                return ErrorResponses.InvalidParameter("fixed_itinerary_id", $"fixed_itinerary_id must name an itinerary of the other side than source={side}.");
            }
        }

        return TypedResults.Ok(await queries.OptionsAsync(side, text, onlyUnmatched, pageNumber, size, anchor, fixedId, ct));
    }

    internal static async Task<Results<Ok<ComparisonBestResponse>, ProblemHttpResult>> GetComparisonBestAsync(
        HttpRequest request, RouteQueries queries, CancellationToken ct)
    {
        // itinerary_id: repeated or comma-separated, 1 to 100 ids. Read from the query, so that its absence is this 400.
        var raw = request.Query["itinerary_id"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();
        if (raw.Count == 0)
        {
            return ErrorResponses.InvalidParameter("itinerary_id", "itinerary_id is required: one to 100 itinerary ids.");
        }

        var ids = new List<long>();
        foreach (var value in raw)
        {
            if (!TryId("itinerary_id", value, out var id, out var error))
            {
                return error!;
            }

            if (!ids.Contains(id!.Value))
            {
                ids.Add(id.Value);
            }
        }

        if (ids.Count > MaxBestIds)
        {
            return ErrorResponses.InvalidParameter("itinerary_id", $"itinerary_id takes at most {MaxBestIds} ids; got {ids.Count}.");
        }

        var best = await queries.BestAsync(ids, ct);
        return best is null
            ? NotFound("An itinerary_id names no itinerary.")
            : TypedResults.Ok(new ComparisonBestResponse(best.ToDictionary(p => p.Key.ToString(CultureInfo.InvariantCulture), p => p.Value)));
    }

    internal static async Task<Results<Ok<RouteStopsResponse>, ProblemHttpResult>> GetRouteStopsAsync(
        [FromQuery(Name = "route_id"), Description("A GTFS route id (any timetable year), a display route id or an OSM family's route id.")] string? routeId,
        [Description("0 or 1: only itineraries of that direction.")] string? direction,
        RouteQueries queries, CancellationToken ct)
    {
        var route = routeId?.Trim() ?? "";
        if (route.Length == 0)
        {
            return ErrorResponses.InvalidParameter("route_id", "route_id is required.");
        }

        if (route.Length > MaxRouteIdLength)
        {
            return ErrorResponses.InvalidParameter("route_id", $"route_id must be at most {MaxRouteIdLength} characters.");
        }

        var dir = string.IsNullOrWhiteSpace(direction) ? null : direction.Trim();
        if (dir is not (null or "0" or "1"))
        {
            return ErrorResponses.InvalidParameter("direction", $"direction must be 0 or 1; got '{Shorten(direction!)}'.");
        }

        return TypedResults.Ok(await queries.RouteStopsAsync(route, dir, MaxRouteStops, ct));
    }

    internal static async Task<Ok<OperatorListResponse>> GetOsmRouteOperatorsAsync(RouteQueries queries, CancellationToken ct)
    {
        var operators = await queries.OsmRouteOperatorsAsync(ct);
        return TypedResults.Ok(new OperatorListResponse(operators, operators.Count));
    }

    private static bool TryId(string parameter, string? value, out long? id, out ProblemHttpResult? error)
    {
        id = null;
        error = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        if (!int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
        {
            error = ErrorResponses.InvalidParameter(parameter, $"{parameter} must be a whole number from 1 to {int.MaxValue}; got '{Shorten(value)}'.");
            return false;
        }

        id = n;
        return true;
    }

    private static bool TryBounded(string parameter, string? value, int min, int max, int fallback, out int result, out ProblemHttpResult? error)
    {
        result = fallback;
        error = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        if (!int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out result) || result < min || result > max)
        {
            error = ErrorResponses.InvalidParameter(parameter, $"{parameter} must be a whole number from {min} to {max}; got '{Shorten(value)}'.");
            return false;
        }

        return true;
    }

    private static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    // Echoed values are cut, so that a problem document never repeats a huge query string.
    private static string Shorten(string value) => value.Length <= 60 ? value : value[..60] + "…";
}
