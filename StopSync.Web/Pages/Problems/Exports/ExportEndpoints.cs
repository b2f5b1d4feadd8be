namespace StopSync.Web.Pages.Problems.Exports;

/// <summary>Hand-off of decided fixes: osmChange, JOSM batch and ATLAS corrections per operator (docs/09-review.md, "Hand-off").</summary>
public static class ExportEndpoints
{
    public static IServiceCollection AddFixExports(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapExportEndpoints(this IEndpointRouteBuilder app) => app;
}
