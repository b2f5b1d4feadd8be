using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace StopSync.Web.Pages.Map;

public static class MapEndpoints
{
    public const int DefaultLimit = 5000;
    public const int MaxLimit = 20000;

    public static void MapMapEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/stops");
        // HEAD answers like GET (Kestrel drops the body), as it does for pages and static files.
        group.MapMethods("", [HttpMethods.Get, HttpMethods.Head], GetStopsAsync).WithName("GetStopsInBox");
    }

    internal static async Task<Results<Ok<StopsInBox>, ProblemHttpResult>> GetStopsAsync(
        string? bbox, string? limit, MapQueries queries, CancellationToken ct)
    {
        if (!BoundingBox.TryParse(bbox, out var box, out var error))
        {
            return TypedResults.Problem(error, statusCode: StatusCodes.Status400BadRequest, title: "Invalid bbox");
        }

        // Parsed here rather than bound, so that every bad request gets the same problem document.
        var rows = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out rows) || rows is < 1 or > MaxLimit))
        {
            return TypedResults.Problem($"limit must be a whole number between 1 and {MaxLimit}; got '{limit}'",
                statusCode: StatusCodes.Status400BadRequest, title: "Invalid limit");
        }

        return TypedResults.Ok(await queries.StopsInBoxAsync(box, rows, ct));
    }
}
