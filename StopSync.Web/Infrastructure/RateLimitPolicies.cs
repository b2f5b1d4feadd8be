namespace StopSync.Web.Infrastructure;

/// <summary>
/// Names of the per-client rate limit policies of the JSON API; the permits per window of each are in
/// docs/05-api.md, "Rate limits", and configurable under <c>RateLimits</c> (<see cref="RateLimitOptions"/>).
/// </summary>
public static class RateLimitPolicies
{
    public const string Data = "data";
    public const string GlobalStats = "global_stats";
    public const string StopPopup = "stop_popup";
    public const string StopById = "stop_by_id";
    public const string Search = "search";
    public const string RandomStop = "random_stop";
    public const string TopMatches = "top_matches";
    public const string Operators = "operators";
    public const string PipelineStatus = "pipeline_status";
    public const string Problems = "problems";
    public const string ProblemStats = "problem_stats";

    /// <summary>Reviewers' writes: recording and withdrawing decisions.</summary>
    public const string Decisions = "decisions";

    /// <summary>The hand-off exports under /api/exports: whole files built from every decision, so a tighter budget.</summary>
    public const string Exports = "exports";

    /// <summary>/api/route_stops: the stops of one line.</summary>
    public const string RouteStops = "route_stops";

    /// <summary>/api/osm_route_operators: the operator list of the route filter.</summary>
    public const string RouteOperators = "route_operators";
    /// <summary>The GTFS stop_id ↔ SLOID map under /api/routes/gtfs-stop-id-sloid: a budget of its own, so panning it spends no other's.</summary>
    public const string GtfsStops = "gtfs_stops";

    /// <summary>/api/changes and the Atom feeds of run-to-run changes.</summary>
    public const string Changes = "changes";

    /// <summary>Reports of the published data (/data/export): starting an export, its progress, download, cancel, and the streamed form.</summary>
    public const string ReportAsync = "report_async";
    public const string ReportProgress = "report_progress";
    public const string ReportDownload = "report_download";
    public const string ReportCancel = "report_cancel";
    public const string ReportSync = "report_sync";

    /// <summary>Every endpoint under /api without a policy of its own; applied by the global limiter, not by name.</summary>
    public const string Default = "default";

    public static readonly IReadOnlyList<string> All =
        [Data, GlobalStats, StopPopup, StopById, Search, RandomStop, TopMatches, Operators, PipelineStatus, Problems, ProblemStats, Decisions, Exports, RouteStops, RouteOperators, GtfsStops, Changes,
         ReportAsync, ReportProgress, ReportDownload, ReportCancel, ReportSync, Default];
}
