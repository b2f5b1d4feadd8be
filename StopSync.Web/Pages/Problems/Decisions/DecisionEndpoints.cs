namespace StopSync.Web.Pages.Problems.Decisions;

/// <summary>Reviewers' writes: /api/decisions (docs/09-review.md, "Decisions").</summary>
public static class DecisionEndpoints
{
    public static IServiceCollection AddDecisions(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapDecisionEndpoints(this IEndpointRouteBuilder app) => app;
}
