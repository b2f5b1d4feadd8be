namespace StopSync.Web.Pages.Routes;

/// <summary>/routes: matched line pairs and each side's unmatched lines, filtered and paged in SQL (docs/08-site.md, "Routes").</summary>
public sealed class IndexModel(RouteQueries queries, RouteAvailability availability) : RouteListPage(queries, availability, nonGtfs: false)
{
    private readonly RouteQueries _queries = queries;

    public RouteOperatorOptions Operators { get; private set; } = new([], []);

    protected override async Task LoadMoreAsync(CancellationToken ct) => Operators = await _queries.OperatorOptionsAsync(ct);
}
