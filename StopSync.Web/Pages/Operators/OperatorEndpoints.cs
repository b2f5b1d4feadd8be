namespace StopSync.Web.Pages.Operators;

/// <summary>Services of the operator and canton pages (docs/08-site.md, "Operators and cantons"); they have no JSON API.</summary>
public static class OperatorEndpoints
{
    public static IServiceCollection AddOwnerPages(this IServiceCollection services) =>
        services.AddSingleton<OwnerQueries>().AddHostedService<OwnerFiguresWarmer>();
}
