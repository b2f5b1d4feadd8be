namespace StopSync.Web.Pages.Problems;

/// <summary>The problems queue's read API: /api/problems and /api/problems/stats (docs/09-review.md).</summary>
public static class ProblemEndpoints
{
    public static IServiceCollection AddProblemQueue(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapProblemEndpoints(this IEndpointRouteBuilder app) => app;
}
