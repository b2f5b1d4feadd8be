using Microsoft.AspNetCore.Http.HttpResults;
using StopSync.Web.Infrastructure;
using StopSync.Web.Pages.Map;
using StopSync.Web.Pages.Map.Filters;

namespace StopSync.Web.Pages.Problems;

/// <summary>The problems queue's read API: /api/problems and /api/problems/stats (docs/05-api.md, "Problems").</summary>
public static class ProblemEndpoints
{
    public const string Tag = "Problems";

    private static readonly string[] GetAndHead = [HttpMethods.Get, HttpMethods.Head];

    // The surroundings of one stop (the page asks for about 4 km × 4 km): small enough that the queue's budget cannot
    // stand in for the map's, large enough for a 2 km radius as far north as Switzerland reaches.
    internal const double MaxContextLatSpan = 0.05;
    internal const double MaxContextLonSpan = 0.1;
    internal const int ContextLimit = 3000;

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
        // A reviewer steps through stops faster than the map's budget (30 a minute) allows for their surroundings.
        api.MapMethods("/context", GetAndHead, GetContextAsync).WithName("GetProblemContext")
            .WithSummary("Map rows (as /api/data) around one stop of the queue: a box of at most 0.05° × 0.1°, every row up to 3000.")
            .RequireRateLimiting(RateLimitPolicies.Problems);
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

    internal static async Task<Results<Ok<DataWithMeta>, ProblemHttpResult>> GetContextAsync(
        [AsParameters] ViewportQuery viewport, ReviewMapQueries queries, CancellationToken ct)
    {
        if (!viewport.TryParse(out var box, out var parameter, out var error))
        {
            return Invalid(parameter, error);
        }

        if (box.MaxLat - box.MinLat > MaxContextLatSpan || box.MaxLon - box.MinLon > MaxContextLonSpan)
        {
            return Invalid("bbox", $"the context of one stop spans at most {MaxContextLatSpan}° of latitude and {MaxContextLonSpan}° of longitude; use /api/data for larger areas");
        }

        var (rows, hasMore) = await queries.InBoxAsync(box, StopFilter.None, ContextLimit, 0, ct);
        return TypedResults.Ok(new DataWithMeta(rows, new DataMeta(0, ContextLimit, rows.Count, hasMore)));
    }

    internal static ProblemHttpResult Invalid(string parameter, string detail) =>
        ErrorResponses.InvalidParameter(parameter, detail);
}
