using System.ComponentModel;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using StopSync.Web.Infrastructure;
using StopSync.Web.Pages.Map.Filters;

namespace StopSync.Web.Pages.Data.Changes;

/// <summary><c>/api/changes</c> and the Atom feeds <c>/data/changes/feed.atom</c> (docs/05-api.md, docs/10-history.md).</summary>
public static class ChangesEndpoints
{
    public const string Tag = "Changes";

    private static readonly string[] GetAndHead = [HttpMethods.Get, HttpMethods.Head];

    public static IServiceCollection AddChangesPages(this IServiceCollection services) =>
        services.AddSingleton<ChangesQueries>().AddSingleton<ChangesCache>();

    public static void MapChangesEndpoints(this IEndpointRouteBuilder app)
    {
        // HEAD answers like GET (Kestrel drops the body), as it does for pages and static files.
        app.MapMethods("/api/changes", GetAndHead, GetChangesAsync).WithTags(Tag).WithName("GetChanges")
            .WithSummary("One page of a publication's run-to-run changes under the filters, with the counts by change type and side.")
            .RequireRateLimiting(RateLimitPolicies.Changes);
        app.MapMethods("/data/changes/feed.atom", GetAndHead, GetFeedAsync).ExcludeFromDescription()
            .RequireRateLimiting(RateLimitPolicies.Changes);
    }

    /// <summary>The parameters as OpenAPI lists them; the values are read from the query itself, where lists may repeat.</summary>
    public sealed record ChangesApiParameters
    {
        [FromQuery(Name = "run"), Description("A published run's id (default: the live one).")]
        public string? Run { get; init; }

        [FromQuery(Name = "type"), Description("Comma list of change types: match_gained, match_lost, match_changed, problem_opened, problem_closed, problem_changed, atlas_added, atlas_removed, atlas_edited, osm_added, osm_removed, osm_edited.")]
        public string? Type { get; init; }

        [FromQuery(Name = "side"), Description("Comma list of causes: atlas, osm, both, matching.")]
        public string? Side { get; init; }

        [FromQuery(Name = "atlas_operator"), Description("Comma list of ATLAS operator abbreviations.")]
        public string? AtlasOperator { get; init; }

        [FromQuery(Name = "canton"), Description("Comma list of canton codes.")]
        public string? Canton { get; init; }

        [FromQuery(Name = "page"), Description("Page, from 1 (default 1).")]
        public string? Page { get; init; }

        [FromQuery(Name = "per_page"), Description("Changes per page, 1-200 (default 50).")]
        public string? PerPage { get; init; }
    }

    internal static async Task<Results<Ok<ChangesResponse>, ProblemHttpResult>> GetChangesAsync(
        [AsParameters] ChangesApiParameters parameters, HttpRequest request, ChangesQueries queries, ChangesCache cache, CancellationToken ct)
    {
        _ = parameters;
        if (!ChangesQuery.TryParse(request.Query, api: true, out var query, out var error))
        {
            return ErrorResponses.InvalidParameter(error.Parameter, error.Message);
        }

        var view = await ChangesView.LoadAsync(queries, cache, query, ct);
        if (view.State == ChangesState.UnknownRun)
        {
            return TypedResults.Problem(view.Message, statusCode: StatusCodes.Status404NotFound, title: "Run not found");
        }

        var page = view.Page ?? new ChangePage([], 0, []);
        return TypedResults.Ok(new ChangesResponse(view.Run, view.Message, page.Counts, page.Total, query.Page, query.PerPage, page.Changes));
    }

    internal static async Task<IResult> GetFeedAsync(HttpContext http, ChangesQueries queries, ChangesCache cache, CancellationToken ct)
    {
        if (!TryScope(http.Request.Query, out var scope, out var parameter, out var message))
        {
            return Results.Text($"Invalid {parameter}: {message}\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        }

        var request = http.Request;
        var baseUrl = $"{request.Scheme}://{request.Host}{request.PathBase}";
        var (body, tag, updated) = await cache.GetOrAddAsync(await queries.LiveRunIdAsync(ct), $"feed:{baseUrl}:{scope.Kind}:{scope.Key}", async c =>
        {
            var latest = await queries.LatestPublicationAsync(c);
            var runs = latest is null ? [] : await queries.FeedAsync(scope, c);
            // Before the first publication the feed is valid and empty; its date is then that of the first possible one.
            var at = latest?.PublishedAt ?? DateTimeOffset.UnixEpoch;
            var bytes = ChangesFeed.Write(scope, runs, baseUrl, at);
            return (bytes, "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 16)) + "\"", at);
        }, ct);

        var headers = http.Response.GetTypedHeaders();
        var etag = new EntityTagHeaderValue(tag);
        headers.ETag = etag;
        headers.LastModified = updated;
        // Readers poll; a new entry can only come with a publication, at most a few a day.
        headers.CacheControl = new CacheControlHeaderValue { Public = true, MaxAge = TimeSpan.FromMinutes(15) };
        var conditions = request.GetTypedHeaders();
        var notModified = conditions.IfNoneMatch.Count > 0
            ? conditions.IfNoneMatch.Any(t => t.Tag == etag.Tag || t.Equals(EntityTagHeaderValue.Any))
            : conditions.IfModifiedSince is { } since && updated <= since.AddSeconds(1);
        return notModified ? Results.StatusCode(StatusCodes.Status304NotModified) : Results.Bytes(body, ChangesFeed.ContentType);
    }

    /// <summary>Exactly one of atlas_operator and canton, one value; a canton must be a Swiss canton code.</summary>
    public static bool TryScope(IQueryCollection query, out FeedScope scope, out string parameter, out string message)
    {
        scope = new FeedScope(FeedScope.Operator, "");
        parameter = "";
        message = "";
        var hasOperator = query.TryGetValue("atlas_operator", out var op);
        var hasCanton = query.TryGetValue("canton", out var canton);
        if (hasOperator == hasCanton)
        {
            parameter = "atlas_operator";
            message = "give exactly one of atlas_operator (an ATLAS operator abbreviation) and canton (a canton code), e.g. ?canton=ZH.";
            return false;
        }

        var (name, values) = hasOperator ? ("atlas_operator", op) : ("canton", canton);
        var value = values.Count == 1 ? values[0]?.Trim() ?? "" : "";
        if (value.Length == 0 || value.Length > ChangesQuery.MaxOperatorLength)
        {
            parameter = name;
            message = $"{name} must be given once, with one value of 1 to {ChangesQuery.MaxOperatorLength} characters.";
            return false;
        }

        if (!hasOperator)
        {
            value = value.ToUpperInvariant();
            if (!Cantons.Codes.Contains(value))
            {
                parameter = name;
                message = $"canton must be a Swiss canton code ({string.Join(", ", Cantons.All.Select(c => c.Code))}); got '{(value.Length <= 60 ? value : value[..60] + "…")}'.";
                return false;
            }
        }

        scope = new FeedScope(name, value);
        return true;
    }
}
