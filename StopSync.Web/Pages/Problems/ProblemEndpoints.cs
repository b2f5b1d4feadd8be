using Microsoft.AspNetCore.Http.HttpResults;
using StopSync.Web.Infrastructure;

namespace StopSync.Web.Pages.Problems;

/// <summary>The problems queue's read API: /api/problems and /api/problems/stats (docs/05-api.md, "Problems").</summary>
public static class ProblemEndpoints
{
    public const string Tag = "Problems";

    private static readonly string[] GetAndHead = [HttpMethods.Get, HttpMethods.Head];

    public static IServiceCollection AddProblemQueue(this IServiceCollection services) => services.AddSingleton<ProblemQueries>();

    public static IEndpointRouteBuilder MapProblemEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/problems").WithTags(Tag);
        api.MapMethods("", GetAndHead, GetProblemsAsync).WithName("GetProblems")
            .WithSummary("One page of affected stops with each of their problems, its evidence and review state.")
            .RequireRateLimiting(RateLimitPolicies.Problems);
        api.MapMethods("/stats", GetAndHead, GetStatsAsync).WithName("GetProblemStats")
            .WithSummary("Problems counted by review state per type, priority, ATLAS operator and canton.")
            .RequireRateLimiting(RateLimitPolicies.ProblemStats);
        return app;
    }

    internal static async Task<Results<Ok<ProblemList>, ProblemHttpResult>> GetProblemsAsync(
        [AsParameters] ProblemFilterQuery filters, [AsParameters] ProblemPageQuery paging, ProblemQueries queries, CancellationToken ct)
    {
        var filter = filters.Parse();
        if (filter.Value is null)
        {
            return Invalid(filter.Parameter!, filter.Error!);
        }

        var page = paging.Parse();
        if (page.Value is null)
        {
            return Invalid(page.Parameter!, page.Error!);
        }

        return TypedResults.Ok(await queries.PageAsync(filter.Value, page.Value, ct));
    }

    internal static async Task<Results<Ok<ProblemStats>, ProblemHttpResult>> GetStatsAsync(
        [AsParameters] ProblemFilterQuery filters, ProblemQueries queries, CancellationToken ct)
    {
        var filter = filters.Parse();
        return filter.Value is null
            ? Invalid(filter.Parameter!, filter.Error!)
            : TypedResults.Ok(await queries.StatsAsync(filter.Value, ct));
    }

    internal static ProblemHttpResult Invalid(string parameter, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: $"Invalid {parameter}",
            extensions: new Dictionary<string, object?> { ["parameter"] = parameter });
}
