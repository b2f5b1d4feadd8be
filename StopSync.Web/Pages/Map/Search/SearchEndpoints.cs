using Microsoft.AspNetCore.Http.HttpResults;
using StopSync.Web.Infrastructure;

namespace StopSync.Web.Pages.Map.Search;

/// <summary><c>/api/search</c> (docs/05-api.md).</summary>
public static class SearchEndpoints
{
    public static void MapSearchEndpoints(this IEndpointRouteBuilder app) =>
        // HEAD answers like GET (Kestrel drops the body), as it does for pages and static files.
        app.MapMethods("/api/search", [HttpMethods.Get, HttpMethods.Head], SearchAsync)
            .WithName("Search")
            .RequireRateLimiting(RateLimitPolicies.Search);

    internal static async Task<Results<Ok<SearchResults>, ProblemHttpResult>> SearchAsync(string? q, SearchQueries queries, CancellationToken ct)
    {
        var term = SearchText.Normalize(q);
        if (term.Length > SearchText.MaxLength)
        {
            return TypedResults.Problem($"q must be at most {SearchText.MaxLength} characters (after collapsing spaces); got {term.Length}.",
                statusCode: StatusCodes.Status400BadRequest, title: "Invalid q");
        }

        // Too short to narrow anything down: answered without asking the database.
        if (term.Length < SearchText.MinLength)
        {
            return TypedResults.Ok(SearchResults.Empty);
        }

        var results = await queries.SearchAsync(term, ct);
        return results is null
            ? TypedResults.Problem("Search took too long; narrow the query.", statusCode: StatusCodes.Status503ServiceUnavailable, title: "Search timed out")
            : TypedResults.Ok(results);
    }
}
