using System.ComponentModel;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using StopSync.Web.Infrastructure;
using StopSync.Web.Pages.Map.Filters;

namespace StopSync.Web.Pages.Map;

/// <summary>The JSON API of the review map (docs/05-api.md).</summary>
public static class MapEndpoints
{
    public const int DefaultLimit = 5000;
    public const int MaxLimit = 20000;

    /// <summary>Largest explicit page of /api/data; without a limit the answer is capped at <see cref="MaxLimit"/>.</summary>
    public const int MaxDataLimit = 5000;

    public const int DefaultTopMatches = 10;
    public const int MaxTopMatches = 100;

    public const string Tag = "Map";

    private static readonly string[] GetAndHead = [HttpMethods.Get, HttpMethods.Head];

    public static void MapMapEndpoints(this IEndpointRouteBuilder app)
    {
        // HEAD answers like GET (Kestrel drops the body), as it does for pages and static files.
        var api = app.MapGroup("/api").WithTags(Tag);
        api.MapMethods("/stops", GetAndHead, GetStopsAsync).WithName("GetStopsInBox")
            .WithSummary("Stops inside a box (minLon,minLat,maxLon,maxLat), the first map API; /api/data supersedes it.")
            .RequireRateLimiting(RateLimitPolicies.Data);
        api.MapMethods("/data", GetAndHead, GetDataAsync).WithName("GetMapData")
            .WithSummary("Map rows inside a viewport that pass the filters.")
            .RequireRateLimiting(RateLimitPolicies.Data);
        api.MapMethods("/global_stats", GetAndHead, GetGlobalStatsAsync).WithName("GetGlobalStats")
            .WithSummary("Counts of ATLAS stops, OSM stop units and nodes that pass the filters (no viewport).")
            .RequireRateLimiting(RateLimitPolicies.GlobalStats);
        api.MapMethods("/top_matches", GetAndHead, GetTopMatchesAsync).WithName("GetTopMatches")
            .WithSummary("Matched rows with the largest ATLAS-OSM distance that pass the filters.")
            .RequireRateLimiting(RateLimitPolicies.TopMatches);
        api.MapMethods("/random_stop", GetAndHead, GetRandomStopAsync).WithName("GetRandomStop")
            .WithSummary("A random row that passes the filters.")
            .RequireRateLimiting(RateLimitPolicies.RandomStop);
        api.MapMethods("/atlas_operators", GetAndHead, GetAtlasOperatorsAsync).WithName("GetAtlasOperators")
            .WithSummary("Distinct ATLAS operator abbreviations of the published rows.")
            .RequireRateLimiting(RateLimitPolicies.Operators);
        api.MapMethods("/osm_operators", GetAndHead, GetOsmOperatorsAsync).WithName("GetOsmOperators")
            .WithSummary("Distinct OSM operator values of the published rows.")
            .RequireRateLimiting(RateLimitPolicies.Operators);
        api.MapMethods("/cantons", GetAndHead, () => TypedResults.Ok(new CantonList(Cantons.All))).WithName("GetCantons")
            .WithSummary("The 26 cantons (code and name) in the order of the Federal Statistical Office.");
    }

    internal static async Task<Results<Ok<StopsInBox>, ProblemHttpResult>> GetStopsAsync(
        [Description("minLon,minLat,maxLon,maxLat in WGS 84 degrees; each side at most 6 degrees.")] string? bbox,
        [Description("At most this many stops (1-20000, default 5000).")] string? limit,
        MapQueries queries, CancellationToken ct)
    {
        if (!BoundingBox.TryParse(bbox, out var box, out var error))
        {
            return TypedResults.Problem(error, statusCode: StatusCodes.Status400BadRequest, title: "Invalid bbox");
        }

        // Parsed here rather than bound, so that every bad request gets the same problem document.
        var rows = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out rows) || rows is < 1 or > MaxLimit))
        {
            return Invalid("limit", $"limit must be a whole number between 1 and {MaxLimit}; got '{limit}'");
        }

        return TypedResults.Ok(await queries.StopsInBoxAsync(box, rows, ct));
    }

    internal static async Task<Results<Ok<IReadOnlyList<MapRow>>, Ok<DataWithMeta>, ProblemHttpResult>> GetDataAsync(
        [AsParameters] ViewportQuery viewport, [AsParameters] FilterQuery filters,
        [FromQuery(Name = "limit"), Description("1-5000 rows, or 'all' (the default): every row, capped at 20000 with meta.has_more.")] string? limit,
        [FromQuery(Name = "offset"), Description("Rows to skip (with limit), default 0.")] string? offset,
        [FromQuery(Name = "include_meta"), Description("1/true/yes/y: answer {stops, meta:{offset, limit, returned, has_more}} instead of the bare array.")] string? includeMeta,
        [FromQuery(Name = "zoom"), Description("The map's zoom; accepted and ignored.")] string? zoom,
        ReviewMapQueries queries, CancellationToken ct)
    {
        if (!viewport.TryParse(out var box, out var parameter, out var error))
        {
            return Invalid(parameter, error);
        }

        var parsed = filters.Parse();
        if (parsed.Filter is null)
        {
            return Invalid(parsed.Parameter!, parsed.Error!);
        }

        int? pageLimit = null;
        if (!string.IsNullOrWhiteSpace(limit) && !limit.Trim().Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            if (!int.TryParse(limit.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 1 or > MaxDataLimit)
            {
                return Invalid("limit", $"limit must be a whole number between 1 and {MaxDataLimit}, or 'all'; got '{limit}'");
            }

            pageLimit = n;
        }

        var skip = 0;
        if (!string.IsNullOrWhiteSpace(offset)
            && (!int.TryParse(offset.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out skip) || skip > 10_000_000))
        {
            return Invalid("offset", $"offset must be a whole number from 0; got '{offset}'");
        }

        if (!FilterQuery.TryParseFlag(includeMeta, out var withMeta))
        {
            return Invalid("include_meta", $"include_meta must be 1/true/yes/y or 0/false/no/n; got '{includeMeta}'");
        }

        var (rows, hasMore) = await queries.InBoxAsync(box, parsed.Filter, pageLimit ?? MaxLimit, skip, ct);
        return withMeta
            ? TypedResults.Ok(new DataWithMeta(rows, new DataMeta(skip, pageLimit, rows.Count, hasMore)))
            : TypedResults.Ok(rows);
    }

    internal static async Task<Results<Ok<GlobalStats>, ProblemHttpResult>> GetGlobalStatsAsync(
        [AsParameters] FilterQuery filters, ReviewMapQueries queries, PublishedDataCache cache, CancellationToken ct)
    {
        var parsed = filters.Parse();
        if (parsed.Filter is not { } filter)
        {
            return Invalid(parsed.Parameter!, parsed.Error!);
        }

        return TypedResults.Ok(await cache.GetOrAddAsync("global_stats:" + filter.Identity, queries,
            token => queries.GlobalStatsAsync(filter, token), ct));
    }

    internal static async Task<Results<Ok<IReadOnlyList<MapRow>>, ProblemHttpResult>> GetTopMatchesAsync(
        [AsParameters] FilterQuery filters,
        [FromQuery(Name = "limit"), Description("How many rows, 1-100 (default 10).")] string? limit,
        ReviewMapQueries queries, CancellationToken ct)
    {
        var parsed = filters.Parse();
        if (parsed.Filter is not { } filter)
        {
            return Invalid(parsed.Parameter!, parsed.Error!);
        }

        var count = DefaultTopMatches;
        if (!string.IsNullOrWhiteSpace(limit)
            && (!int.TryParse(limit.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > MaxTopMatches))
        {
            return Invalid("limit", $"limit must be a whole number between 1 and {MaxTopMatches}; got '{limit}'");
        }

        return TypedResults.Ok(await queries.TopMatchesAsync(filter, count, ct));
    }

    internal static async Task<Results<Ok<StopLocation>, ProblemHttpResult>> GetRandomStopAsync(
        [AsParameters] FilterQuery filters, ReviewMapQueries queries, CancellationToken ct)
    {
        var parsed = filters.Parse();
        if (parsed.Filter is not { } filter)
        {
            return Invalid(parsed.Parameter!, parsed.Error!);
        }

        var row = await queries.RandomAsync(filter, ct);
        return row is null
            ? TypedResults.Problem("No stop found for the current filters.", statusCode: StatusCodes.Status404NotFound, title: "Not found")
            : TypedResults.Ok(StopLocation.Of(row));
    }

    internal static Task<Ok<OperatorList>> GetAtlasOperatorsAsync(ReviewMapQueries queries, PublishedDataCache cache, CancellationToken ct) =>
        OperatorsAsync(OperatorSide.Atlas, queries, cache, ct);

    internal static Task<Ok<OperatorList>> GetOsmOperatorsAsync(ReviewMapQueries queries, PublishedDataCache cache, CancellationToken ct) =>
        OperatorsAsync(OperatorSide.Osm, queries, cache, ct);

    private static async Task<Ok<OperatorList>> OperatorsAsync(OperatorSide side, ReviewMapQueries queries, PublishedDataCache cache, CancellationToken ct)
    {
        var operators = await cache.GetOrAddAsync($"operators:{side}", queries, token => queries.OperatorsAsync(side, token), ct);
        return TypedResults.Ok(new OperatorList(operators, operators.Count));
    }

    private static ProblemHttpResult Invalid(string parameter, string detail) =>
        ErrorResponses.InvalidParameter(parameter, detail);
}
