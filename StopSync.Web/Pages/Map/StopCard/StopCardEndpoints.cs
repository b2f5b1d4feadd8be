using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using StopSync.Web.Infrastructure;
using StopSync.Web.Pages.Map.Filters;

namespace StopSync.Web.Pages.Map.StopCard;

/// <summary><c>/api/stop_popup</c> and <c>/api/stop_by_id</c> (docs/05-api.md).</summary>
public static partial class StopCardEndpoints
{
    /// <summary>Longer than any SLOID or OSM id; a longer identifier is a mistake, not a lookup.</summary>
    public const int MaxIdentifierLength = 100;

    private static readonly string[] IdentifierTypes = ["sloid", "station", "osm", "osm_node_id", "route"];

    public static void MapStopCardEndpoints(this IEndpointRouteBuilder app)
    {
        // HEAD answers like GET (Kestrel drops the body), as it does for pages and static files.
        app.MapMethods("/api/stop_popup", [HttpMethods.Get, HttpMethods.Head], GetStopPopupAsync)
            .WithName("GetStopPopup")
            .RequireRateLimiting(RateLimitPolicies.StopPopup);
        app.MapMethods("/api/stop_by_id", [HttpMethods.Get, HttpMethods.Head], GetStopByIdAsync)
            .WithName("GetStopById")
            .RequireRateLimiting(RateLimitPolicies.StopById);
    }

    internal static async Task<Results<Ok<StopPopupResponse>, ProblemHttpResult>> GetStopPopupAsync(
        [FromQuery(Name = "stop_id")] string? stopId, [FromQuery(Name = "view_type")] string? viewType, StopCardQueries queries, CancellationToken ct)
    {
        // Parsed here rather than bound, so that every bad value gets the same problem document naming the parameter.
        if (string.IsNullOrWhiteSpace(stopId))
        {
            return BadRequest("stop_id", "stop_id is required: the id of a stop row, a whole number from 1.");
        }

        if (!long.TryParse(stopId.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
        {
            return BadRequest("stop_id", $"stop_id must be a whole number between 1 and {long.MaxValue}; got '{Shorten(stopId)}'.");
        }

        var view = viewType?.Trim().ToLowerInvariant();
        if (!string.IsNullOrEmpty(view) && view is not ("atlas" or "osm"))
        {
            return BadRequest("view_type", $"view_type must be atlas or osm; got '{Shorten(viewType!)}'.");
        }

        var card = await queries.StopCardAsync(id, string.IsNullOrEmpty(view) ? null : view, ct);
        return card is null
            ? TypedResults.Problem($"No stop found with stop_id {id}.", statusCode: StatusCodes.Status404NotFound, title: "Stop not found")
            : TypedResults.Ok(new StopPopupResponse(card));
    }

    internal static async Task<Results<Ok<StopByIdResponse>, ProblemHttpResult>> GetStopByIdAsync(
        string? identifier, [FromQuery(Name = "identifier_type")] string? identifierType, StopCardQueries queries, CancellationToken ct)
    {
        var type = identifierType?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(type))
        {
            return BadRequest("identifier_type", $"identifier_type is required: one of {string.Join(", ", IdentifierTypes)}.");
        }

        if (!IdentifierTypes.Contains(type))
        {
            return BadRequest("identifier_type", $"identifier_type must be one of {string.Join(", ", IdentifierTypes)}; got '{Shorten(identifierType!)}'.");
        }

        var key = identifier?.Trim() ?? "";
        if (key.Length == 0)
        {
            return BadRequest("identifier", "identifier is required.");
        }

        if (key.Length > MaxIdentifierLength)
        {
            return BadRequest("identifier", $"identifier must be at most {MaxIdentifierLength} characters.");
        }

        StopMarkerRow? row;
        string label;
        switch (type)
        {
            case "route":
                return await ByRouteAsync(key, queries, ct);
            case "sloid":
                label = "ATLAS SLOID";
                row = await queries.BySloidAsync(key, ct);
                break;
            case "station":
                if (!Uic().IsMatch(key))
                {
                    return BadRequest("identifier", $"identifier must be a 7-digit UIC number (e.g. 8503000) for identifier_type=station; got '{Shorten(key)}'.");
                }

                label = "UIC station";
                row = await queries.ByUicAsync(key[..7], ct);
                break;
            default:
                if (!OsmElementId.TryParse(key, out var osmId))
                {
                    return BadRequest("identifier",
                        $"identifier must be an OSM node or way id (123, node/123, n123, way/45, w45 or way_45) for identifier_type={type}; got '{Shorten(key)}'.");
                }

                label = osmId.ElementType == OsmElementId.Way ? "OSM way" : "OSM node";
                row = await queries.ByOsmIdAsync(osmId.Key, ct);
                break;
        }

        if (row is null)
        {
            return NotFound($"No stop found for {type}: {key}. No {label} matches it.");
        }

        // An OSM lookup opens the OSM side's card at the element itself, even when the row also has an ATLAS side.
        var osmView = type is "osm" or "osm_node_id" || row.Sloid is null;
        var (lat, lon) = osmView && row.OsmLat is { } osmLat && row.OsmLon is { } osmLon ? (osmLat, osmLon) : (row.Lat, row.Lon);
        return TypedResults.Ok(new StopByIdResponse(row, lat, lon, osmView ? "osm" : "atlas"));
    }

    private static async Task<Results<Ok<StopByIdResponse>, ProblemHttpResult>> ByRouteAsync(string key, StopCardQueries queries, CancellationToken ct)
    {
        if (!RouteFilter.TryParse(key, out var route, out var error))
        {
            return BadRequest("identifier", error!.Replace("route ", "identifier ", StringComparison.Ordinal));
        }

        var (hasLines, row, viewType, bounds) = await queries.ByRouteAsync(route!, ct);
        if (!hasLines)
        {
            return NotFound("Route review is not available for this dataset.");
        }

        if (row is null || bounds is null)
        {
            return NotFound($"No stop found for route: {Shorten(key)}. No line with that route id calls at a published stop.");
        }

        // The middle of the line's box: the map fits the box, and the card opens at the line's first stop.
        return TypedResults.Ok(new StopByIdResponse(
            row, (bounds.MinLat + bounds.MaxLat) / 2, (bounds.MinLon + bounds.MaxLon) / 2, viewType, bounds));
    }

    private static ProblemHttpResult BadRequest(string parameter, string detail) => ErrorResponses.InvalidParameter(parameter, detail);

    private static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    // Echoed values are cut, so that a problem document never repeats a huge query string.
    private static string Shorten(string value) => value.Length <= 60 ? value : value[..60] + "…";

    // A trailing ":<digits>" (a platform suffix the smart search may pass on) is accepted and ignored.
    [GeneratedRegex(@"^[0-9]{7}(:[0-9]+)?$")]
    private static partial Regex Uic();
}
