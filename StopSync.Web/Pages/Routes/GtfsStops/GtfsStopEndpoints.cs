using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using StopSync.Web.Infrastructure;
using StopSync.Web.Pages.Map;

namespace StopSync.Web.Pages.Routes.GtfsStops;

/// <summary>The JSON API of the GTFS stop_id ↔ SLOID map (docs/05-api.md, "GTFS stops ↔ SLOIDs").</summary>
public static class GtfsStopEndpoints
{
    public const string Prefix = "/api/routes/gtfs-stop-id-sloid";
    public const string Tag = "Routes";

    private static readonly string[] GetAndHead = [HttpMethods.Get, HttpMethods.Head];

    public static IServiceCollection AddGtfsStops(this IServiceCollection services)
    {
        services.AddSingleton<GtfsStopQueries>();
        return services;
    }

    public static void MapGtfsStopEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Prefix).WithTags(Tag)
            .RequireRateLimiting(RateLimitPolicies.GtfsStops);
        api.MapMethods("/summary", GetAndHead, GetSummaryAsync).WithName("GetGtfsStopSummary")
            .WithSummary("GTFS stops and ATLAS platforms of the live dataset: counts per resolution method and coverage.");
        api.MapMethods("/map", GetAndHead, GetMapAsync).WithName("GetGtfsStopMap")
            .WithSummary("GTFS stops, ATLAS platforms and the lines between them inside a box.");
        api.MapMethods("/search", GetAndHead, GetSearchAsync).WithName("SearchGtfsStop")
            .WithSummary("The GTFS stops and ATLAS platforms an exact SLOID, UIC number or GTFS stop_id names, with where to centre the map.");
        api.MapMethods("/popup", GetAndHead, GetPopupAsync).WithName("GetGtfsStopPopup")
            .WithSummary("One GTFS stop or ATLAS platform: how it resolved, its counterparts and the same-UIC candidates.");
    }

    internal static async Task<Ok<GtfsStopsSummary>> GetSummaryAsync(
        GtfsStopQueries queries, ReviewMapQueries published, PublishedDataCache cache, CancellationToken ct) =>
        TypedResults.Ok(await cache.GetOrAddAsync("routes:gtfs-stops:summary", published, queries.SummaryAsync, ct));

    internal static async Task<Results<Ok<GtfsMapResponse>, ProblemHttpResult>> GetMapAsync(
        [AsParameters] GtfsStopMapQuery query, GtfsStopQueries queries, CancellationToken ct)
    {
        var (request, error) = query.Parse();
        return request is null
            ? ErrorResponses.InvalidParameter(error!.Parameter, error.Detail)
            : TypedResults.Ok(await queries.MapAsync(request, ct));
    }

    internal static async Task<Results<Ok<GtfsSearchResponse>, ProblemHttpResult>> GetSearchAsync(
        [FromQuery(Name = "search_kind"), Description("sloid (an ATLAS platform), uic (every platform and GTFS stop of the number) or stop_id (a GTFS stop).")] string? searchKind,
        [FromQuery(Name = "kind"), Description("Short form of search_kind.")] string? kind,
        [FromQuery(Name = "search_value"), Description("The identifier, matched exactly; at most 255 characters.")] string? searchValue,
        [FromQuery(Name = "value"), Description("Short form of search_value.")] string? value,
        GtfsStopQueries queries, CancellationToken ct)
    {
        var (search, error) = GtfsSearchInput.Parse(searchKind, kind, searchValue, value, required: true);
        if (search is null)
        {
            return ErrorResponses.InvalidParameter(error!.Parameter, error.Detail);
        }

        var found = await queries.SearchAsync(search, ct);
        return found is null
            ? TypedResults.Problem($"No mappable stop found for {search.Kind}: {GtfsStopText.Shorten(search.Value)}",
                statusCode: StatusCodes.Status404NotFound, title: "Not found")
            : TypedResults.Ok(found);
    }

    internal static async Task<Results<Ok<GtfsStopPopup>, Ok<AtlasStopPopup>, ProblemHttpResult>> GetPopupAsync(
        [FromQuery(Name = "entity_type"), Description("gtfs or atlas.")] string? entityType,
        [FromQuery(Name = "id"), Description("The GTFS stop_id or the SLOID.")] string? id,
        [FromQuery(Name = "stop_id"), Description("Instead of id, for entity_type=gtfs.")] string? stopId,
        [FromQuery(Name = "sloid"), Description("Instead of id, for entity_type=atlas.")] string? sloid,
        GtfsStopQueries queries, CancellationToken ct)
    {
        var type = entityType?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(type))
        {
            return ErrorResponses.InvalidParameter("entity_type", "entity_type is required: gtfs or atlas");
        }

        if (type is not ("gtfs" or "atlas"))
        {
            return ErrorResponses.InvalidParameter("entity_type", $"entity_type must be gtfs or atlas; got '{GtfsStopText.Shorten(entityType!)}'");
        }

        var (name, text) = !string.IsNullOrWhiteSpace(id) ? ("id", id)
            : type == "gtfs" ? ("stop_id", stopId) : ("sloid", sloid);
        if (string.IsNullOrWhiteSpace(text))
        {
            return ErrorResponses.InvalidParameter("id", $"id is required: the {(type == "gtfs" ? "GTFS stop_id" : "SLOID")}");
        }

        var identifier = text.Trim();
        if (identifier.Length > GtfsSearchInput.MaxValueLength)
        {
            return ErrorResponses.InvalidParameter(name, $"{name} has at most {GtfsSearchInput.MaxValueLength} characters; got {identifier.Length}");
        }

        if (type == "gtfs")
        {
            var gtfs = await queries.GtfsPopupAsync(identifier, ct);
            return gtfs is null ? NotFound("GTFS stop", identifier) : TypedResults.Ok(gtfs);
        }

        var atlas = await queries.AtlasPopupAsync(identifier, ct);
        return atlas is null ? NotFound("ATLAS platform", identifier) : TypedResults.Ok(atlas);
    }

    private static ProblemHttpResult NotFound(string what, string id) =>
        TypedResults.Problem($"No {what} found with id {GtfsStopText.Shorten(id)}", statusCode: StatusCodes.Status404NotFound, title: "Not found");
}
