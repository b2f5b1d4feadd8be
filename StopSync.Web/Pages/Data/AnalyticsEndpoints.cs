using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using StopSync.Web.Infrastructure;

namespace StopSync.Web.Pages.Data;

/// <summary>
/// <c>GET /api/analytics</c>: the figures the analytics page draws (docs/05-api.md, "Analytics"). Without a policy of
/// its own it spends the default API budget.
/// </summary>
public static class AnalyticsEndpoints
{
    public const string Tag = "Data";

    private static readonly string[] GetAndHead = [HttpMethods.Get, HttpMethods.Head];

    public static IServiceCollection AddAnalyticsPage(this IServiceCollection services) =>
        services.AddSingleton<AnalyticsQueries>();

    public static void MapAnalyticsEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGroup("/api").WithTags(Tag)
            .MapMethods("/analytics", GetAndHead, GetAnalyticsAsync).WithName("GetAnalytics")
            .WithSummary("Figures of the live publication for one scope and their trend over the kept publications, oldest first.");

    internal static async Task<Results<Ok<AnalyticsResponse>, ProblemHttpResult>> GetAnalyticsAsync(
        [FromQuery(Name = "scope"), Description("'all' (default), 'operator:<ATLAS operator abbreviation>' or 'canton:<canton code>'.")] string? scope,
        AnalyticsQueries queries, CancellationToken ct)
    {
        if (!AnalyticsScope.TryParse(scope, out var parsed, out var error))
        {
            return ErrorResponses.InvalidParameter("scope", error!);
        }

        var report = await queries.ReportAsync(parsed, ct);
        return TypedResults.Ok(report is null ? AnalyticsResponse.Unavailable(parsed, UnavailableReason(parsed)) : AnalyticsResponse.From(report));
    }

    public static string UnavailableReason(AnalyticsScope scope) => scope == AnalyticsScope.All
        ? "No statistics yet: they are written when the pipeline publishes a dataset."
        : $"The published dataset has no statistics for {scope}.";
}
