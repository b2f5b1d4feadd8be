using Microsoft.AspNetCore.Http.HttpResults;

namespace StopSync.Web.Pages.Map;

public static class MapEndpoints
{
    public const int DefaultLimit = 5000;
    public const int MaxLimit = 20000;

    public static void MapMapEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/stops");
        group.MapGet("", GetStopsAsync).WithName("GetStopsInBox");
    }

    /// <summary><c>GET /api/stops?bbox=minLon,minLat,maxLon,maxLat[&amp;limit=N]</c>: markers inside the box.</summary>
    internal static async Task<Results<Ok<StopsInBox>, ProblemHttpResult>> GetStopsAsync(
        string? bbox, int? limit, MapQueries queries, CancellationToken ct)
    {
        if (!BoundingBox.TryParse(bbox, out var box, out var error))
        {
            return TypedResults.Problem(error, statusCode: StatusCodes.Status400BadRequest, title: "Invalid bbox");
        }

        if (limit is < 1 or > MaxLimit)
        {
            return TypedResults.Problem($"limit must be between 1 and {MaxLimit}", statusCode: StatusCodes.Status400BadRequest, title: "Invalid limit");
        }

        return TypedResults.Ok(await queries.StopsInBoxAsync(box, limit ?? DefaultLimit, ct));
    }
}
